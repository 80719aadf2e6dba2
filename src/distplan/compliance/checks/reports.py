"""Rule 12b-1(b)(3)(ii): a written quarterly report of amounts spent and their purposes,
reviewed by the board.

distplan's rule (the rulebook's `review_within_quarters`, default 1): the report for calendar
quarter Q must be delivered and reviewed by the board no later than the last day of the quarter
after Q, the window in which the board's next regular quarterly meeting falls. So the 2003Q4
report is due by 2004-03-31 and is an error from 2004-04-01 if no review is recorded. Every
quarter with a day of the plan's life counts, including a partial first or last quarter.
"""

from __future__ import annotations

from datetime import date, timedelta

from distplan.compliance.checks.common import the_rule
from distplan.compliance.dates import (
    Quarter,
    quarter_label,
    quarter_last_day,
    quarter_start,
    quarters,
    review_deadline,
)
from distplan.compliance.findings import Evidence, Finding, Subject, finding
from distplan.compliance.inputs import CheckInput, fact_evidence
from distplan.compliance.rulebook import Rulebook


def plan_life(inp: CheckInput) -> tuple[date, date | None] | None:
    """[first day, end) of the plan's life from its coverage and adoption; None if unknown."""
    starts = [p.start for p in inp.rates]
    plan = inp.governance.plan
    if plan is not None and plan.adopted is not None:
        starts.append(plan.adopted)
    if not starts:
        return None
    ends = [p.end for p in inp.rates]
    end = None if not ends or any(e is None for e in ends) else max(e for e in ends if e is not None)
    return min(starts), end


def quarter_subject(q: Quarter) -> Subject:
    return Subject(
        "quarter", quarter_label(q), start=quarter_start(q), end=quarter_last_day(q) + timedelta(days=1)
    )


def check_quarterly_reports(inp: CheckInput, book: Rulebook) -> list[Finding]:
    out: list[Finding] = []
    life = plan_life(inp)
    if life is None:
        return out
    first, end = life
    last = min(inp.as_of, end - timedelta(days=1)) if end else inp.as_of
    if last < first:
        return out
    reports = {(r.year, r.quarter): r for r in inp.governance.reports}
    for q in quarters(first, last):
        rule = the_rule(book, "12b-1(b)(3)(ii)", review_deadline(q, 0))
        if rule is None:
            continue
        deadline = review_deadline(q, rule.integer("review_within_quarters"))
        report = reports.get(q)
        subject = quarter_subject(q)
        if report is None:
            if inp.as_of > deadline:
                out.append(
                    finding(
                        rule,
                        subject,
                        f"no written report of amounts spent and their purposes for {quarter_label(q)} is "
                        f"recorded; the board had to review it by {deadline}",
                        key="missing",
                    )
                )
            continue
        evidence: list[Evidence] = [fact_evidence(f"report for {report.label}", report.where)]
        if report.reviewed is None:
            if inp.as_of > deadline:
                delivered = f"delivered {report.delivered}" if report.delivered else "recorded"
                out.append(
                    finding(
                        rule,
                        subject,
                        f"the {quarter_label(q)} report was {delivered} but no board review is recorded "
                        f"(due by {deadline})",
                        evidence,
                        key="unreviewed",
                    )
                )
        elif report.reviewed > deadline:
            out.append(
                finding(
                    rule,
                    subject,
                    f"the {quarter_label(q)} report was reviewed on {report.reviewed}, after {deadline}",
                    evidence,
                    severity="warning",
                    key="late",
                )
            )
        if not report.spent:
            out.append(
                finding(
                    rule,
                    subject,
                    f"the {quarter_label(q)} report records no amounts spent by purpose",
                    evidence,
                    severity="warning",
                    key="no-amounts",
                )
            )
    return out
