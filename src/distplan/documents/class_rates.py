"""Rates given once per share class (a class table above a bare fund list), inherited by the rows
of that class that state none."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from distplan.model import ScheduleRow


def apply_class_rates(
    rows: list[ScheduleRow], class_rates: dict[str, dict[str, Decimal]]
) -> list[ScheduleRow]:
    """Rows that state no fee take the rates their class was given once (a class table above or
    below a bare fund list); with one class in the table, rows of no stated class take it too; with
    several, a row of no stated class stands for one row per class."""
    if not class_rates:
        return rows
    only = next(iter(class_rates)) if len(class_rates) == 1 else None
    out: list[ScheduleRow] = []
    for row in rows:
        if only is None and row.share_class is None and row.total_rate is None:
            # A bare fund list and a table of several classes' rates (a "Schedule B" of classes):
            # every listed fund has every class of the table -- an inference, said on the row.
            out.extend(_with_class(row, cls, fees) for cls, fees in class_rates.items())
            continue
        cls = row.share_class or only
        fees = class_rates.get(cls) if cls else None
        if fees is None or row.total_rate is not None:
            out.append(row)
            continue
        out.append(
            replace(
                row,
                share_class=cls,
                distribution_fee=fees.get("distribution"),
                service_fee=fees.get("service"),
                aggregate_fee=fees.get("aggregate"),
            )
        )
    return out


CROSS_FLAG = "class from the class rate table"


def _with_class(row: ScheduleRow, cls: str, fees: dict[str, Decimal]) -> ScheduleRow:
    return replace(
        row,
        share_class=cls,
        distribution_fee=fees.get("distribution"),
        service_fee=fees.get("service"),
        aggregate_fee=fees.get("aggregate"),
        flags=(*row.flags, CROSS_FLAG) if CROSS_FLAG not in row.flags else row.flags,
    )
