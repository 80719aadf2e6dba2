"""Fees: daily accruals and monthly payables from net assets, on DuckDB or Spark via Ibis.

    from distplan.fees import payables, accrue, FeeOptions, Engine
    result = payables(coverage, "nav.parquet", date(2003, 11, 1), date(2003, 12, 1))
    result.table        # Arrow: month, plan, registrant, fund, share_class, days, ...
    result.warnings     # Diagnostics: funds never covered, carried NAV, aggregate-only rates

`coverage` is any sequence of objects shaped like `history.CoveragePeriod`. Dates are half-open:
`[start, end)`. Money is Decimal / DECIMAL; rounding is a named policy (`FeeOptions.rounding`).
"""

from __future__ import annotations

from distplan.fees.coverage import Coverage, CoverageLike
from distplan.fees.engine import ENGINES, Engine
from distplan.fees.expressions import ROUNDINGS, Rounding
from distplan.fees.reimbursement import CATEGORIES, read_expenses, reimburse
from distplan.fees.run import PAYABLE_COLUMNS, FeeOptions, FeeResult, accrue, payables, totals
from distplan.fees.trueup import true_up

__all__ = [
    "CATEGORIES",
    "ENGINES",
    "PAYABLE_COLUMNS",
    "ROUNDINGS",
    "Coverage",
    "CoverageLike",
    "Engine",
    "FeeOptions",
    "FeeResult",
    "Rounding",
    "accrue",
    "payables",
    "read_expenses",
    "reimburse",
    "totals",
    "true_up",
]
