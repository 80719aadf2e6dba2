"""Distributor retention (the month's fees minus the trails accrued) agrees to the cent with an
independent reference: daily fees from NAV (Decimal, one day at a time) minus the trails the
trail reference accrues day by day, on the generated trail cases (tests/fees/trails_cases.py)."""

from __future__ import annotations

import bisect
import calendar
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

import pyarrow as pa
import pytest
from trails_cases import AGREEMENTS, COVERAGE, positions, ref_dealers
from trails_cases import coverage as plan_coverage
from trails_reference import daily_trails

from distplan.fees import Engine
from distplan.fees.agreements import read_agreements
from distplan.fees.positions import SCHEMA
from distplan.fees.retention import retention
from distplan.fees.run import FeeResult, payables
from distplan.model import fold_class, fold_name
from distplan.periods import Period, nyse_sessions

CENT = Decimal("0.01")
DISTRIBUTION, SERVICE = Decimal("0.10"), Decimal("0.25")


def _nav(sessions: list[date], seed: int) -> list[dict[str, object]]:
    rnd = random.Random(seed)
    return [
        {"fund": f, "share_class": c, "date": day, "net_assets": Decimal(rnd.randrange(10**9, 10**11)) / 100}
        for day in sessions
        for f, c, _, _ in COVERAGE
    ]


def _reference_fees(nav: list[dict[str, object]], sessions: list[date], start: date, end: date) -> dict:
    by = {(r["fund"], r["date"]): r["net_assets"] for r in nav}
    out: dict[str, tuple[Decimal, Decimal]] = {}
    for fund, _cls, s, e in COVERAGE:
        d_fee = s_fee = Decimal(0)
        day = max(start, s)
        while day < min(end, e or end):
            na = by[(fund, sessions[bisect.bisect_right(sessions, day) - 1])]
            diy = 366 if calendar.isleap(day.year) else 365
            d_fee += (na * DISTRIBUTION / 100 / diy).quantize(CENT, ROUND_HALF_EVEN)
            s_fee += (na * SERVICE / 100 / diy).quantize(CENT, ROUND_HALF_EVEN)
            day += timedelta(days=1)
        out[fold_name(fund)] = (d_fee, s_fee)
    return out


@pytest.mark.parametrize("month", [date(2004, 1, 1), date(2004, 2, 1)])  # Feb: leap day, Beta removed
def test_retention_agrees_with_the_reference_to_the_cent(duck: Engine, month: date, tmp_path) -> None:
    end = date(month.year, month.month + 1, 1)
    sessions = nyse_sessions(Period(date(2003, 9, 1), date(2004, 10, 1)))
    nav = _nav([s for s in sessions if date(2003, 12, 15) <= s < end], 4)
    rows = positions(5)
    cov = plan_coverage(DISTRIBUTION)
    got = retention(
        duck,
        pa.Table.from_pylist(nav),
        pa.Table.from_pylist(rows, schema=SCHEMA),
        read_agreements(AGREEMENTS, "a.yaml"),
        cov,
        month,
        end,
    )
    fees = _reference_fees(nav, sessions, month, end)
    ref_rows = [{**r, "net_assets": Decimal(r["cents"]) / 100} for r in rows]
    cov_ref = [(f, c, s, e or end) for f, c, s, e in COVERAGE]
    trails = daily_trails(ref_rows, ref_dealers(), cov_ref, sessions, (month, end))
    assert len(got.rows) == 2
    for r in got.rows:
        d_fee, s_fee = fees[fold_name(r["fund"])]
        owed = sum(
            (
                v
                for (_, fk, ck), v in trails.items()
                if (fk, ck) == (fold_name(r["fund"]), fold_class(r["share_class"]))
            ),
            Decimal(0),
        )
        assert (r["fee_distribution"], r["fee_service"]) == (d_fee, s_fee), r
        assert r["trails_accrued"] == owed > 0
        assert r["retained"] == d_fee + s_fee - owed
    assert got.total["retained"] == sum(r["retained"] for r in got.rows)


def test_trails_above_the_fee_warn(duck: Engine) -> None:
    sessions = nyse_sessions(Period(date(2003, 12, 15), date(2004, 2, 1)))
    nav = [{**r, "net_assets": Decimal("1000.00")} for r in _nav(sessions, 1)]  # tiny fund, big trails
    got = retention(
        duck,
        pa.Table.from_pylist(nav),
        pa.Table.from_pylist(positions(5), schema=SCHEMA),
        read_agreements(AGREEMENTS, "a.yaml"),
        plan_coverage(DISTRIBUTION),
        date(2004, 1, 1),
        date(2004, 2, 1),
    )
    alpha = next(r for r in got.rows if r["fund"] == "Alpha Fund")
    assert alpha["retained"] < 0
    assert any("Alpha Fund" in w.message and "exceed the fund's fee" in w.message for w in got.warnings)


def test_given_payables_are_used_not_computed_again(duck: Engine) -> None:
    sessions = nyse_sessions(Period(date(2003, 12, 15), date(2004, 2, 1)))
    args = (
        pa.Table.from_pylist(positions(5), schema=SCHEMA),
        read_agreements(AGREEMENTS, "a.yaml"),
        plan_coverage(DISTRIBUTION),
        date(2004, 1, 1),
        date(2004, 2, 1),
    )
    fresh = retention(duck, pa.Table.from_pylist(_nav(sessions, 1)), *args)
    paid = payables(
        plan_coverage(DISTRIBUTION), pa.Table.from_pylist(_nav(sessions, 1)), *args[3:], engine=duck
    )
    more = paid.table.set_column(
        paid.table.column_names.index("fee"), "fee", [[f + 1 for f in paid.table["fee"].to_pylist()]]
    )
    no_nav = pa.Table.from_pylist([], schema=pa.schema([("fund", pa.string())]))  # not read
    given = retention(duck, no_nav, *args, fees=FeeResult(more.cast(paid.table.schema)))
    assert [r["retained"] - 1 for r in given.rows] == [r["retained"] for r in fresh.rows]
