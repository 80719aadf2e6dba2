"""Typed results of the workspace's queries. `to_json` is the JSON the CLI prints with --json
and the API returns: one spelling for every front end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from distplan.app.values import KnownAt, known_at_json
from distplan.history import HistoryItem, Line, PlanState
from distplan.ledger import Entry, Plan
from distplan.model import CoveragePeriod


@dataclass(frozen=True)
class PlanSummary:
    plan: Plan
    instruments: int

    def to_json(self) -> dict[str, Any]:
        return {**self.plan.to_json(), "instruments": self.instruments}


@dataclass(frozen=True)
class Page:
    """One page of a long list: the rows from `offset`, at most `limit`, of `total` (those
    matching `fund`, a part of a fund's name, when given)."""

    offset: int
    limit: int
    total: int
    fund: str | None = None

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - self.limit) if self.offset > 0 else None

    def to_json(self) -> dict[str, Any]:
        return {
            "offset": self.offset,
            "limit": self.limit,
            "total": self.total,
            "fund": self.fund,
            "next_offset": self.next_offset,
        }


@dataclass(frozen=True)
class ScheduleView:
    """The schedule on a day; `rows` are the page asked for (all of them when `page` is None)."""

    plan: Plan
    as_of: date
    known_at: KnownAt
    state: PlanState
    page: Page | None = None
    page_rows: tuple[Line, ...] | None = None

    @property
    def rows(self) -> tuple[Line, ...]:
        return self.state.rows if self.page_rows is None else self.page_rows

    def to_json(self) -> dict[str, Any]:
        out = {
            "as_of": self.as_of.isoformat(),
            "known_at": known_at_json(self.known_at),
            "plan": self.plan.to_json(),
            "message": self.state.message(),
            "instruments": list(self.state.instruments),
            "warnings": list(self.state.warnings),
            "rows": [line.to_json() for line in self.rows],
        }
        if self.page is not None:
            out["page"] = self.page.to_json()
        return out


@dataclass(frozen=True)
class DiffView:
    plan: Plan
    known_at: KnownAt
    result: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {**self.result, "known_at": known_at_json(self.known_at), "plan": self.plan.to_json()}


@dataclass(frozen=True)
class TimelineView:
    plan: Plan
    known_at: KnownAt
    result: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {**self.result, "known_at": known_at_json(self.known_at)}


@dataclass(frozen=True)
class HistoryView:
    plan: Plan
    as_of: date
    known_at: KnownAt
    items: list[HistoryItem]
    warnings: list[str]
    recorded_by: dict[int, str | None] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan.to_json(),
            "as_of": self.as_of.isoformat(),
            "known_at": known_at_json(self.known_at),
            "warnings": self.warnings,
            "entries": [{**it.to_json(), "recorded_by": self.recorded_by.get(it.seq)} for it in self.items],
        }


@dataclass(frozen=True)
class CoverageView:
    """Coverage periods and the dates the schedule changed (the instruments' effective dates),
    so a chart can split its bars at each amendment."""

    plan: Plan
    known_at: KnownAt
    periods: list[CoveragePeriod]
    amendments: list[tuple[date, str]]  # (effective date, instrument label), in date order

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": self.plan.to_json(),
            "known_at": known_at_json(self.known_at),
            "periods": [p.to_json() for p in self.periods],
            "amendments": [{"effective_date": d.isoformat(), "instrument": n} for d, n in self.amendments],
        }


@dataclass(frozen=True)
class LedgerRow:
    """One entry as the ledger page shows it."""

    entry: Entry
    label: str
    plan: Plan | None
    recorded_by: str | None
    status: str | None  # history's status for instruments and terms (None for other kinds)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.entry.to_json(),
            "label": self.label,
            "plan": self.plan.to_json() if self.plan else None,
            "recorded_by": self.recorded_by,
            "status": self.status,
        }


@dataclass(frozen=True)
class RecordOutcome:
    """What one record call did: entries made, inputs already recorded, governance, warnings."""

    recorded: list[dict[str, Any]] = field(default_factory=list)
    unchanged: list[dict[str, Any]] = field(default_factory=list)
    governance: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "recorded": self.recorded,
            "unchanged": self.unchanged,
            "warnings": list(dict.fromkeys(self.warnings)),
        }
        if self.governance:
            out["governance"] = self.governance
        return out
