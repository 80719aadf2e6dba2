"""Property: for random schedules, rate changes and NAV series, the engine's payables equal the
plain-Python reference (exact rationals, day by day) to the cent, in both arithmetic modes and
both rounding policies, with and without gaps."""

from __future__ import annotations

import pytest
from fees_cases import cases, nav_table
from fees_reference import Gap, average_net_assets
from fees_reference import payables as reference
from hypothesis import HealthCheck, given, settings

from distplan.errors import InputError
from distplan.fees import Engine, FeeOptions, payables


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
