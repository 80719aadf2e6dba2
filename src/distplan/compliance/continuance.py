"""Annual continuance chains (Rule 12b-1(b)(3)(i)) for every fund-class and related agreement:
from adoption (or the first approval) each valid (b)(2) approval must follow the previous one
within the rulebook's period. The check reports the lapses; the calendar shows the due dates.

A fund-class's chain starts at the earliest of its participation start (the plan's adoption if
it was in the first recorded schedule, else the day it first appears) and the first valid
approval that covers it; approvals of the plan and continuances extend it. For a fund-class
added later, votes before it joined count only if they approved the amendment that added it or
named it: the plan's earlier approvals were not votes on it. Approving an
amendment does not continue the plan. Fund-classes with identical chains are grouped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from distplan.compliance.checks.common import (
    approval_evidence,
    approvals_of_agreement,
    approvals_of_instrument,
    class_subject,
    is_valid,
    plan_subject,
)
from distplan.compliance.dates import Due, continuance_chain
from distplan.compliance.findings import Evidence, Subject
from distplan.compliance.governance import Approval
from distplan.compliance.inputs import CheckInput, fact_evidence
from distplan.compliance.rulebook import Rulebook


@dataclass(frozen=True)
class Chain:
    subject: Subject
    what: str  # "the plan" or "the related agreement 'X'"
    dues: tuple[Due, ...]
    evidence: tuple[Evidence, ...]
    members: tuple[tuple[str, str | None], ...] = ()  # the fund-classes of a plan chain


def participation_start(inp: CheckInput, first_start: date, first_schedule_day: date | None) -> date:
    plan = inp.governance.plan
    if plan is not None and plan.adopted is not None and first_start == first_schedule_day:
        return min(plan.adopted, first_start)
    return first_start


def continuance_chains(inp: CheckInput, book: Rulebook, months: int, until: date) -> list[Chain]:
    gov = inp.governance
    valid = [a for a in gov.approvals if is_valid(a, book)]
    by_class = inp.periods_by_class()
    first_day = min((ps[0].start for ps in by_class.values()), default=None)
    records = {rec.label: rec for rec in inp.instruments}
    members: list[tuple[str, str | None, date, date | None, str, list[Approval] | None]] = []
    for periods in by_class.values():
        start = participation_start(inp, periods[0].start, first_day)
        first = periods[0]
        # A fund-class that joined later (by an amendment) was not approved by the plan's
        # earlier votes: its chain starts at its own initial approval.
        joined = None
        if first_day is not None and first.start > first_day:
            rec = records.get(first.instrument)
            joined = approvals_of_instrument(gov, rec) if rec is not None else []
        members.append((first.fund, first.share_class, start, periods[-1].end, first.instrument, joined))
    if not members and gov.plan is not None and gov.plan.adopted is not None:
        members.append(("", None, gov.plan.adopted, None, "the plan's adoption", None))  # no schedule yet
    groups: dict[tuple[Due, ...], list[tuple[str, str | None]]] = {}
    evidence: dict[tuple[Due, ...], list[Evidence]] = {}
    for fund, share_class, start, end, source, joined in members:
        covering = [a for a in valid if a.agreement is None and (not fund or a.covers(fund, share_class))]
        if joined is not None:
            covering = [
                a for a in covering if a.date >= start or a in joined or a.names_separately(fund, share_class)
            ]
        anchor = min([start, *(a.date for a in covering)])
        links = [a.date for a in covering if a.what in ("plan", "continuance")]
        dues = tuple(continuance_chain(anchor, links, months, until, end))
        groups.setdefault(dues, []).append((fund, share_class))
        if dues not in evidence:
            shown = {d.since for d in dues} | {d.met_on for d in dues} | {d.late_on for d in dues}
            evidence[dues] = [approval_evidence(a) for a in covering if a.date in shown]
            evidence[dues].append(Evidence(f"coverage from {source}"))
    chains = [
        Chain(
            class_subject(group) if group[0][0] else plan_subject(inp),
            "the plan",
            dues,
            tuple(evidence[dues]),
            tuple(group) if group[0][0] else (),
        )
        for dues, group in groups.items()
    ]
    for ag in gov.agreements:
        approvals = [
            a for a in approvals_of_agreement(gov, ag.name, ("agreement", "continuance")) if is_valid(a, book)
        ]
        ag_anchor = approvals[0].date if approvals else ag.effective
        if ag_anchor is None:
            continue
        dues = tuple(continuance_chain(ag_anchor, [a.date for a in approvals], months, until, ag.terminated))
        chains.append(
            Chain(
                Subject("agreement", ag.name, start=ag.effective, end=ag.terminated),
                f"the related agreement {ag.name!r}",
                dues,
                (fact_evidence(f"agreement {ag.name}", ag.where), *(approval_evidence(a) for a in approvals)),
            )
        )
    return chains
