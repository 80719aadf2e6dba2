"""What a fee run is asked (FeeOptions), what it returns (FeeResult), and the limits it holds."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa

from distplan.errors import InputError
from distplan.fees.expressions import ROUNDINGS, Rounding
from distplan.model import Diagnostic

# The exact integer arithmetic of `expressions` holds below this: $10 trillion per fund-class.
MAX_NET_ASSETS = Decimal("1e13")
MAX_DUE_DAYS = 366

Progress = Callable[[str], None]

PAYABLE_COLUMNS = (
    "month",
    "plan",
    "registrant",
    "fund",
    "share_class",
    "days",
    "average_net_assets",
    "fee_distribution",
    "fee_service",
    "fee",
    "due_date",
    "instruments",
)


@dataclass(frozen=True)
class FeeOptions:
    rounding: Rounding = "daily-cents-half-even"
    carry_missing: bool = False
    due_days: int = 10
    mapping: Path | None = None
    # The NAV file's column for each field, when not named fund, share_class, date, net_assets.
    columns: Mapping[str, str] | None = None
    # Use the decimal arithmetic even when the integer (cents) mode would do: same results,
    # slower; the tests run both.
    force_exact: bool = False

    def __post_init__(self) -> None:
        if self.rounding not in ROUNDINGS:
            raise InputError(f"--rounding: expected one of {', '.join(ROUNDINGS)}, got {self.rounding!r}")
        if not 0 <= self.due_days <= MAX_DUE_DAYS:
            raise InputError(f"--due-days {self.due_days}: expected 0 to {MAX_DUE_DAYS} days after month end")


@dataclass(frozen=True)
class FeeResult:
    """Payables (one row per month, plan and fund-class) and what the run had to say."""

    table: pa.Table
    warnings: tuple[Diagnostic, ...] = ()
    start: date | None = None
    end: date | None = None
    rows_written: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


def noop(_: str) -> None:
    pass
