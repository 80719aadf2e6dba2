"""Answers that were wrong in practice (issue 8 item 23) and failures that must be one line
(items 20, 22): sample data a month can use, accrual ranges said out loud, spreadsheet CSV,
misspelt fund names, bad Parquet values, outputs."""

from __future__ import annotations

import json
import math
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from fees_aim import AMENDMENTS, aim_coverage, aim_nav
from test_fees_cli import run

from aim_inputs import gold_instrument_json as aim_instrument_json
from distplan.errors import InputError
from distplan.fees import Engine, FeeOptions, accrue, payables

NOV = (date(2003, 11, 1), date(2003, 12, 1))
LEISURE = "INVESCO Leisure Fund"


def test_cli_month_sample_data_accrue_month_and_one_line_failures(tmp_path: Path) -> None:
    for name, _ in AMENDMENTS:
        (tmp_path / f"{name}.json").write_text(json.dumps(aim_instrument_json(name)))
    assert run(tmp_path, "record", *(f"{n}.json" for n, _ in AMENDMENTS)).returncode == 0
    terms = (
        "terms",
        "set",
        "--effective",
        "2003-07-01",
        "--source",
        "terms",
        "--distribution",
        "0",
        "--service",
        "0.25",
    )
    assert run(tmp_path, *terms).returncode == 0
    # January 2004: the 1st is a holiday and accrues on 2003-12-31, which the sample must hold.
    (tmp_path / "d.parquet").mkdir()
    done = run(tmp_path, "sample-data", "--from", "2004-01-01", "--to", "2004-02-01", "--out", "jan.parquet")
    assert done.returncode == 0 and "sessions 2003-12-31 to 2004-01-30" in done.stdout, done.stderr
    done = run(tmp_path, "fees", "payables", "--nav", "jan.parquet", "--month", "2004-01", "--json")
    assert done.returncode == 0, done.stderr
    assert {r["days"] for r in json.loads(done.stdout)["payables"]} == {31}
    done = run(tmp_path, "fees", "accrue", "--nav", "jan.parquet", "--month", "2004-01", "--out", "d.csv")
    assert done.returncode == 0, done.stderr
    assert "accrued 2004-01-01 through 2004-01-31 (31 days; 2004-02-01 not included)" in done.stdout
    for argv, words in (
        (
            ("sample-data", "--from", "2004-01-01", "--to", "2004-02-01", "--out", "d.parquet"),
            "is a directory",
        ),
        (
            ("sample-data", "--from", "1985-01-01", "--to", "1985-02-01", "--out", "x.csv"),
            "NYSE calendar starts",
        ),
        (
            ("sample-data", "--from", "0001-01-01", "--to", "0001-02-01", "--out", "x.csv"),
            "not a plausible date",
        ),
        (
            (
                "fees",
                "accrue",
                "--nav",
                "jan.parquet",
                "--from",
                "2004-01-01",
                "--to",
                "9999-12-31",
                "--out",
                "x.csv",
            ),
            "not a plausible date",
        ),
        (
            ("fees", "payables", "--nav", "jan.parquet", "--month", "2004-01", "--due-days", "100000000"),
            "--due-days",
        ),
        (("fees", "accrue", "--nav", "jan.parquet", "--out", "x.csv"), "give --month YYYY-MM"),
    ):
        done = run(tmp_path, *argv)
        assert done.returncode == 2 and done.stderr.count("\n") == 1 and words in done.stderr, (
            argv,
            done.stderr,
        )
    assert not (tmp_path / "x.csv").exists() and list((tmp_path / "d.parquet").iterdir()) == []


def _csv(nav: pa.Table, header: str, sep: str, money: object, day: object) -> str:
    lines = [header]
    for r in nav.to_pylist():
        lines.append(sep.join([f'"{r["fund"]}"', r["share_class"], day(r["date"]), money(r["net_assets"])]))  # type: ignore[operator]
    return "\n".join(lines) + "\n"


def test_spreadsheet_csv_forms_give_the_same_money(duck: Engine, tmp_path: Path) -> None:
    nav = aim_nav(amount="123456789.25")
    clean = payables(aim_coverage(), nav, *NOV, engine=duck).table
    us_day = lambda d: f"{d.month}/{d.day}/{d.year}"  # noqa: E731
    forms = {
        "us.csv": _csv(nav, "Fund Name,Class,NAV Date,Total Net Assets", ",", lambda v: f'"${v:,}"', us_day),
        "eu.csv": _csv(
            nav,
            "fund;share_class;date;net_assets",
            ";",
            lambda v: f"{v:,}".replace(",", "X").replace(".", ",").replace("X", "."),
            str,
        ),
        "odd.csv": _csv(nav, "Portfolio\tShares\tAsOf\tTNA", "\t", str, str),
    }
    for name, text in forms.items():
        (tmp_path / name).write_text(text)
    columns = {"fund": "Portfolio", "share_class": "Shares", "date": "AsOf", "net_assets": "TNA"}
    for name in forms:
        options = FeeOptions(columns=columns if name == "odd.csv" else None)
        assert payables(aim_coverage(), tmp_path / name, *NOV, engine=duck, options=options).table.equals(
            clean
        ), name
    with pytest.raises(InputError, match=r"odd\.csv: missing column\(s\) date .*--columns"):
        payables(aim_coverage(), tmp_path / "odd.csv", *NOV, engine=duck)
    bad = forms["us.csv"].splitlines()
    bad[7] = bad[7].replace("/2003", "/03")
    (tmp_path / "bad.csv").write_text("\n".join(bad))
    with pytest.raises(InputError, match=r"bad\.csv:8: date '11/\d+/03' is not a date"):
        payables(aim_coverage(), tmp_path / "bad.csv", *NOV, engine=duck)
    (tmp_path / "amb.csv").write_text(
        f"fund;share_class;date;net_assets\n{LEISURE};Investor;2003-11-03;1,234\n"
    )
    with pytest.raises(InputError, match=r"amb\.csv:2: net_assets '1,234' is ambiguous"):
        payables(aim_coverage(), tmp_path / "amb.csv", *NOV, engine=duck)


def test_a_misspelt_fund_is_named_once_with_a_suggestion(duck: Engine) -> None:
    nav = aim_nav()
    nav = nav.set_column(
        0, "fund", pc.if_else(pc.equal(nav["fund"], LEISURE), "Invesco Leisure Fnd", nav["fund"])
    )
    with pytest.raises(InputError) as raised:
        payables(aim_coverage(), nav, *NOV, engine=duck)
    message = str(raised.value)
    assert message == (
        "<arrow table>: no NAV rows at all for 1 covered fund-class(es): INVESCO Leisure Fund (Investor) "
        "(did you mean the NAV's 'Invesco Leisure Fnd (Investor)'?) (--carry-missing carries the last NAV)"
    )


@pytest.mark.parametrize("value", [math.nan, math.inf, 1e300])
def test_nan_infinite_or_huge_float_net_assets_are_bad_input(
    duck: Engine, tmp_path: Path, value: float
) -> None:
    nav = aim_nav()
    floats = pc.cast(nav["net_assets"], pa.float64()).to_pylist()
    floats[4] = value
    pq.write_table(nav.set_column(3, "net_assets", pa.array(floats, pa.float64())), tmp_path / "f.parquet")
    with pytest.raises(InputError, match=r"f\.parquet: net_assets is not an amount in 1 row\(s\)"):
        payables(aim_coverage(), tmp_path / "f.parquet", *NOV, engine=duck)


def test_accrue_out_never_follows_a_planted_link_and_leaves_nothing_on_error(
    duck: Engine, tmp_path: Path
) -> None:
    victim = tmp_path / "victim"
    victim.write_text("precious")
    for name in (".daily.csv.tmp", "daily.csv.tmp", ".daily.csv."):
        (tmp_path / name).symlink_to(victim)
    accrue(aim_coverage(), aim_nav(), *NOV, tmp_path / "daily.csv", engine=duck)
    assert victim.read_text() == "precious" and not (tmp_path / "daily.csv").is_symlink()
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(InputError):
        accrue(aim_coverage(), aim_nav(date(2003, 11, 10)), *NOV, tmp_path / "gap.csv", engine=duck)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert Decimal(str(sum(1 for _ in (tmp_path / "daily.csv").open()) - 1)) == 476
