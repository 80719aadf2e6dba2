"""The deadline calendar: annual continuances (per plan-class group and agreement), quarterly
report reviews, and record-retention dates, in a window [start, end), with the days left from
`start`. Unmet deadlines before the window are listed as overdue, so nothing falls between runs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from distplan.compliance.checks.common import class_subject
from distplan.compliance.checks.reports import plan_life, quarter_subject
from distplan.compliance.continuance import continuance_chains
from distplan.compliance.dates import (
    add_years,
    check_plausible,
    quarter_label,
    quarter_last_day,
    quarters,
    review_deadline,
)
from distplan.compliance.findings import Evidence, Subject
from distplan.compliance.inputs import CheckInput, fact_evidence
from distplan.compliance.rulebook import Rule, Rulebook, load_rulebook

STATUSES: tuple[str, ...] = ("overdue", "upcoming", "met", "date")


@dataclass(frozen=True)
class Deadline:
    due: date
    kind: str  # continuance | quarterly-report | retention-accessible | retention-keep
    rule: str
    citation: str
    subject: Subject
    description: str
    status: str  # overdue, upcoming, met (done on met_on), date (a date to note, nothing to do)
    days_left: int
    met_on: date | None = None
    evidence: tuple[Evidence, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "due": self.due.isoformat(),
            "kind": self.kind,
            "rule": self.rule,
            "citation": self.citation,
            "subject": self.subject.to_json(),
            "description": self.description,
            "status": self.status,
            "days_left": self.days_left,
            "met_on": self.met_on.isoformat() if self.met_on else None,
            "evidence": [e.to_json() for e in self.evidence],
        }


def _status(due: date, met_on: date | None, start: date) -> str:
    if met_on is not None:
        return "met"
    return "overdue" if due < start else "upcoming"


def _continuances(inp: CheckInput, book: Rulebook, start: date, end: date) -> list[Deadline]:
    rule = book.rule("12b-1(b)(3)(i)", on=start) or book.latest("12b-1(b)(3)(i)")
    out: list[Deadline] = []
    # Fund-classes whose chains differ earlier (one joined later) but owe the same continuance
    # in the window show as one deadline.
    same: dict[tuple[Any, ...], tuple[int, list[tuple[str, str | None]]]] = {}
    for chain in continuance_chains(inp, book, rule.integer("months"), end):
        for due in chain.dues:
            in_window = start <= due.due < end
            overdue = due.lapsed and due.due < start and (due.late_on is None or due.late_on >= start)
            if not (in_window or overdue):
                continue
            key = (due, chain.what)
            if chain.members and key in same:
                at, members = same[key]
                members.extend(chain.members)
                known = out[at].evidence
                out[at] = replace(
                    out[at],
                    subject=class_subject(members),
                    evidence=known + tuple(e for e in chain.evidence if e not in known),
                )
                continue
            if chain.members:
                same[key] = (len(out), list(chain.members))
            out.append(
                Deadline(
                    due=due.due,
                    kind="continuance",
                    rule=rule.id,
                    citation=rule.citation,
                    subject=chain.subject,
                    description=f"annual continuance of {chain.what} (last approved or adopted {due.since})",
                    status=_status(due.due, due.met_on, start),
                    days_left=(due.due - start).days,
                    met_on=due.met_on,
                    evidence=chain.evidence,
                )
            )
    return out


def _reports(inp: CheckInput, book: Rulebook, start: date, end: date) -> list[Deadline]:
    out: list[Deadline] = []
    life = plan_life(inp)
    if life is None:
        return out
    first, life_end = life
    last = end - timedelta(days=1)
    if life_end is not None:
        last = min(last, life_end - timedelta(days=1))
    reports = {(r.year, r.quarter): r for r in inp.governance.reports}
    for q in quarters(first, last) if first <= last else ():
        rule = book.rule("12b-1(b)(3)(ii)", on=quarter_last_day(q))
        if rule is None:
            continue
        due = review_deadline(q, rule.integer("review_within_quarters"))
        report = reports.get(q)
        met_on = (
            report.reviewed if report is not None and report.reviewed and report.reviewed <= due else None
        )
        if not (start <= due < end or (met_on is None and due < start)):
            continue
        out.append(
            Deadline(
                due=due,
                kind="quarterly-report",
                rule=rule.id,
                citation=rule.citation,
                subject=quarter_subject(q),
                description=f"board review of the {quarter_label(q)} report of amounts spent and purposes",
                status=_status(due, met_on, start),
                days_left=(due - start).days,
                met_on=met_on,
                evidence=(fact_evidence(f"report for {report.label}", report.where),) if report else (),
            )
        )
    return out


def _retention(inp: CheckInput, book: Rulebook, start: date, end: date) -> list[Deadline]:
    rule = book.rule("12b-1(f)", on=start) or book.latest("12b-1(f)")
    keep, accessible = rule.integer("keep_years"), rule.integer("accessible_years")
    items: list[tuple[str, date, Subject, Evidence]] = []
    for rec in inp.in_force():
        day = rec.instrument.dated or rec.instrument.effective_date
        if day is not None:
            items.append((rec.label, day, Subject("instrument", rec.label, start=day), rec.evidence()))
    for ag in inp.governance.agreements:
        if ag.effective is not None:
            items.append(
                (ag.name, ag.effective, Subject("agreement", ag.name), fact_evidence(ag.name, ag.where))
            )
    for r in inp.governance.reports:
        day = r.delivered or quarter_last_day((r.year, r.quarter))
        items.append(
            (
                f"the {r.label} quarterly report",
                day,
                Subject("quarter", r.label),
                fact_evidence(r.label, r.where),
            )
        )
    out = []
    for name, day, subject, evidence in items:
        for kind, years, text in (
            ("retention-accessible", accessible, "may leave the easily accessible place after"),
            ("retention-keep", keep, "may be destroyed after"),
        ):
            due = add_years(day, years)
            if start <= due < end:
                out.append(
                    _dated(
                        rule, kind, due, subject, f"{name} (dated {day}) {text} this date", start, evidence
                    )
                )
    return out


def _dated(
    rule: Rule, kind: str, due: date, subject: Subject, text: str, start: date, ev: Evidence
) -> Deadline:
    return Deadline(due, kind, rule.id, rule.citation, subject, text, "date", (due - start).days, None, (ev,))


def deadlines(inp: CheckInput, start: date, end: date, book: Rulebook | None = None) -> list[Deadline]:
    """Deadlines due in [start, end), plus unmet ones before `start` (overdue), by due date.
    Facts known up to `end` count (a continuance already held meets its deadline)."""
    check_plausible(start, "calendar from")
    check_plausible(end, "calendar to", exclusive_end=True)
    book = book or load_rulebook()
    inp = replace(inp, as_of=end - timedelta(days=1))
    found = (
        _continuances(inp, book, start, end)
        + _reports(inp, book, start, end)
        + _retention(inp, book, start, end)
    )
    order = {s: i for i, s in enumerate(STATUSES)}
    return sorted(found, key=lambda d: (d.due, order.get(d.status, 9), d.kind, d.subject.name))
