"""Fees from the workspace beyond the monthly payables (money.py): daily accruals written by the
engine to a file, and a month's true-up between two moments of the ledger's knowledge.

Each runs the fees stage's own function on the plan's coverage: the checks come first (the
small inputs before the engine starts), then one engine for the call, closed after it. The
Workspace's fee runs (`FeeCalls`: payables, accrue, true-up) read the coverage and delegate
here or to money.py; the CLI and the web app share them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from distplan import history as H
from distplan.app.core import Core, PlanRef
from distplan.app.money import FeeSettings, PayablesView, fee_options, payables, plain, running
from distplan.app.values import KnownAt, known_at_json
from distplan.ledger import Plan
from distplan.model import CoveragePeriod, Diagnostic

if TYPE_CHECKING:
    import pyarrow as pa

    from distplan.fees.navsource import NavSource

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class AccrualView:
    """What `accrue` wrote: the file, its row count and the accrued total (checked by the
    payables computed from the same daily rows)."""

    plan: Plan
    known_at: KnownAt
    start: date
    end: date  # exclusive
    rounding: str
    out: Path
    rows: int
    total: Decimal
    warnings: tuple[Diagnostic, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan.to_json(),
            "known_at": known_at_json(self.known_at),
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "last_day": (self.end - timedelta(days=1)).isoformat(),
            "days": (self.end - self.start).days,
            "rounding": self.rounding,
            "out": str(self.out),
            "rows": self.rows,
            "total": str(self.total),
            "warnings": [w.message for w in self.warnings],
        }


@dataclass(frozen=True)
class TrueUpView:
    """A month as known at A and at B (`table`: fees.trueup.TRUE_UP_COLUMNS)."""

    plan: Plan  # as known at B
    month: str
    known_at_a: KnownAt
    known_at_b: KnownAt
    table: pa.Table
    warnings: tuple[Diagnostic, ...]

    @property
    def adjustment(self) -> Decimal:
        return sum((r["adjustment"] for r in self.table.to_pylist()), ZERO)

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan.to_json(),
            "month": self.month,
            "from_known_at": known_at_json(self.known_at_a),
            "to_known_at": known_at_json(self.known_at_b),
            "rows": [{k: plain(v) for k, v in row.items()} for row in self.table.to_pylist()],
            "adjustment": str(self.adjustment),
            "warnings": [w.message for w in self.warnings],
        }


def accrue(
    coverage: list[CoveragePeriod],
    plan: Plan,
    known_at: KnownAt,
    nav: NavSource,
    start: date,
    end: date,
    out: Path,
    *,
    rounding: str = "daily-cents-half-even",
    carry_missing: bool = False,
    settings: FeeSettings | None = None,
) -> AccrualView:
    """Daily accruals for `[start, end)` written to `out` (.csv or .parquet); nothing is
    written when a check fails."""
    from distplan.fees import accrue as run_accrue

    how = settings or FeeSettings()
    opts = fee_options(how, rounding, carry_missing)
    with running(how) as engine:
        result = run_accrue(
            coverage, nav, start, end, out, engine=engine, options=opts, progress=how.progress
        )
    total = sum((r["fee"] for r in result.table.to_pylist()), ZERO)
    return AccrualView(
        plan, known_at, start, end, rounding, out, result.rows_written or 0, total, result.warnings
    )


def true_up(
    coverage_a: list[CoveragePeriod],
    coverage_b: list[CoveragePeriod],
    plan: Plan,
    known_at: tuple[KnownAt, KnownAt],
    nav: NavSource,
    year: int,
    month: int,
    *,
    rounding: str = "daily-cents-half-even",
    carry_missing: bool = False,
    settings: FeeSettings | None = None,
) -> TrueUpView:
    """What the month owed with the coverage as known at A and at B, and the adjustment."""
    from distplan.fees import true_up as run_true_up
    from distplan.fees.calendar import month_period_of

    how = settings or FeeSettings()
    opts = fee_options(how, rounding, carry_missing)
    start, end = month_period_of(year, month)
    with running(how) as engine:
        result = run_true_up(
            coverage_a, coverage_b, nav, start, end, engine=engine, options=opts, progress=how.progress
        )
    return TrueUpView(plan, f"{year:04d}-{month:02d}", *known_at, result.table, result.warnings)


class FeeCalls(Core):
    """The Workspace's fee runs: the coverage read under the lock, then the engine run in a
    second call (it works on its own data, same lock)."""

    def _coverage(self, ref: PlanRef, known_at: KnownAt) -> tuple[list[CoveragePeriod], Plan]:
        with self._call():
            entries, plan = self._read(ref, known_at)
            return H.coverage(entries, plan, cache=self.history_cache), plan

    def payables(
        self,
        ref: PlanRef,
        nav: NavSource,
        year: int,
        month: int,
        *,
        known_at: KnownAt = None,
        rounding: str = "daily-cents-half-even",
        carry_missing: bool = False,
        plan_type: str = "compensation",
        expenses: Path | None = None,
        settings: FeeSettings | None = None,
    ) -> PayablesView:
        """A month's payables; `settings`: the engine and NAV-reading choices (the CLI's flags)."""
        coverage, plan = self._coverage(ref, known_at)
        with self._call():
            return payables(
                coverage,
                plan,
                known_at,
                nav,
                year,
                month,
                rounding=rounding,
                carry_missing=carry_missing,
                plan_type=plan_type,
                expenses=expenses,
                settings=settings,
            )

    def accrue(
        self,
        ref: PlanRef,
        nav: NavSource,
        start: date,
        end: date,
        out: Path,
        *,
        known_at: KnownAt = None,
        rounding: str = "daily-cents-half-even",
        carry_missing: bool = False,
        settings: FeeSettings | None = None,
    ) -> AccrualView:
        coverage, plan = self._coverage(ref, known_at)
        with self._call():
            return accrue(
                coverage,
                plan,
                known_at,
                nav,
                start,
                end,
                out,
                rounding=rounding,
                carry_missing=carry_missing,
                settings=settings,
            )

    def true_up(
        self,
        ref: PlanRef,
        nav: NavSource,
        year: int,
        month: int,
        *,
        known_at: tuple[KnownAt, KnownAt],
        rounding: str = "daily-cents-half-even",
        carry_missing: bool = False,
        settings: FeeSettings | None = None,
    ) -> TrueUpView:
        """`known_at`: (A, B)."""
        coverage_a, _ = self._coverage(ref, known_at[0])
        coverage_b, plan = self._coverage(ref, known_at[1])
        with self._call():
            return true_up(
                coverage_a,
                coverage_b,
                plan,
                known_at,
                nav,
                year,
                month,
                rounding=rounding,
                carry_missing=carry_missing,
                settings=settings,
            )
