"""Fees from the workspace: monthly payables of a plan from a net-assets file, and how any fee
run is set up (`FeeSettings`, `fee_options`, `running`; accrue and true-up are in fees.py)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from distplan.app.errors import Invalid
from distplan.app.values import KnownAt, known_at_json
from distplan.ledger import Plan
from distplan.model import CoveragePeriod, Diagnostic

if TYPE_CHECKING:  # pyarrow (and numpy) load only with the fee engine, not for `schedule`
    import pyarrow as pa

    from distplan.fees import Engine, FeeOptions
    from distplan.fees.navsource import NavSource

PLAN_TYPES = ("compensation", "reimbursement")


def plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


@dataclass(frozen=True)
class PayablesView:
    plan: Plan
    known_at: KnownAt
    month: str
    rounding: str
    plan_type: str
    table: pa.Table
    warnings: tuple[Diagnostic, ...]

    def rows(self) -> list[dict[str, Any]]:
        return [{k: plain(v) for k, v in row.items()} for row in self.table.to_pylist()]

    def totals(self) -> dict[str, list[dict[str, Any]]]:
        from distplan.fees import totals

        return {
            k: [{kk: plain(vv) for kk, vv in r.items()} for r in v] for k, v in totals(self.table).items()
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan.to_json(),
            "known_at": known_at_json(self.known_at),
            "month": self.month,
            "rounding": self.rounding,
            "plan_type": self.plan_type,
            "payables": self.rows(),
            "totals": self.totals(),
            "warnings": [w.message for w in dict.fromkeys(self.warnings)],
        }

    def to_csv(self) -> str:
        """The payable rows as CSV; a cell that a spreadsheet would run as a formula is quoted
        with a leading apostrophe."""
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(self.table.column_names)
        for row in self.rows():
            writer.writerow([_cell(row[c]) for c in self.table.column_names])
        return buf.getvalue()


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _numeric(text) else text


def _numeric(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True


@dataclass(frozen=True)
class FeeSettings:
    """How a fee run is done, beyond what it computes (defaults: what the web app uses): the
    engine, the NAV file's column names and name mapping, the due date, a reimbursement plan's
    balances brought in and whether they carry forward, and a progress callback."""

    engine: str = "duckdb"
    spark_master: str = "local[*]"
    mapping: Path | None = None
    columns: Mapping[str, str] | None = None
    due_days: int = 10
    carry_in: Path | None = None
    carry_forward: bool = True
    progress: Callable[[str], None] | None = None


def fee_options(how: FeeSettings, rounding: str, carry_missing: bool) -> FeeOptions:
    """The fees stage's options for a run (an unknown rounding or a missing name mapping refused
    here, by field, for payables, accrue and true-up alike)."""
    from distplan.fees import ROUNDINGS, FeeOptions

    if rounding not in ROUNDINGS:
        raise Invalid(f"rounding {rounding!r}: expected one of {', '.join(ROUNDINGS)}", "rounding")
    if how.mapping is not None and not how.mapping.is_file():
        raise Invalid(f"{how.mapping}: no such file (the NAV name mapping)", "mapping")
    return FeeOptions(
        rounding=rounding,  # type: ignore[arg-type]
        carry_missing=carry_missing,
        due_days=how.due_days,
        mapping=how.mapping,
        columns=how.columns,
    )


@contextmanager
def running(how: FeeSettings) -> Iterator[Engine]:
    """The engine `how` names, for one call, closed after it."""
    from distplan.fees import Engine

    engine = Engine.open(how.engine, spark_master=how.spark_master)
    try:
        yield engine
    finally:
        engine.close()


def payables(
    coverage: list[CoveragePeriod],
    plan: Plan,
    known_at: KnownAt,
    nav: NavSource,
    year: int,
    month: int,
    *,
    rounding: str = "daily-cents-half-even",
    carry_missing: bool = False,
    plan_type: str = "compensation",
    expenses: Path | None = None,
    settings: FeeSettings | None = None,
) -> PayablesView:
    from distplan.fees import payables as run_payables
    from distplan.fees.calendar import month_period_of
    from distplan.fees.reimbursement import read_carry_in, read_expenses, reimburse

    how = settings or FeeSettings()
    opts = fee_options(how, rounding, carry_missing)
    if plan_type not in PLAN_TYPES:
        raise Invalid(f"plan type {plan_type!r}: expected compensation or reimbursement", "plan_type")
    if plan_type == "reimbursement" and expenses is None:
        raise Invalid("a reimbursement plan's payables need the month's expenses", "expenses")
    # The small inputs are read (and refused) before the engine starts.
    spent = read_expenses(expenses) if expenses is not None else []
    brought = read_carry_in(how.carry_in) if how.carry_in is not None else {}
    start, end = month_period_of(year, month)
    with running(how) as engine:
        result = run_payables(coverage, nav, start, end, engine=engine, options=opts, progress=how.progress)
    table, warnings = result.table, list(result.warnings)
    if plan_type == "reimbursement":
        table, more = reimburse(table, spent, brought, carry_forward=how.carry_forward)
        warnings.extend(more)
    return PayablesView(
        plan, known_at, f"{year:04d}-{month:02d}", rounding, plan_type, table, tuple(warnings)
    )
