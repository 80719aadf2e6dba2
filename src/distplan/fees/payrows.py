"""Payable rows as Arrow: the engine's numbers joined here to the names, and the totals.

Only the numbers cross from the engine, sorted there (cheap on integer columns); the names and
month labels are taken here from the small coverage and month tables by period and month id:
carrying millions of strings through the engine's sort and result conversion cost more than
the arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from ibis.expr.types import Table

from distplan.fees.coverage import Period
from distplan.fees.engine import Engine
from distplan.fees.options import PAYABLE_COLUMNS

# The payables columns the engine computes (the rest are looked up by id, see `fetch`).
NUMERIC = (
    "days",
    "average_net_assets",
    "fee_distribution",
    "fee_service",
    "fee",
    "fc_id",
    "month_id",
    "n_periods",
    "bad",
    "first",
    "last",
)


def fetch(
    engine: Engine, expr: Table, cov: pa.Table, months: pa.Table, periods: Sequence[Period]
) -> pa.Table:
    """PAYABLE_COLUMNS and the check's columns (fc_id, month_id, n_periods, bad, first, last)."""
    nums = engine.to_arrow(expr.select(*NUMERIC).order_by(["month_id", "fc_id"]))
    # Names are those of the month's last coverage period (period_id is its index).
    last = nums["last"]
    month_at = pc.index_in(nums["month_id"], value_set=months["month_id"])
    cols: dict[str, pa.Array | pa.ChunkedArray] = {
        "month": pc.take(months["month"], month_at),
        "plan": pc.take(cov["plan"], last),
        "registrant": pc.take(cov["registrant"], last),
        "fund": pc.take(cov["fund"], last),
        "share_class": pc.take(cov["share_class"], last),
        "days": nums["days"],
    }
    for name in ("average_net_assets", "fee_distribution", "fee_service", "fee"):
        cols[name] = cents_to_dollars(nums[name])
    cols["due_date"] = pc.take(months["due_date"], month_at)
    cols["instruments"] = pc.take(cov["instrument"], last)
    for name in NUMERIC[5:]:
        cols[name] = nums[name]
    return _list_instruments(pa.table(cols), periods)


def complete(table: pa.Table, expected_period_months: int) -> bool:
    """The proof held: no period-month marked bad, and none missing."""
    return pc.sum(table["bad"]).as_py() in (None, 0) and (
        (pc.sum(table["n_periods"]).as_py() or 0) == expected_period_months
    )


def public(table: pa.Table) -> pa.Table:
    return table.select(list(PAYABLE_COLUMNS))


def _list_instruments(table: pa.Table, periods: Sequence[Period]) -> pa.Table:
    """Every instrument behind a month's rates, in order, where the month has several
    coverage periods (the expression gives the last period's)."""
    several = pc.not_equal(table["first"], table["last"])
    if not pc.any(several).as_py():
        return table
    table = table.combine_chunks()
    several = pc.not_equal(table["first"], table["last"]).chunk(0)
    where = pc.indices_nonzero(several)
    listed = [
        "; ".join(dict.fromkeys(periods[i].instrument for i in range(lo, hi + 1)))
        for lo, hi in zip(
            pc.take(table["first"], where).to_pylist(),
            pc.take(table["last"], where).to_pylist(),
            strict=True,
        )
    ]
    column = pc.replace_with_mask(table["instruments"].chunk(0), several, pa.array(listed, pa.string()))
    return table.set_column(table.schema.get_field_index("instruments"), "instruments", column)


def cents_to_dollars(cents: pa.ChunkedArray) -> pa.Array:
    """int64 cents -> decimal128(38, 2) dollars, exactly: a decimal128 *is* its unscaled
    integer (little-endian, two's complement), so the int64 is widened to 128 bits in place."""
    if cents.null_count:  # pragma: no cover - aggregates of non-null ints
        raise RuntimeError("null cents in payables")
    values = cents.to_numpy()
    lanes = np.empty((len(values), 2), dtype="<i8")
    lanes[:, 0] = values
    lanes[:, 1] = values >> 63  # sign extension
    return pa.Array.from_buffers(pa.decimal128(38, 2), len(values), [None, pa.py_buffer(lanes)])


def totals(table: pa.Table) -> dict[str, list[dict[str, object]]]:
    """Totals per registrant (within plan) and per plan, as Decimal: the fee by component and
    `payable`, what is paid: the fee, or for a reimbursement plan (rows with `paid`) the amount
    reimbursed, never the cap."""
    by_plan: dict[str, dict[str, Decimal]] = {}
    by_reg: dict[tuple[str, str], dict[str, Decimal]] = {}
    paid = "paid" if "paid" in table.column_names else "fee"
    cols = ("fee_distribution", "fee_service", "fee", "payable")
    for row in table.select(
        ["plan", "registrant", "fee_distribution", "fee_service", "fee", paid]
    ).to_pylist():
        row["payable"] = row[paid]
        for bucket in (
            by_plan.setdefault(row["plan"], dict.fromkeys(cols, Decimal("0.00"))),
            by_reg.setdefault((row["plan"], row["registrant"] or ""), dict.fromkeys(cols, Decimal("0.00"))),
        ):
            for c in cols:
                bucket[c] += row[c]
    return {
        "plans": [{"plan": p, **v} for p, v in sorted(by_plan.items())],
        "registrants": [{"plan": p, "registrant": r, **v} for (p, r), v in sorted(by_reg.items())],
    }
