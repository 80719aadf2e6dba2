"""Retroactive true-up: a month's payables as the ledger knew the plan at two moments.

A late-recorded amendment (say, a rate cut effective last month) changes what was owed. The
true-up runs the same month twice on the same NAV, with the coverage as known at A and as
known at B, and lists per fund-class what was owed at each and the adjustment (B - A).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import pyarrow as pa

from distplan.fees.coverage import CoverageLike
from distplan.fees.engine import Engine
from distplan.fees.navsource import NavSource
from distplan.fees.run import FeeOptions, FeeResult, Progress, payables
from distplan.model import FundClassKey

ZERO = Decimal("0.00")
TRUE_UP_COLUMNS = (
    "month",
    "plan",
    "registrant",
    "fund",
    "share_class",
    "days_a",
    "days_b",
    "fee_distribution_a",
    "fee_distribution_b",
    "fee_service_a",
    "fee_service_b",
    "fee_a",
    "fee_b",
    "adjustment",
    "instruments_a",
    "instruments_b",
)


def true_up(
    coverage_a: Iterable[CoverageLike],
    coverage_b: Iterable[CoverageLike],
    nav: NavSource,
    start: date,
    end: date,
    *,
    engine: Engine | None = None,
    options: FeeOptions | None = None,
    progress: Progress | None = None,
) -> FeeResult:
    """Rows per (month, plan, fund-class) owed under either coverage; `adjustment` = B - A."""
    own = engine is None
    eng = engine or Engine.duckdb()
    try:
        a = payables(coverage_a, nav, start, end, engine=eng, options=options, progress=progress)
        b = payables(coverage_b, nav, start, end, engine=eng, options=options, progress=progress)
    finally:
        if own:
            eng.close()
    merged: dict[tuple[str, str, FundClassKey], dict[str, object]] = {}
    for side, result in (("a", a), ("b", b)):
        for row in result.table.to_pylist():
            key = (row["month"], row["plan"], FundClassKey.of(row["fund"], row["share_class"]))
            item = merged.setdefault(key, {"month": row["month"], "plan": row["plan"]})
            # Names as known later win: B is the corrected view.
            if side == "b" or "fund" not in item:
                item.update(registrant=row["registrant"], fund=row["fund"], share_class=row["share_class"])
            item[f"days_{side}"] = row["days"]
            for col in ("fee_distribution", "fee_service", "fee"):
                item[f"{col}_{side}"] = row[col]
            item[f"instruments_{side}"] = row["instruments"]
    rows = []
    for key in sorted(merged, key=lambda k: (k[0], k[1], k[2])):
        item = merged[key]
        for side in ("a", "b"):
            item.setdefault(f"days_{side}", 0)
            for col in ("fee_distribution", "fee_service", "fee"):
                item.setdefault(f"{col}_{side}", ZERO)
            item.setdefault(f"instruments_{side}", None)
        item["adjustment"] = item["fee_b"] - item["fee_a"]  # type: ignore[operator]
        rows.append({c: item.get(c) for c in TRUE_UP_COLUMNS})
    money = pa.decimal128(38, 2)
    schema = pa.schema(
        [
            ("month", pa.string()),
            ("plan", pa.string()),
            ("registrant", pa.string()),
            ("fund", pa.string()),
            ("share_class", pa.string()),
            ("days_a", pa.int64()),
            ("days_b", pa.int64()),
            *((f"{c}_{s}", money) for c in ("fee_distribution", "fee_service", "fee") for s in ("a", "b")),
            ("adjustment", money),
            ("instruments_a", pa.string()),
            ("instruments_b", pa.string()),
        ]
    )
    schema = pa.schema([schema.field(c) for c in TRUE_UP_COLUMNS])
    warnings = tuple(dict.fromkeys(a.warnings + b.warnings))
    return FeeResult(pa.Table.from_pylist(rows, schema=schema), warnings, start, end)
