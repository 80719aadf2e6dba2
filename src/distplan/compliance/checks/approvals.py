"""Board approvals: (b)(2) initial approval, (b)(4)-(b)(5) amendments approved before they take
effect, (g) action per series and class, (b)(3)(i) annual continuance, (e) board findings."""

from __future__ import annotations

from datetime import date, timedelta

from distplan.compliance.checks.common import (
    approval_evidence,
    approvals_of_agreement,
    approvals_of_instrument,
    class_subject,
    defects,
    describe,
    instrument_subject,
    is_valid,
    iso,
    plan_subject,
    the_rule,
)
from distplan.compliance.findings import Evidence, Finding, Subject, finding
from distplan.compliance.governance import Approval
from distplan.compliance.inputs import CheckInput, fact_evidence, fund_class_label
from distplan.compliance.rulebook import Rulebook


def check_initial_approval(inp: CheckInput, book: Rulebook) -> list[Finding]:
    """Rule 12b-1(b)(2): the plan, each material amendment and each related agreement approved
    by the board and the qualified directors, in person, at a meeting called for the purpose."""
    gov = inp.governance
    out: list[Finding] = []

    def judge(
        subject: Subject, what: str, day: date, approvals: list[Approval], evidence: list[Evidence]
    ) -> None:
        rule = the_rule(book, "12b-1(b)(2)", day)
        if rule is None:
            return
        if not approvals:
            out.append(
                finding(
                    rule,
                    subject,
                    f"{what} has no recorded approval by the board and the qualified directors "
                    "(in person, at a meeting called for the purpose)",
                    evidence,
                    key="missing",
                )
            )
            return
        problems = [(a, defects(a, rule)) for a in approvals]
        if all(p for _, p in problems):
            detail = "; ".join(f"{iso(a.date)}: {', '.join(p)}" for a, p in problems)
            out.append(
                finding(
                    rule,
                    subject,
                    f"{what} was not approved as Rule 12b-1(b)(2) requires ({detail})",
                    [*evidence, *(approval_evidence(a) for a in approvals)],
                    key="defective",
                )
            )

    plan_recs = [r for r in inp.in_force() if r.instrument.kind == "plan"]
    plan = gov.plan
    if plan_recs or (plan is not None and plan.adopted is not None):
        day = plan.adopted if plan is not None and plan.adopted else plan_recs[0].instrument.effective_date
        evidence = [r.evidence() for r in plan_recs]
        if plan is not None and plan.adopted is not None:
            evidence.append(fact_evidence(f"plan adopted {plan.adopted}", plan.where))
        approvals = sorted((a for a in gov.approvals if a.what == "plan"), key=lambda a: a.date)
        judge(plan_subject(inp), "The plan's adoption", day or inp.as_of, approvals, evidence)
    for rec in inp.in_force():
        if rec.instrument.kind == "plan":
            continue
        day = rec.instrument.effective_date or inp.as_of
        judge(
            instrument_subject(rec),
            f"{rec.label.split(' (seq')[0]} (effective {iso(rec.instrument.effective_date)})",
            day,
            approvals_of_instrument(gov, rec),
            [rec.evidence()],
        )
    for ag in gov.agreements:
        judge(
            Subject("agreement", ag.name, start=ag.effective),
            f"The related agreement {ag.name!r}",
            ag.effective or inp.as_of,
            approvals_of_agreement(gov, ag.name, ("agreement",)),
            [fact_evidence(f"agreement {ag.name}", ag.where)],
        )
    return out


def check_amendment_timing(inp: CheckInput, book: Rulebook) -> list[Finding]:
    """Rule 12b-1(b)(4)-(b)(5): an amendment's (b)(2) approval is dated on or before its
    effective date. (A missing approval is reported under (b)(2).)"""
    out = []
    for rec in inp.in_force():
        inst = rec.instrument
        if inst.kind == "plan" or inst.effective_date is None:
            continue
        rule = the_rule(book, "12b-1(b)(4)-(5)", inst.effective_date)
        if rule is None:
            continue
        valid = [a for a in approvals_of_instrument(inp.governance, rec) if is_valid(a, book)]
        if valid and all(a.date > inst.effective_date for a in valid):
            first = valid[0]
            out.append(
                finding(
                    rule,
                    instrument_subject(rec),
                    f"{rec.label} took effect on {inst.effective_date} but was approved only on "
                    f"{first.date} ({_days(first.date - inst.effective_date)} later)",
                    [rec.evidence(), approval_evidence(first)],
                    key="late",
                )
            )
    return out


def _days(delta: timedelta) -> str:
    return "1 day" if delta.days == 1 else f"{delta.days} days"


def check_per_class_action(inp: CheckInput, book: Rulebook) -> list[Finding]:
    """Rule 12b-1(g): each approval names every series and class it acts for; no one vote
    stands in for all the funds of a schedule."""
    out = []
    gov = inp.governance
    for rec in inp.in_force():
        inst = rec.instrument
        rule = the_rule(book, "12b-1(g)", inst.effective_date or inp.as_of)
        if rule is None:
            continue
        approvals = approvals_of_instrument(gov, rec)
        rows = rec.rows()
        if not approvals or not rows:
            continue
        members = [(r.fund, r.share_class) for r in rows]
        missing = [m for m in members if not any(a.covers(*m) for a in approvals)]
        if missing:
            out.append(
                finding(
                    rule,
                    class_subject(missing),
                    f"{rec.label}: no approval acts for {len(missing)} of the {len(members)} fund-classes "
                    f"it covers (first: {fund_class_label(*missing[0])})",
                    [rec.evidence(), *(approval_evidence(a) for a in approvals)],
                    key=f"{rec.label}/missing",
                )
            )
        lumped = [
            m for m in members if m not in missing and not any(a.names_separately(*m) for a in approvals)
        ]
        if lumped:
            out.append(
                finding(
                    rule,
                    class_subject(lumped),
                    f"{rec.label}: one vote stands for {len(lumped)} fund-classes; record the action "
                    "separately for each series and class",
                    [
                        rec.evidence(),
                        *(
                            approval_evidence(a)
                            for a in approvals
                            if a.scope is None or any(fc.fund is None for fc in a.scope)
                        ),
                    ],
                    severity="warning",
                    key=f"{rec.label}/lumped",
                )
            )
    for a in gov.approvals:
        if (
            a.what in ("plan", "continuance")
            and a.agreement is None
            and (a.scope is None or any(fc.fund is None for fc in a.scope))
        ):
            rule = the_rule(book, "12b-1(g)", a.date)
            if rule is None:
                continue
            out.append(
                finding(
                    rule,
                    Subject("meeting", f"board meeting {a.date}"),
                    f"the {describe(a)} on {a.date} is recorded for the plan (or a class) as a whole, "
                    "not separately for each series and class",
                    [approval_evidence(a)],
                    severity="warning",
                    key=a.id,
                )
            )
    return out


def check_annual_continuance(inp: CheckInput, book: Rulebook) -> list[Finding]:
    """Rule 12b-1(b)(3)(i): approved again in the (b)(2) manner within a year of adoption and
    of each continuance, for every fund-class and every related agreement (see continuance.py)."""
    from distplan.compliance.continuance import continuance_chains

    out: list[Finding] = []
    rule = the_rule(book, "12b-1(b)(3)(i)", inp.as_of)
    if rule is None:
        return out
    for chain in continuance_chains(inp, book, rule.integer("months"), inp.as_of):
        for due in chain.dues:
            if not due.lapsed or due.due >= inp.as_of:
                continue
            late = f"continued late on {due.late_on}" if due.late_on else "no later continuance is recorded"
            out.append(
                finding(
                    rule,
                    chain.subject,
                    f"{chain.what} was last approved or adopted on {due.since}; its continuance was due "
                    f"by {due.due} and lapsed the next day; {late}",
                    chain.evidence,
                    key=f"{due.since}/{due.due}",
                )
            )
    return out


def check_board_findings(inp: CheckInput, book: Rulebook) -> list[Finding]:
    """Rule 12b-1(e) (and (d)): the minutes of each approval or continuance record the finding
    of a reasonable likelihood of benefit; an amendment approval records that it does not
    materially increase the amount spent (otherwise a shareholder vote is needed)."""
    out = []
    for a in inp.governance.approvals:
        rule = the_rule(book, "12b-1(e)", a.date)
        if rule is None or not is_valid(a, book):
            continue
        needed = (
            rule.params.get("finding_amendment") if a.what == "amendment" else rule.params.get("finding_plan")
        )
        if not needed or needed in a.findings:
            continue
        severity = "info" if a.what == "amendment" else rule.severity
        out.append(
            finding(
                rule,
                Subject("meeting", f"board meeting {a.date}"),
                f"the {describe(a)} on {a.date} does not record the finding {needed!r}",
                [approval_evidence(a)],
                severity=severity,
                key=a.id,
            )
        )
    return out


__all__ = [
    "check_amendment_timing",
    "check_annual_continuance",
    "check_board_findings",
    "check_initial_approval",
    "check_per_class_action",
]
