"""`distplan fees retention` and `distplan fees remaining` on a real ledger (the AIM amendment,
a 0.25% distribution rate from the plan terms): the figures tie to `fees payables` and
`fees accrue`, and bad input is one line."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from cli_ledger import make_aim_ledger

from aim_inputs import run_cli
from distplan.periods import Period, nyse_sessions

PRIME = Path(__file__).resolve().parents[2] / "examples" / "dealers" / "prime-rate.csv"
AGREEMENTS = """\
dealers:
  - id: D001
    name: Alpha Securities LLC
    agreements:
      - {effective: 2003-11-01, funds: all, share_classes: all, rate: "0.25", frequency: quarterly,
         minimum_payment: "0", prepaid_months: 0}
"""
FUND = "INVESCO Dynamics Fund"


def test_retention_is_the_payable_less_the_trails(tmp_path: Path) -> None:
    aim = make_aim_ledger(tmp_path)
    (tmp_path / "agreements.yaml").write_text(AGREEMENTS)
    assert run_cli("--db", aim.url, "dealers", "record", str(tmp_path / "agreements.yaml")).code == 0
    sessions = nyse_sessions(Period(date(2003, 10, 25), date(2003, 12, 1)))
    positions = tmp_path / "positions.csv"
    positions.write_text(
        "date,dealer,fund,share_class,purchase_month,net_assets\n"
        + "".join(f"{day},D001,{FUND},Investor,2003-06,1000000.00\n" for day in sessions)
    )
    nav = ["--nav", str(aim.nav), "--month", "2003-11"]
    result = run_cli("--db", aim.url, "fees", "retention", *nav, "--positions", str(positions), "--json")
    assert result.code == 0, result.err
    rows = {r["fund"]: r for r in json.loads(result.out)["retention"]}
    fees = json.loads(run_cli("--db", aim.url, "fees", "payables", *nav, "--json").out)["payables"]
    assert len(rows) == len(fees) > 1
    for p in fees:
        r = rows[p["fund"]]
        assert (r["fee"], r["fee_distribution"]) == (p["fee"], p["fee_distribution"])
        # 28 days (from 2003-11-03) of 1,000,000 x 0.25% / 365 = 6.85 a day
        trails = "191.80" if p["fund"] == FUND else "0.00"
        assert r["trails_accrued"] == trails
        assert Decimal(r["retained"]) == Decimal(p["fee"]) - Decimal(trails)
    bad = run_cli("--db", aim.url, "fees", "retention", *nav[:-1], "2003-13", "--positions", str(positions))
    assert bad.code == 2 and "--month '2003-13'" in bad.err


def test_remaining_amount_from_the_ledger(tmp_path: Path) -> None:
    aim = make_aim_ledger(tmp_path)
    sales = tmp_path / "sales.csv"
    sales.write_text(
        "date,fund,share_class,gross_sales,front_end_loads_retained,cdsc_collected\n"
        f'2003-11-03,{FUND},Investor,"$1,000,000.00",0,0\n'
        f"2003-11-20,{FUND},Investor,0,0,250.00\n"
        "2003-11-03,INVESCO Dynamcs Fund,Investor,5.00,0,0\n"
    )
    args = ["--db", aim.url, "fees", "remaining", "--sales", str(sales), "--nav", str(aim.nav)]
    result = run_cli(*args, "--prime", str(PRIME), "--as-of", "2003-11-30", "--json")
    assert result.code == 0, result.err
    body = json.loads(result.out)
    (row,) = body["remaining"]
    # no service fee is stated: 7.25% of $1,000,000
    assert (row["fund"], row["gross_sales"], row["cap"], row["cdsc_collected"]) == (
        FUND,
        "1000000.00",
        "72500.00",
        "250.00",
    )
    accrued = json.loads(
        run_cli(
            "--db", aim.url, "fees", "payables", "--nav", str(aim.nav), "--month", "2003-11", "--json"
        ).out
    )["payables"]
    fee = next(p["fee_distribution"] for p in accrued if p["fund"] == FUND)
    assert row["asset_based"] == fee
    assert Decimal(row["remaining"]) == Decimal("72500.00") + Decimal(row["interest"]) - Decimal(fee) - 250
    assert Decimal(row["interest"]) > 0 and row["first_negative"] is None and body["findings"] == []
    assert "did you mean 'INVESCO Dynamics Fund'?" in result.err
    assert "no rows for 17 fund-class(es) with an asset-based charge" in result.err
    # a class whose charges outrun its cap: a finding citing the rule, exit status 1
    sales.write_text(sales.read_text().replace('"$1,000,000.00"', "100.00"))
    short = run_cli(*args, "--prime", str(PRIME), "--as-of", "2003-11-30")
    assert short.code == 1, short.err
    assert (
        "error: NASD Conduct Rule 2830(d)(2) (now FINRA Rule 2341(d)(2)): INVESCO Dynamics Fund" in short.out
    )
    assert "went below zero on 2003-11-0" in short.out
    late = run_cli(*args, "--prime", str(PRIME), "--as-of", "2003-10-01")
    assert late.code == 2 and "--as-of 2003-10-01: before the first sale (2003-11-03)" in late.err
