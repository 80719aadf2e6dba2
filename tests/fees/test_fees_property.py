"""Property: for random schedules, rate changes and NAV series, the engine's payables equal the
plain-Python reference (exact rationals, day by day) to the cent, in both arithmetic modes and
both rounding policies, with and without gaps."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pyarrow as pa
import pytest
from fees_reference import Gap, average_net_assets
from fees_reference import payables as reference
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from distplan.errors import InputError
from distplan.fees import Coverage, Engine, FeeOptions, payables
from distplan.periods import Period, nyse_sessions

FUNDS = (("Alpha Growth Fund", "A"), ("Alpha Growth Fund", "C"), ("Beta Income Fund", "Investor"))
# The NAV file spells names differently: matching folds case and punctuation.
NAV_SPELLING = {"Alpha Growth Fund": "ALPHA GROWTH FUND", "Beta Income Fund": "Beta Income Fund."}
RATES = [Decimal(x) for x in ("0", "0.25", "0.75", "0.10", "1.00", "0.0625", "0.35")]
# Amounts whose accruals land on half cents at 0.25% / 365 (ties exercise half-even).
TIES = [Decimal(x) for x in ("730.00", "2190.00", "3650.00", "732.00", "1.46")]


@st.composite
def cases(draw: st.DrawFn) -> dict[str, object]:
    start = date(2019, 11, 1) + timedelta(days=draw(st.integers(0, 100)))
    end = start + timedelta(days=draw(st.integers(1, 70)))
    exact_rate = draw(st.booleans()) and draw(st.booleans())
    coverage: list[Coverage] = []
    for fund, cls in draw(st.lists(st.sampled_from(FUNDS), min_size=1, max_size=3, unique=True)):
        cuts = sorted(draw(st.lists(st.integers(-10, 80), min_size=1, max_size=4, unique=True)))
        bounds = [start + timedelta(days=c) for c in cuts] + [None]
        for i, lo in enumerate(bounds[:-1]):
            hi = bounds[i + 1]
            assert lo is not None
            if i and draw(st.booleans()) and hi is not None:
                lo = lo + timedelta(days=draw(st.integers(0, (hi - lo).days - 1)))  # a gap before
            rd, rs = draw(st.sampled_from(RATES)), draw(st.sampled_from(RATES))
            if exact_rate and i == 0:
                rs = Decimal("0.12345")
            agg_only = draw(st.integers(0, 9)) == 0
            coverage.append(
                Coverage(
                    "Plan",
                    "Trust",
                    fund,
                    cls,
                    lo,
                    hi,
                    None if agg_only else rd,
                    None if agg_only else rs,
                    rd + rs,
                    f"Amendment {len(coverage) + 1}",
                )
            )
    amounts = st.one_of(
        st.sampled_from(TIES),
        st.integers(0, 10**12).map(lambda c: Decimal(c).scaleb(-2)),
        st.integers(0, 10**9).map(lambda c: Decimal(c).scaleb(-5)),  # sub-cent: the exact mode
    )
    sub_cent_ok = draw(st.booleans())
    drop = draw(st.integers(0, 3)) == 0
    nav: list[tuple[str, str, date, Decimal]] = []
    for fund, cls in {(c.fund, c.share_class) for c in coverage}:
        for day in nyse_sessions(Period(start - timedelta(days=15), end)):
            if drop and draw(st.integers(0, 6)) == 0:
                continue
            value = draw(amounts)
            if not sub_cent_ok:
                value = value.quantize(Decimal("0.01"))
            nav.append((NAV_SPELLING[fund], cls or "", day, value))
    return {
        "start": start,
        "end": end,
        "coverage": coverage,
        "nav": nav,
        "rounding": draw(st.sampled_from(["daily-cents-half-even", "monthly-cents-half-even"])),
        "carry": draw(st.booleans()),
        "force_exact": draw(st.booleans()),
    }


def nav_table(rows: list[tuple[str, str, date, Decimal]]) -> pa.Table:
    return pa.table(
        {
            "fund": pa.array([r[0] for r in rows], pa.string()),
            "share_class": pa.array([r[1] for r in rows], pa.string()),
            "date": pa.array([r[2] for r in rows], pa.date32()),
            "net_assets": pa.array([r[3] for r in rows], pa.decimal128(38, 10)),
        }
    )


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.duckdb(threads=1)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(case=cases())
def test_engine_equals_reference(engine: Engine, case: dict) -> None:
    start, end, coverage, nav = case["start"], case["end"], case["coverage"], case["nav"]
    opts = FeeOptions(rounding=case["rounding"], carry_missing=case["carry"], force_exact=case["force_exact"])
    try:
        expected = reference(coverage, nav, start, end, case["rounding"], case["carry"])
    except Gap:
        with pytest.raises(InputError, match="NAV"):
            payables(coverage, nav_table(nav), start, end, engine=engine, options=opts)
        return
    got = payables(coverage, nav_table(nav), start, end, engine=engine, options=opts).table.to_pylist()
    assert len(got) == len(expected)
    for row in got:
        key = (row["month"], (row["fund"].casefold(), (row["share_class"] or "").casefold()))
        ref = expected[key]
        assert row["days"] == ref.days, key
        assert row["fee_distribution"] == ref.posted_d, key
        assert row["fee_service"] == ref.posted_s, key
        assert row["fee"] == ref.posted_d + ref.posted_s, key
        assert row["average_net_assets"] == average_net_assets(ref), key
