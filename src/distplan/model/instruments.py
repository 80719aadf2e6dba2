"""What one filed document says (a plan, a schedule, an amendment), and the coverage periods
history folds them into. Rates are percent per annum as `Decimal`, kept exactly as stated."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from distplan.model.names import FundClassKey
from distplan.model.rates import Rates, rate_text

Kind = Literal["amendment", "schedule", "plan"]
KINDS: tuple[str, ...] = ("amendment", "schedule", "plan")
Level = Literal["info", "warning", "error"]
OPS: tuple[str, ...] = (
    "replace_schedule",
    "add_rows",
    "remove_rows",
    "set_rates",
    "amend_text",
    "terminate",
    "rename_registrant",
    "rename_fund",
)


@dataclass(frozen=True)
class Diagnostic:
    level: Level
    message: str
    line: int | None = None


@dataclass(frozen=True)
class Source:
    path: str
    sha256: str


@dataclass(frozen=True)
class ScheduleRow:
    fund: str
    registrant: str | None = None
    share_class: str | None = None
    distribution_fee: Decimal | None = None
    service_fee: Decimal | None = None
    aggregate_fee: Decimal | None = None
    effective_date: date | None = None
    lines: tuple[int, int] | None = None
    # How sure the extractor is (0-1) and why not (short reasons: "class inferred from title").
    confidence: float = 1.0
    flags: tuple[str, ...] = ()

    @property
    def rates(self) -> Rates:
        return Rates(self.distribution_fee, self.service_fee, self.aggregate_fee)

    @property
    def total_rate(self) -> Decimal | None:
        """The annual rate charged under the cap rule (`Rates.total`)."""
        return self.rates.total

    @property
    def key(self) -> FundClassKey:
        """Identity of a covered fund-class."""
        return FundClassKey.of(self.fund, self.share_class)


@dataclass(frozen=True)
class Schedule:
    label: str
    replaces_entirely: bool
    rows: tuple[ScheduleRow, ...] = ()
    lines: tuple[int, int] | None = None


@dataclass(frozen=True)
class PlanRef:
    title: str | None
    share_classes: tuple[str, ...] = ()
    dated: date | None = None


@dataclass(frozen=True)
class Operation:
    """One change an instrument makes. `rows` for schedule operations; `section`/`text` for
    amend_text; `target`/`new_name` for renames (and `target` for terminate)."""

    op: str
    rows: tuple[ScheduleRow, ...] = ()
    section: str | None = None
    text: str | None = None
    target: str | None = None
    new_name: str | None = None
    lines: tuple[int, int] | None = None


@dataclass(frozen=True)
class Instrument:
    source: Source
    kind: Kind
    title: str
    amendment_number: int | None = None
    plan: PlanRef = field(default_factory=lambda: PlanRef(None))
    effective_date: date | None = None
    dated: date | None = None
    operations: tuple[Operation, ...] = ()
    schedule: Schedule | None = None
    signatories: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    # Where the effective date and the "Dated:" date were read (1-based line numbers).
    effective_date_lines: tuple[int, int] | None = None
    dated_lines: tuple[int, int] | None = None
    confidence: float = 1.0  # the extractor's confidence in the whole document (0-1)

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.level == "error")

    def with_diagnostics(self, *extra: Diagnostic) -> Instrument:
        return replace(self, diagnostics=self.diagnostics + extra)


@dataclass(frozen=True)
class CoveragePeriod:
    """A half-open stretch `[start, end)` in which a fund-class is covered by a plan with the
    same registrant, rates and instrument. History produces these; fees and compliance read them."""

    plan: str
    registrant: str | None
    fund: str
    share_class: str | None
    start: date
    end: date | None
    rate_distribution: Decimal | None
    rate_service: Decimal | None
    rate_aggregate: Decimal | None
    instrument: str

    @property
    def rates(self) -> Rates:
        return Rates(self.rate_distribution, self.rate_service, self.rate_aggregate)

    @property
    def total_rate(self) -> Decimal | None:
        """The annual rate charged under the cap rule (`Rates.total`)."""
        return self.rates.total

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat() if self.end else None,
            "registrant": self.registrant,
            "fund": self.fund,
            "share_class": self.share_class,
            "rates": {
                "distribution_fee": rate_text(self.rate_distribution),
                "service_fee": rate_text(self.rate_service),
                "aggregate_fee": rate_text(self.rate_aggregate),
            },
            "instrument": self.instrument,
        }
