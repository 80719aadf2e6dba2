"""The FINRA remaining amount agrees to the cent with an independent day-by-day Decimal
reference (written from the rule as fees/remaining.py documents it: 6.25% / 7.25% of gross
sales, asset-based accruals from NAV, loads and CDSCs, interest at prime + 1% on a positive
balance, actual/actual, credited daily), across a prime-rate change and a leap day; a class that
runs out gets a finding citing the rule with the first negative day."""

from __future__ import annotations

import bisect
import calendar
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pyarrow as pa
import pytest

from distplan.compliance import load_rulebook
from distplan.compliance.checks.remaining import remaining_amount_findings
from distplan.errors import InputError
from distplan.fees import Engine
from distplan.fees.prime import read_prime
from distplan.fees.remaining import remaining
from distplan.fees.sales import Sale, read_sales
from distplan.model import CoveragePeriod
from distplan.periods import Period, nyse_sessions

PRIME = Path(__file__).resolve().parents[2] / "examples" / "dealers" / "prime-rate.csv"
START, AS_OF = date(2004, 2, 1), date(2004, 8, 31)
# (fund, class, distribution, service): Beta pays no service fee, so its cap is 7.25%
CLASSES = [("Alpha Fund", "B", Decimal("0.75"), Decimal("0.25")), ("Beta Fund", "C", Decimal("0.75"), None)]
CENT = Decimal("0.01")


def _coverage() -> list[CoveragePeriod]:
    return [
        CoveragePeriod("Plan", None, f, c, date(2003, 1, 1), None, d, s, None, "x") for f, c, d, s in CLASSES
    ]


def _inputs(seed: int) -> tuple[list[dict[str, object]], list[Sale]]:
    rnd = random.Random(seed)
    nav = [
        {"fund": f, "share_class": c, "date": s, "net_assets": Decimal(rnd.randrange(10**9, 2 * 10**9)) / 100}
        for s in nyse_sessions(Period(date(2004, 1, 26), AS_OF + timedelta(days=1)))
        for f, c, _, _ in CLASSES
    ]
    sales = []
    day = START
    while day <= AS_OF:
        for f, c, _, _ in CLASSES:
            # Beta sells little after its first day, and its loads and CDSCs use the cap up
            top = 5_000_000_00 if f == "Alpha Fund" or day == START else 100_000_00
            if day == START or rnd.random() < 0.6:  # both sell on the first day: the run starts there
                cents = (
                    rnd.randrange(top // 5, top),
                    rnd.randrange(0, 20_000_00),
                    rnd.randrange(0, 5_000_00),
                )
                sales.append(Sale(day, f, c, cents, "test"))
        day += timedelta(days=1)
    return nav, sales


def _reference(nav: list[dict[str, object]], sales: list[Sale]) -> dict[str, tuple[Decimal, date | None]]:
    prime = [
        (date(2003, 6, 27), Decimal("4.00")),
        (date(2004, 6, 30), Decimal("4.25")),
        (date(2004, 8, 10), Decimal("4.50")),
    ]
    out = {}
    for fund, _cls, dist, service in CLASSES:
        sessions = sorted({r["date"] for r in nav if r["fund"] == fund})
        na = {r["date"]: r["net_assets"] for r in nav if r["fund"] == fund}
        sold = {s.day: s.cents for s in sales if s.fund == fund}
        pct = Decimal("6.25") if service else Decimal("7.25")
        remaining, negative = Decimal(0), None
        day = START
        while day <= AS_OF:
            diy = 366 if calendar.isleap(day.year) else 365
            if remaining > 0:
                rate = [r for d, r in prime if d <= day][-1] + 1
                remaining += (remaining * rate / 100 / diy).quantize(CENT, ROUND_HALF_EVEN)
            gross, loads, cdsc = (Decimal(c) / 100 for c in sold.get(day, (0, 0, 0)))
            session = sessions[bisect.bisect_right(sessions, day) - 1]
            fee = (na[session] * dist / 100 / diy).quantize(CENT, ROUND_HALF_EVEN)
            remaining += (gross * pct / 100).quantize(CENT, ROUND_HALF_EVEN) - fee - loads - cdsc
            if remaining < 0 and negative is None:
                negative = day
            day += timedelta(days=1)
        out[fund] = (remaining, negative)
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_the_remaining_amount_agrees_with_the_reference(duck: Engine, seed: int) -> None:
    nav, sales = _inputs(seed)
    got = remaining(duck, pa.Table.from_pylist(nav), sales, read_prime(PRIME), _coverage(), AS_OF)
    want = _reference(nav, sales)
    by = {r["fund"]: r for r in got.rows}
    for fund, (amount, negative) in want.items():
        r = by[fund]
        assert (r["remaining"], r["first_negative"]) == (amount, negative), fund
        assert r["remaining"] == r["cap"] + r["interest"] - r["charges"]
        assert r["charges"] == r["asset_based"] + r["loads_retained"] + r["cdsc_collected"]
    assert by["Alpha Fund"]["first_negative"] is None and by["Alpha Fund"]["interest"] > 0
    assert by["Beta Fund"]["first_negative"] is not None  # the case happens
    (f,) = remaining_amount_findings(got.rows, load_rulebook())
    assert f.citation == "NASD Conduct Rule 2830(d)(2) (now FINRA Rule 2341(d)(2))"
    assert f.subject.fund == "Beta Fund" and str(by["Beta Fund"]["first_negative"]) in f.message


def test_the_bundled_prime_rate_has_the_2004_changes() -> None:
    rates = read_prime(PRIME)
    assert rates.on(date(2004, 6, 29)) == Decimal("4.00")
    assert rates.on(date(2004, 6, 30)) == Decimal("4.25")
    assert rates.on(date(2004, 12, 14)) == Decimal("5.25")
    assert rates.on(date(2005, 12, 31)) == Decimal("7.25")
    with pytest.raises(InputError, match="no prime rate in force on 2000-12-31"):
        rates.on(date(2000, 12, 31))


HEADER = "date,fund,share_class,gross_sales,front_end_loads_retained,cdsc_collected\n"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2004-01-02,Alpha Fund,B,10.005,0,0", "s.csv:2: gross_sales '10.005' has sub-cent digits"),
        ("2004-01-02,Alpha Fund,B,1E+5,0,0", "s.csv:2: gross_sales '1E+5' is in scientific notation"),
        ("2004-01-02,Alpha Fund,B,100,-1,0", "s.csv:2: front_end_loads_retained '-1' is negative"),
        ("2004-02-30,Alpha Fund,B,100,0,0", "s.csv:2: date '2004-02-30' is not a calendar date"),
        ("2004-01-02,,B,100,0,0", "s.csv:2: fund is empty"),
        ("2004-01-02,Alpha Fund,B,1,0,0\n1/2/2004,alpha fund,B,1,0,0", "s.csv:3: a second row"),
    ],
)
def test_bad_sales_are_one_line_naming_the_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "s.csv"
    path.write_text(HEADER + line + "\n")
    with pytest.raises(InputError) as raised:
        read_sales(path)
    assert message in str(raised.value)


def test_bad_prime_rates_are_one_line(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("# comment\ndate,rate\n2004-01-01,4.00\n2004-01-01,4.25\n")
    with pytest.raises(InputError, match=r"p\.csv:4: a second rate from 2004-01-01 \(first: .*p\.csv:3\)"):
        read_prime(path)
    path.write_text("date,rate\n2004-01-01,four\n")
    with pytest.raises(InputError, match=r"p\.csv:2: rate 'four' is not a rate"):
        read_prime(path)
