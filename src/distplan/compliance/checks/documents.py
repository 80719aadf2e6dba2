"""The written record: (b) a written plan and written agreements, (b)(3)(iv) agreements'
termination terms, (f) record retention, (h) directed-brokerage policies, and the integrity of
each recorded instrument (dates, signatures, rates, numbering)."""

from __future__ import annotations

from collections import Counter

from distplan.compliance.checks.common import (
    approvals_of_instrument,
    instrument_subject,
    is_valid,
    plan_subject,
    the_rule,
)
from distplan.compliance.dates import add_years
from distplan.compliance.findings import Finding, Subject, finding
from distplan.compliance.inputs import CheckInput, fact_evidence, fund_class_label
from distplan.compliance.rulebook import Rulebook


def check_written_plan(inp: CheckInput, book: Rulebook) -> list[Finding]:
    """Rule 12b-1(b): payments under a written plan; every related agreement in writing."""
    out: list[Finding] = []
    rule = the_rule(book, "12b-1(b)", inp.as_of)
    if rule is None:
        return out
    records = inp.in_force()
    plan = inp.governance.plan
    if not records and (plan is None or plan.document is None):
        out.append(finding(rule, plan_subject(inp), "no written plan or schedule is recorded", key="none"))
    elif not any(r.instrument.kind == "plan" for r in records) and (plan is None or plan.document is None):
        named = next((r.instrument.plan.title for r in records if r.instrument.plan.title), None)
        out.append(
            finding(
                rule,
                plan_subject(inp),
                "only amendments and schedules are recorded, not the plan itself"
                + (f" ({named!r})" if named else "")
                + "; record the plan document or name it in the governance file (plan.document)",
                [records[0].evidence()],
                severity="warning",
                key="plan-missing",
            )
        )
    for ag in inp.governance.agreements:
        evidence = [fact_evidence(f"agreement {ag.name}", ag.where)]
        if ag.written is False:
            out.append(
                finding(
                    rule,
                    Subject("agreement", ag.name),
                    f"the related agreement {ag.name!r} is not in writing",
                    evidence,
                    key=ag.id,
                )
            )
        elif ag.written is None and ag.document is None:
            out.append(
                finding(
                    rule,
                    Subject("agreement", ag.name),
                    f"no written copy of the related agreement {ag.name!r} is identified (give `document`)",
                    evidence,
                    severity="warning",
                    key=ag.id,
                )
            )
    return out


def check_agreement_terms(inp: CheckInput, book: Rulebook) -> list[Finding]:
    """Rule 12b-1(b)(3)(iv): each related agreement is terminable at any time without penalty
    on not more than 60 days' written notice, and terminates automatically on assignment."""
    out = []
    for ag in inp.governance.agreements:
        rule = the_rule(book, "12b-1(b)(3)(iv)", ag.effective or inp.as_of)
        if rule is None:
            continue
        max_days = rule.integer("max_notice_days")
        subject = Subject("agreement", ag.name, start=ag.effective, end=ag.terminated)
        evidence = [fact_evidence(f"agreement {ag.name}", ag.where)]
        problems: list[tuple[str, str]] = []
        if ag.without_penalty is False:
            problems.append(("error", "cannot be terminated without penalty"))
        elif ag.without_penalty is None:
            problems.append(("warning", "does not record whether it is terminable without penalty"))
        if ag.notice_days is None:
            problems.append(("warning", "does not record its termination notice period"))
        elif ag.notice_days > max_days:
            problems.append(
                ("error", f"requires {ag.notice_days} days' notice to terminate (at most {max_days})")
            )
        if ag.terminates_on_assignment is False:
            problems.append(("error", "does not terminate automatically on assignment"))
        elif ag.terminates_on_assignment is None:
            problems.append(("warning", "does not record automatic termination on assignment"))
        for severity, text in problems:
            out.append(
                finding(
                    rule,
                    subject,
                    f"the related agreement {ag.name!r} {text}",
                    evidence,
                    severity=severity,
                    key=text,
                )
            )
    return out


def check_record_retention(inp: CheckInput, book: Rulebook) -> list[Finding]:
    """Rule 12b-1(f): copies of the plan, agreements and reports kept six years from their
    date, the first two in an easily accessible place."""
    out: list[Finding] = []
    rule = the_rule(book, "12b-1(f)", inp.as_of)
    if rule is None:
        return out
    keep, accessible = rule.integer("keep_years"), rule.integer("accessible_years")
    for rec in inp.governance.records:
        subject = Subject("record", rec.document, start=rec.dated)
        evidence = [fact_evidence(f"record of {rec.document}", rec.where)]
        keep_until, accessible_until = add_years(rec.dated, keep), add_years(rec.dated, accessible)
        if rec.destroyed is not None and rec.destroyed < keep_until:
            out.append(
                finding(
                    rule,
                    subject,
                    f"{rec.document} (dated {rec.dated}) was destroyed on {rec.destroyed}, "
                    f"before {keep_until}",
                    evidence,
                    key="destroyed",
                )
            )
        if rec.offsite_from is not None and rec.offsite_from < accessible_until:
            out.append(
                finding(
                    rule,
                    subject,
                    f"{rec.document} (dated {rec.dated}) left the easily accessible place on "
                    f"{rec.offsite_from}, before {accessible_until}",
                    evidence,
                    key="offsite",
                )
            )
    for report in inp.governance.reports:
        if report.document is None:
            out.append(
                finding(
                    rule,
                    Subject("quarter", report.label),
                    f"no copy of the {report.label} quarterly report is identified (give `document`)",
                    [fact_evidence(f"report for {report.label}", report.where)],
                    severity="warning",
                    key=report.id,
                )
            )
    return out


def check_directed_brokerage(inp: CheckInput, book: Rulebook) -> list[Finding]:
    """Rule 12b-1(h), from its compliance date only: board-approved policies against paying for
    distribution with portfolio brokerage."""
    rule = the_rule(book, "12b-1(h)", inp.as_of)
    if rule is None:
        return []
    policies = inp.governance.policies
    adopted = policies.directed_brokerage if policies else None
    if adopted is None:
        return [
            finding(
                rule,
                plan_subject(inp),
                "no board-approved directed-brokerage policies are recorded "
                f"(required from {rule.applies_from})",
                key="missing",
            )
        ]
    if adopted > rule.applies_from:
        assert policies is not None
        return [
            finding(
                rule,
                plan_subject(inp),
                f"directed-brokerage policies were adopted on {adopted}, "
                f"after the {rule.applies_from} compliance date",
                [fact_evidence("policies", policies.where)],
                key="late",
            )
        ]
    return []


def check_schedule_integrity(inp: CheckInput, book: Rulebook) -> list[Finding]:
    """Each instrument: an effective date, signatories, consistent rates, no fund-class twice,
    the plan not effective before its approval, amendments numbered without gaps."""
    out: list[Finding] = []
    rule = the_rule(book, "schedule-integrity", inp.as_of)
    if rule is None:
        return out
    records = inp.in_force()
    for rec in records:
        inst = rec.instrument
        subject = instrument_subject(rec)
        if inst.effective_date is None:
            out.append(
                finding(
                    rule, subject, f"{rec.label} states no effective date", [rec.evidence()], key="no-date"
                )
            )
        if not inst.signatories:
            out.append(
                finding(
                    rule,
                    subject,
                    f"{rec.label} has no signatories (each registrant and the distributor sign)",
                    [rec.evidence()],
                    severity="warning",
                    key="unsigned",
                )
            )
        for row in rec.rows():
            dist, serv, agg = row.distribution_fee, row.service_fee, row.aggregate_fee
            if dist is not None and serv is not None and agg is not None and dist + serv != agg:
                out.append(
                    finding(
                        rule,
                        subject,
                        f"{fund_class_label(row.fund, row.share_class)}: "
                        f"aggregate {row.aggregate_fee}% is not "
                        f"asset-based {row.distribution_fee}% + service {row.service_fee}%",
                        [rec.evidence(lines=row.lines)],
                        key=f"sum/{row.fund}/{row.share_class}",
                    )
                )
        counts = Counter(r.key for r in rec.rows())
        twice = [r for r in rec.rows() if counts[r.key] > 1]
        if twice:
            names = sorted({fund_class_label(r.fund, r.share_class) for r in twice})
            out.append(
                finding(
                    rule,
                    subject,
                    f"{rec.label} lists {', '.join(names)} more than once",
                    [rec.evidence(lines=twice[0].lines)],
                    severity="warning",
                    key="twice",
                )
            )
        errors = inst.errors
        if errors:
            out.append(
                finding(
                    rule,
                    subject,
                    f"{rec.label} was extracted with {len(errors)} error(s): {errors[0].message}",
                    [rec.evidence(lines=(errors[0].line, errors[0].line) if errors[0].line else None)],
                    severity="warning",
                    key="diagnostics",
                )
            )
        if inst.kind == "plan" and inst.effective_date is not None:
            valid = [a for a in approvals_of_instrument(inp.governance, rec) if is_valid(a, book)]
            if valid and all(a.date > inst.effective_date for a in valid):
                out.append(
                    finding(
                        rule,
                        subject,
                        f"the plan took effect on {inst.effective_date}, before its approval on "
                        f"{valid[0].date}",
                        [rec.evidence()],
                        key="before-approval",
                    )
                )
    numbers = sorted(
        {r.instrument.amendment_number for r in records if r.instrument.amendment_number is not None}
    )
    if numbers:
        missing = sorted(set(range(1, numbers[-1] + 1)) - set(numbers))
        if missing:
            out.append(
                finding(
                    rule,
                    plan_subject(inp),
                    "amendment number(s) " + ", ".join(str(n) for n in missing) + " are not recorded",
                    severity="warning" if missing != list(range(1, numbers[0])) else "info",
                    key="gaps",
                )
            )
    return out
