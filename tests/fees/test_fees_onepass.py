"""`accrue` in one pass: the daily rows are computed once, kept by the engine, and the payables
and the NAV completeness proof come from them; nothing is written when a check fails, and the
results equal the payables run (month segments straight from the NAV) and the reference."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from fees_aim import aim_coverage, aim_nav
from fees_cases import cases, nav_table
from fees_reference import Gap
from fees_reference import payables as reference
from hypothesis import HealthCheck, given, settings

from distplan.errors import InputError
from distplan.fees import Engine, FeeOptions, accrue, payables
from distplan.fees import expressions as ex
from distplan.fees.runner import FeeRun
from distplan.model import fold_name

NOV = (date(2003, 11, 1), date(2003, 12, 1))


def kept_tables(engine: Engine) -> list[str]:
    rows = engine.con.raw_sql("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
    return [r[0] for r in rows if r[0].startswith("distplan_kept")]


def test_missing_nav_writes_nothing_and_keeps_nothing(duck: Engine, tmp_path: Path) -> None:
    nav = aim_nav()
    gap = pc.and_(
        pc.equal(nav["fund"], "INVESCO Leisure Fund"), pc.equal(nav["date"], pa.scalar(date(2003, 11, 12)))
    )
    broken = nav.filter(pc.invert(gap))
    for name in ("daily.parquet", "daily.csv"):
        with pytest.raises(InputError, match=r"INVESCO Leisure Fund \(Investor\): 2003-11-12"):
            accrue(aim_coverage(), broken, *NOV, tmp_path / name, engine=duck)
    assert list(tmp_path.iterdir()) == []
    assert kept_tables(duck) == []
    # Carried instead: written, with the warning, and the kept rows released.
    done = accrue(
        aim_coverage(),
        broken,
        *NOV,
        tmp_path / "daily.parquet",
        engine=duck,
        options=FeeOptions(carry_missing=True),
    )
    assert [p.name for p in tmp_path.iterdir()] == ["daily.parquet"]
    assert done.rows_written == 476 and any("carried the last NAV" in w.message for w in done.warnings)
    daily = pq.read_table(tmp_path / "daily.parquet").to_pylist()
    carried = [r for r in daily if r["fund"] == "INVESCO Leisure Fund" and r["date"] == date(2003, 11, 12)]
    assert [r["nav_date"] for r in carried] == [date(2003, 11, 11)]
    assert kept_tables(duck) == []


def test_duplicate_nav_writes_nothing(duck: Engine, tmp_path: Path) -> None:
    nav = aim_nav()
    twice = pa.concat_tables([nav, nav.slice(5, 1)])
    with pytest.raises(InputError, match="duplicate NAV rows"):
        accrue(aim_coverage(), twice, *NOV, tmp_path / "daily.parquet", engine=duck)
    assert list(tmp_path.iterdir()) == []


def _direct_daily(engine: Engine, case: dict, opts: FeeOptions) -> list[dict]:
    """The previous implementation's daily rows: the day-segment join straight from the NAV,
    no kept rows (the reference for the one pass)."""
    run = FeeRun(engine, case["coverage"], nav_table(case["nav"]), case["start"], case["end"], opts, None)
    run.payables()  # carries missing NAV like the one pass does
    seg = run._segments("day")
    rows = ex.rows(run.nav_rows(), seg, run._navcov_t, run.mode)
    expr = ex.daily(rows, opts.rounding, run.mode).order_by(["fund", "share_class", "date"])
    return engine.to_arrow(expr).to_pylist()


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(case=cases())
def test_one_pass_equals_payables_the_reference_and_the_direct_daily_rows(
    duck: Engine, tmp_path_factory: pytest.TempPathFactory, case: dict
) -> None:
    start, end, coverage, nav = case["start"], case["end"], case["coverage"], case["nav"]
    opts = FeeOptions(rounding=case["rounding"], carry_missing=case["carry"], force_exact=case["force_exact"])
    out = tmp_path_factory.mktemp("onepass") / "daily.parquet"
    try:
        expected = reference(coverage, nav, start, end, case["rounding"], case["carry"])
    except Gap:
        with pytest.raises(InputError, match="NAV"):
            accrue(coverage, nav_table(nav), start, end, out, engine=duck, options=opts)
        assert not out.parent.exists() or list(out.parent.iterdir()) == []
        return
    written = accrue(coverage, nav_table(nav), start, end, out, engine=duck, options=opts)
    monthly = payables(coverage, nav_table(nav), start, end, engine=duck, options=opts)
    assert written.table.equals(monthly.table)
    assert written.warnings == monthly.warnings
    daily = pq.read_table(out).to_pylist()
    assert daily == accrue(coverage, nav_table(nav), start, end, engine=duck, options=opts).table.to_pylist()
    assert daily == _direct_daily(duck, case, opts)
    assert written.rows_written == len(daily) == sum(p.days for p in expected.values())
    sums: dict[tuple[str, tuple[str, str]], list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in daily:
        key = (row["date"].strftime("%Y-%m"), (fold_name(row["fund"]), fold_name(row["share_class"] or "")))
        sums[key][0] += row["accrual_distribution"]
        sums[key][1] += row["accrual_service"]
    assert set(sums) == set(expected)
    if case["rounding"] == "daily-cents-half-even":  # the month's payable is the sum of posted days
        for key, ref in expected.items():
            assert sums[key] == [ref.posted_d, ref.posted_s], key


def test_written_columns_have_the_declared_decimal_types(duck: Engine, tmp_path: Path) -> None:
    accrue(aim_coverage(), aim_nav(), *NOV, tmp_path / "daily.parquet", engine=duck)
    schema = pq.read_schema(tmp_path / "daily.parquet")
    for name in ("accrual_distribution", "accrual_service", "accrual"):
        assert schema.field(name).type == pa.decimal128(38, 2), name
    assert schema.field("net_assets").type == pa.decimal128(38, 10)
    monthly = FeeOptions(rounding="monthly-cents-half-even")
    accrue(aim_coverage(), aim_nav(), *NOV, tmp_path / "micro.parquet", engine=duck, options=monthly)
    assert pq.read_schema(tmp_path / "micro.parquet").field("accrual").type == pa.decimal128(38, 6)
