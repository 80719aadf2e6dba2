"""Compliance from the workspace: findings as of a day and the deadline calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from distplan.app.values import KnownAt, known_at_json
from distplan.ledger import Entry, Plan


@dataclass(frozen=True)
class FindingsView:
    plan: Plan
    as_of: date
    known_at: KnownAt
    findings: list[Any]  # compliance.findings.Finding

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    def to_json(self) -> dict[str, Any]:
        from distplan.compliance.findings import summary

        return {
            "as_of": self.as_of.isoformat(),
            "known_at": known_at_json(self.known_at),
            "plan": self.plan.label,
            "summary": summary(self.findings),
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass(frozen=True)
class CalendarView:
    plan: Plan
    start: date
    end: date
    known_at: KnownAt
    deadlines: list[Any]  # compliance.calendar.Deadline

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "known_at": known_at_json(self.known_at),
            "plan": self.plan.label,
            "deadlines": [d.to_json() for d in self.deadlines],
        }


def findings(entries: list[Entry], plan: Plan, as_of: date, known_at: KnownAt) -> FindingsView:
    from distplan.compliance.engine import run_checks
    from distplan.compliance.rulebook import load_rulebook
    from distplan.compliance.sources import check_input

    return FindingsView(
        plan, as_of, known_at, run_checks(check_input(entries, plan, as_of), load_rulebook(None))
    )


def calendar(entries: list[Entry], plan: Plan, start: date, end: date, known_at: KnownAt) -> CalendarView:
    from datetime import timedelta

    from distplan.compliance.calendar import deadlines
    from distplan.compliance.rulebook import load_rulebook
    from distplan.compliance.sources import check_input

    inp = check_input(entries, plan, end - timedelta(days=1))
    return CalendarView(plan, start, end, known_at, deadlines(inp, start, end, load_rulebook(None)))
