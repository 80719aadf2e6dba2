"""DuckDB and Spark give identical results, to the cent, on the same inputs (Spark really runs)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from fees_aim import aim_coverage, aim_nav

from distplan.fees import Coverage, Engine, FeeOptions, accrue, payables

pytestmark = pytest.mark.spark

START, END = date(2003, 11, 1), date(2004, 1, 1)


def awkward_nav(scale: int = -2) -> pa.Table:
    """AIM NAV with varied amounts (half-cent ties among them); scale -3 gives sub-cent digits,
    which the engine computes in its exact decimal mode."""
    nav = aim_nav(START, END)
    n = nav.num_rows
    amounts = [Decimal(730 + 1000003 * i % 7919) + Decimal(i % 97).scaleb(scale) for i in range(n)]
    return nav.set_column(3, "net_assets", pa.array(amounts, pa.decimal128(38, 10)))


@pytest.mark.parametrize("rounding", ["daily-cents-half-even", "monthly-cents-half-even"])
def test_payables_identical_on_duckdb_and_spark(duck: Engine, spark: Engine, rounding: str) -> None:
    cov = [
        *aim_coverage(),
        Coverage(
            "Other",
            "T",
            "INVESCO Leisure Fund",
            "C",
            date(2003, 11, 7),
            None,
            Decimal("0.75"),
            Decimal("0.25"),
            None,
            "C1",
        ),
    ]
    nav = awkward_nav()
    extra = nav.filter(pc.equal(nav["fund"], "INVESCO Leisure Fund")).set_column(
        1, "share_class", pa.array(["C"] * 41, pa.string())
    )
    nav = pa.concat_tables([nav, extra])
    # drop one session for the C class: carried on both engines
    gap = pc.and_(
        pc.equal(nav["share_class"], "C"), pc.equal(nav["date"], pa.scalar(date(2003, 12, 3), pa.date32()))
    )
    nav = nav.filter(pc.invert(gap))
    opts = FeeOptions(rounding=rounding, carry_missing=True)  # type: ignore[arg-type]
    on_duck = payables(cov, nav, START, END, engine=duck, options=opts)
    on_spark = payables(cov, nav, START, END, engine=spark, options=opts)
    assert on_duck.table.num_rows == 19 + 14 + 2  # AIM November, December; the C class
    assert on_spark.table.equals(on_duck.table)
    assert on_spark.warnings == on_duck.warnings


def test_daily_rows_identical_and_written_by_spark(duck: Engine, spark: Engine, tmp_path: Path) -> None:
    nav = awkward_nav(scale=-3)
    a = accrue(aim_coverage(), nav, START, END, tmp_path / "duck.parquet", engine=duck)
    b = accrue(aim_coverage(), nav, START, END, tmp_path / "spark.parquet", engine=spark)
    assert a.rows_written == b.rows_written == 476 + 14 * 31
    left, right = pq.read_table(tmp_path / "duck.parquet"), pq.read_table(tmp_path / "spark.parquet")
    keys = [("fund", "ascending"), ("date", "ascending")]
    assert left.sort_by(keys).to_pylist() == right.sort_by(keys).to_pylist()
