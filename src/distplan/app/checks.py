"""Compliance from the workspace: findings as of a day and the deadline calendar, from the
ledger's instruments, rates and governance facts, plus (a what-if) facts not recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from distplan.app.values import KnownAt, known_at_json
from distplan.ledger import Ledger, Plan


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


def _input(ledger: Ledger, plan: Plan, as_of: date, known_at: KnownAt, extra: Any) -> Any:
    """What the checks read; facts not recorded (`extra`) must name funds the plan knows."""
    from distplan.compliance.governance import GovernanceFacts
    from distplan.compliance.names import check_names, plan_names
    from distplan.compliance.sources import check_input

    extra = extra if extra is not None else GovernanceFacts()
    check_names(extra, plan_names(ledger.entries(), plan))  # a typo is no what-if
    return check_input(ledger.entries(known_at=known_at), plan, as_of, extra)


def _book(rulebook: Any) -> Any:
    from distplan.compliance.rulebook import load_rulebook

    return rulebook if rulebook is not None else load_rulebook(None)


def findings(
    ledger: Ledger, plan: Plan, as_of: date, known_at: KnownAt, extra: Any = None, rulebook: Any = None
) -> FindingsView:
    from distplan.compliance.engine import run_checks

    inp = _input(ledger, plan, as_of, known_at, extra)
    return FindingsView(plan, as_of, known_at, run_checks(inp, _book(rulebook)))


def calendar(
    ledger: Ledger,
    plan: Plan,
    start: date,
    end: date,
    known_at: KnownAt,
    extra: Any = None,
    rulebook: Any = None,
) -> CalendarView:
    from distplan.compliance.calendar import deadlines

    inp = _input(ledger, plan, end - timedelta(days=1), known_at, extra)
    return CalendarView(plan, start, end, known_at, deadlines(inp, start, end, _book(rulebook)))
