"""Typed results of the workspace's queries. `to_json` is the JSON the CLI prints with --json
and the API returns: one spelling for every front end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from distplan.app.values import KnownAt, known_at_json
from distplan.history import HistoryItem, PlanState
from distplan.ledger import Entry, Plan
from distplan.model import CoveragePeriod


@dataclass(frozen=True)
class PlanSummary:
    plan: Plan
    instruments: int

    def to_json(self) -> dict[str, Any]:
        return {**self.plan.to_json(), "instruments": self.instruments}


@dataclass(frozen=True)
class ScheduleView:
    plan: Plan
    as_of: date
    known_at: KnownAt
    state: PlanState

    def to_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "known_at": known_at_json(self.known_at),
            "plan": self.plan.to_json(),
            "message": self.state.message(),
            "instruments": list(self.state.instruments),
            "warnings": list(self.state.warnings),
            "rows": [line.to_json() for line in self.state.rows],
        }


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
