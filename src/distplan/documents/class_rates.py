"""Rates given once per share class (a class table above a bare fund list), inherited by the rows
of that class that state none."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from distplan.model import ScheduleRow


def apply_class_rates(
    rows: list[ScheduleRow], class_rates: dict[str, dict[str, Decimal]]
) -> list[ScheduleRow]:
    """Rows that state no fee take the rates their class was given once (a class table above a
    bare fund list); with one class table, rows of no stated class take it too."""
    if not class_rates:
        return rows
    only = next(iter(class_rates)) if len(class_rates) == 1 else None
    out = []
    for row in rows:
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
