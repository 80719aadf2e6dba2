"""Dealer agreements: validated at the boundary, recorded in the ledger (kind "dealers"),
listed as known at a moment."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from cli_ledger import make_aim_ledger

from aim_inputs import run_cli
from distplan.errors import InputError
from distplan.fees.agreements import read_agreements
from distplan.model import FundClassKey

AGREEMENTS = """\
dealers:
  - id: D001
    name: Alpha Securities LLC
    agreements:
      - effective: 2003-11-01
        funds: all
        share_classes: [Investor]
        rate: "0.25"
        frequency: quarterly
        minimum_payment: "100.00"
        prepaid_months: 0
      - effective: 2004-01-16
        funds: [INVESCO Dynamics Fund]
        share_classes: all
        rate: "0.2"
        frequency: quarterly
        minimum_payment: "100.00"
        prepaid_months: 12
"""


def test_agreements_parse_and_the_one_in_force_is_the_latest_covering_one() -> None:
    (d,) = read_agreements(AGREEMENTS, "a.yaml")
    dyn = FundClassKey.of("INVESCO Dynamics Fund", "Investor Class")
    other = FundClassKey.of("X Fund", "Investor")
    assert d.in_force(dyn, date(2004, 1, 15)).rate == Decimal("0.25")
    assert d.in_force(dyn, date(2004, 1, 16)).prepaid_months == 12
    assert d.in_force(other, date(2004, 1, 16)).minimum_payment == Decimal("100.00")
    assert d.in_force(dyn, date(2003, 10, 31)) is None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'rate: "0.25"',
            'rat: "0.25"',
            "a.yaml:8: dealers[1].agreements[1]: unknown field 'rat' (did you mean 'rate'?)",
        ),
        (
            'rate: "0.25"',
            'rate: "0.25001"',
            "a.yaml:8: dealers[1].agreements[1].rate: '0.25001': expected a percentage",
        ),
        ('rate: "0.25"', 'rate: "100.5"', "rate: '100.5': expected a percentage 0..100"),
        (
            'frequency: quarterly\n        minimum_payment: "100.00"\n        prepaid_months: 0',
            'frequency: quartrly\n        minimum_payment: "100.00"\n        prepaid_months: 0',
            "'quartrly': expected monthly or quarterly (did you mean 'quarterly'?)",
        ),
        ("effective: 2003-11-01", "effective: 2003-11-31", "a.yaml"),
        (
            'minimum_payment: "100.00"\n        prepaid_months: 0',
            'minimum_payment: "1e3"\n        prepaid_months: 0',
            "minimum_payment: '1e3'",
        ),
        (
            "name: Alpha Securities LLC",
            'name: "Alpha\\e[31m"',
            "dealers[1].name: expected a name of 1 to 200 printable characters",
        ),
        (
            "prepaid_months: 0",
            "prepaid_months: 25",
            "prepaid_months: '25': expected a whole number of months 0..24",
        ),
    ],
)
def test_a_bad_value_is_one_line_naming_the_place(old: str, new: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        read_agreements(AGREEMENTS.replace(old, new, 1), "a.yaml")
    assert message in str(caught.value)


def test_an_unknown_fund_is_an_error_with_a_suggestion() -> None:
    with pytest.raises(
        InputError, match=r"'INVESCO Dynamics Fund': no recorded plan covers this fund \(did you mean"
    ):
        read_agreements(AGREEMENTS, "a.yaml", {"invesco dynamic fund", "invesco energy fund"})


def test_dealers_record_and_list_bitemporally(tmp_path: Path) -> None:
    aim = make_aim_ledger(tmp_path)
    first = tmp_path / "agreements.yaml"
    first.write_text(AGREEMENTS)
    rec = run_cli("--db", aim.url, "dealers", "record", str(first), "--recorded-at", "2003-12-02", "--json")
    assert rec.code == 0, rec.err
    seq = json.loads(rec.out)["entry"]["seq"]
    assert (
        run_cli("--db", aim.url, "dealers", "record", str(first)).out.strip().endswith("(already recorded)")
    )
    changed = tmp_path / "changed.yaml"
    changed.write_text(AGREEMENTS.replace('rate: "0.2"', 'rate: "0.15"'))
    assert (
        run_cli("--db", aim.url, "dealers", "record", str(changed), "--recorded-at", "2003-12-03").code == 0
    )
    now = json.loads(run_cli("--db", aim.url, "dealers", "list", "--json").out)
    then = json.loads(run_cli("--db", aim.url, "dealers", "list", "--json", "--known-at", str(seq)).out)
    assert now["dealers"][0]["agreements"][1]["rate"] == "0.15"
    assert then["dealers"][0]["agreements"][1]["rate"] == "0.2"
    assert run_cli("--db", aim.url, "verify").code == 0


def test_recording_refuses_a_fund_the_plan_does_not_name(tmp_path: Path) -> None:
    aim = make_aim_ledger(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text(AGREEMENTS.replace("[INVESCO Dynamics Fund]", "[INVESCO Dynamcs Fund]"))
    result = run_cli("--db", aim.url, "dealers", "record", str(bad))
    assert result.code == 2
    assert "did you mean 'invesco dynamics fund'?" in result.err
    assert "Traceback" not in result.err
    listed = json.loads(run_cli("--db", aim.url, "dealers", "list", "--json").out)
    assert listed["dealers"] == []  # nothing half-written


def test_fees_trails_from_the_ledger(tmp_path: Path) -> None:
    from distplan.periods import Period, nyse_sessions

    aim = make_aim_ledger(tmp_path)
    agreements = tmp_path / "agreements.yaml"
    agreements.write_text(AGREEMENTS)
    assert run_cli("--db", aim.url, "dealers", "record", str(agreements)).code == 0
    positions = tmp_path / "positions.csv"
    lines = ["date,dealer,fund,share_class,purchase_month,net_assets"]
    for day in nyse_sessions(Period(date(2003, 10, 25), date(2004, 1, 1))):
        lines.append(f"{day},D001,INVESCO Dynamics Fund,Investor,2003-06,1000000.00")
        lines.append(f"{day},D001,INVESCO Dynamcs Fund,Investor,2003-06,5.00")
    positions.write_text("\n".join(lines) + "\n")
    out_csv = tmp_path / "trails.csv"
    args = ("--db", aim.url, "fees", "trails", "--positions", str(positions), "--period", "2003-Q4")
    result = run_cli(*args, "--json", "--out", str(out_csv))
    assert result.code == 0, result.err
    body = json.loads(result.out)
    (row,) = body["trails"]
    # covered from the amendment (2003-11-03): 59 days of 1,000,000 x 0.25% / 365 = 6.85 a day
    assert (row["days"], row["accrued"], row["paid"], row["due_date"]) == (
        59,
        "404.15",
        "404.15",
        "2004-01-10",
    )
    assert body["totals"][0]["paid"] == "404.15"
    assert "did you mean 'INVESCO Dynamics Fund'?" in result.err
    assert out_csv.read_text().count("\n") >= 1
    bad = run_cli(*args[:-1], "2003-13")
    assert bad.code == 2
    assert "--period '2003-13': expected a quarter" in bad.err
