"""Fee runs: monthly payables, and daily accruals written by the engine.

The run itself (the name pass, the arithmetic mode, the completeness proof, the one pass of
`accrue`) is `runner.FeeRun`; what a run is asked and returns is in `options`; the wording of
gaps and duplicates in `gaps`; the payable rows and totals in `payrows`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pyarrow.compute as pc
from ibis.expr.types import Table

from distplan.fees.coverage import CoverageLike
from distplan.fees.engine import Engine
from distplan.fees.navsource import NavSource
from distplan.fees.options import PAYABLE_COLUMNS, FeeOptions, FeeResult, Progress
from distplan.fees.payrows import public, totals
from distplan.fees.runner import FeeRun

__all__ = ["PAYABLE_COLUMNS", "FeeOptions", "FeeResult", "Progress", "accrue", "payables", "totals"]


def _engine(engine: Engine | None) -> tuple[Engine, bool]:
    return (engine, False) if engine is not None else (Engine.duckdb(), True)


def payables(
    coverage: Iterable[CoverageLike],
    nav: NavSource,
    start: date,
    end: date,
    *,
    engine: Engine | None = None,
    options: FeeOptions | None = None,
    progress: Progress | None = None,
) -> FeeResult:
    """Monthly payables for the months in `[start, end)` (a partial month covers its days in
    range). Columns: PAYABLE_COLUMNS. Raises InputError on missing NAV unless carrying."""
    eng, own = _engine(engine)
    try:
        run = FeeRun(eng, coverage, nav, start, end, options or FeeOptions(), progress)
        table = run.payables()
        return FeeResult(public(table), tuple(run.warnings), start, end)
    finally:
        if own:
            eng.close()


def accrue(
    coverage: Iterable[CoverageLike],
    nav: NavSource,
    start: date,
    end: date,
    out: Path | None = None,
    *,
    engine: Engine | None = None,
    options: FeeOptions | None = None,
    progress: Progress | None = None,
) -> FeeResult:
    """Daily accrual rows for `[start, end)`. With `out` the engine writes them to that .csv or
    .parquet file (nothing is written if a check fails) and `table` holds the payables that
    checked them; without `out` the daily rows come back as the result's `table`. The daily
    rows are computed once: the payables and the NAV completeness proof come from them."""
    eng, own = _engine(engine)
    try:
        run = FeeRun(eng, coverage, nav, start, end, options or FeeOptions(), progress)
        if out is None:
            _, daily = run.accrue(eng.to_arrow)
            return FeeResult(daily, tuple(run.warnings), start, end)

        def write(rows: Table) -> None:
            run.progress(f"writing {out}")
            eng.write(rows, out)

        checked, _ = run.accrue(write)
        days = pc.sum(checked["days"]).as_py() or 0
        return FeeResult(public(checked), tuple(run.warnings), start, end, rows_written=int(days))
    finally:
        if own:
            eng.close()
