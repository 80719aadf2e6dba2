"""Shareholder votes: (b)(1) approval of a plan adopted after a public offering, and (b)(4) no
material increase of a fund-class's maximum rate without a vote before it takes effect. Every
vote is judged as a 'majority of the outstanding voting securities' under ICA 2(a)(42)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from decimal import Decimal

from distplan.compliance.checks.common import class_subject, the_rule
from distplan.compliance.findings import Evidence, Finding, finding
from distplan.compliance.governance import MajorityResult, ShareholderVote, majority_of_outstanding
from distplan.compliance.inputs import CheckInput, RatePeriod, fact_evidence, fund_class_label, total_rate
from distplan.compliance.rulebook import Rulebook


def judge_vote(vote: ShareholderVote, book: Rulebook) -> MajorityResult:
    """Apply ICA 2(a)(42) with the thresholds the rulebook gives for the vote's date."""
    rule = book.rule("ica-2(a)(42)", on=vote.date) or book.latest("ica-2(a)(42)")
    return majority_of_outstanding(
        vote.outstanding,
        vote.present,
        vote.voted_for,
        supermajority=rule.decimal("present_supermajority"),
        quorum_more_than=rule.decimal("quorum_more_than"),
        outstanding_more_than=rule.decimal("outstanding_more_than"),
    )


def vote_evidence(vote: ShareholderVote, result: MajorityResult) -> Evidence:
    return fact_evidence(
        f"shareholder vote {vote.date} ({fund_class_label(vote.fund, vote.share_class)}): "
        f"{vote.voted_for} for, {vote.present} present, {vote.outstanding} outstanding; {result.explain()}",
        vote.where,
    )


def check_shareholder_approval(inp: CheckInput, book: Rulebook) -> list[Finding]:
    """Rule 12b-1(b)(1): a fund-class that joined the plan after its shares were publicly
    offered needs a 2(a)(42) majority of that class before the plan applies to it."""
    out = []
    gov = inp.governance
    plan = gov.plan
    by_class = inp.periods_by_class()
    first_day = min((ps[0].start for ps in by_class.values()), default=None)
    unknown: list[tuple[str, str | None]] = []
    for periods in by_class.values():
        fund, share_class = periods[0].fund, periods[0].share_class
        start = periods[0].start
        if plan is not None and plan.adopted is not None and start == first_day:
            start = min(plan.adopted, start)
        rule = the_rule(book, "12b-1(b)(1)", start)
        if rule is None:
            continue
        facts = [c for c in (plan.classes if plan else ()) if c.matches(fund, share_class)]
        offered = next((c.first_offered for c in facts if c.first_offered is not None), None)
        if offered is None:
            unknown.append((fund, share_class))
            continue
        exempt_from = rule.day("pre_offering_exemption_from")
        if offered >= start and start >= exempt_from:
            continue  # adopted before the public offering: no vote needed since 1996
        votes = [v for v in gov.shareholder_votes if v.matches(fund, share_class) and v.matter == "plan"]
        judged = [(v, judge_vote(v, book)) for v in sorted(votes, key=lambda v: v.date)]
        passed = [(v, r) for v, r in judged if r.passed]
        subject = class_subject([(fund, share_class)])
        why = (
            f"it joined the plan on {start}, after its public offering on {offered}"
            if offered < start
            else f"it joined the plan on {start}, before the {exempt_from} exemption for pre-offering plans"
        )
        evidence = [fact_evidence(f"class first offered {offered}", facts[0].where)]
        evidence += [vote_evidence(v, r) for v, r in judged]
        if not judged:
            message = f"no shareholder vote is recorded; one is required because {why}"
        elif not passed:
            v, r = judged[-1]
            message = (
                f"the vote of {v.date} is not a majority of the outstanding voting securities ({r.explain()})"
            )
        elif all(v.date > start for v, _ in passed):
            message = (
                f"the plan applied from {start} but shareholders approved it only on {passed[0][0].date}"
            )
        else:
            continue
        out.append(finding(rule, subject, message, evidence, key=str(start)))
    if unknown:
        rule = the_rule(book, "12b-1(b)(1)", inp.as_of)
        if rule is not None:
            out.append(
                finding(
                    rule,
                    class_subject(unknown),
                    "not evaluated: no first public offering date is recorded "
                    "(plan.classes[].first_offered), "
                    "so distplan cannot tell whether a shareholder vote was required",
                    severity="info",
                    key="unknown",
                )
            )
    return out


def _label(p: RatePeriod) -> str:
    return p.instrument


def check_material_increase(inp: CheckInput, book: Rulebook) -> list[Finding]:
    """Rule 12b-1(b)(4): a fund-class's maximum aggregate rate may rise only after a 2(a)(42)
    majority of that class approved it, before the increase takes effect."""
    out = []
    not_comparable: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for periods in inp.periods_by_class().values():
        for old, new in itertools.pairwise(periods):
            rule = the_rule(book, "12b-1(b)(4)", new.start)
            if rule is None:
                continue
            before, after = total_rate(old), total_rate(new)
            if before is None or after is None:
                if before != after:
                    not_comparable[_label(new)].append((new.fund, new.share_class))
                continue
            if after - before <= rule.decimal("material_increase_over"):
                continue
            message = _increase_verdict(inp, book, old, new, before, after)
            if message is None:
                continue
            text, evidence = message
            out.append(
                finding(
                    rule,
                    class_subject([(new.fund, new.share_class)]),
                    f"{_label(new)} raises the maximum aggregate rate from {before}% to {after}% "
                    f"from {new.start}: {text}",
                    [
                        Evidence(f"rate {before}% under {_label(old)}"),
                        Evidence(f"rate {after}% under {_label(new)}"),
                        *evidence,
                    ],
                    key=str(new.start),
                )
            )
    for label, members in not_comparable.items():
        rule = the_rule(book, "12b-1(b)(4)", inp.as_of)
        if rule is not None:
            out.append(
                finding(
                    rule,
                    class_subject(members),
                    f"{label}: the rate before or after is unknown, so distplan cannot tell whether it "
                    "increased the amount spent",
                    severity="info",
                    key=label,
                )
            )
    return out


def _increase_verdict(
    inp: CheckInput, book: Rulebook, old: RatePeriod, new: RatePeriod, before: Decimal, after: Decimal
) -> tuple[str, list[Evidence]] | None:
    """None when a valid vote approved the increase in time; else what is wrong and why."""
    votes = [
        v
        for v in inp.governance.shareholder_votes
        if v.matches(new.fund, new.share_class)
        and v.matter in ("amendment", "increase")
        and v.date >= old.start
        and (v.max_rate is None or v.max_rate >= after)
    ]
    judged = [(v, judge_vote(v, book)) for v in sorted(votes, key=lambda v: v.date)]
    evidence = [vote_evidence(v, r) for v, r in judged]
    in_time = [(v, r) for v, r in judged if v.date <= new.start]
    if any(r.passed for _, r in in_time):
        return None
    if not judged:
        return "no shareholder vote of the class approved it", evidence
    late = [v for v, r in judged if r.passed and v.date > new.start]
    if late and not in_time:
        return f"the class approved it only on {late[0].date}, after it took effect", evidence
    v, r = (in_time or judged)[-1]
    return (
        f"the vote of {v.date} is not a majority of the outstanding voting securities ({r.explain()})",
        evidence,
    )
