"""FINRA Rule 2341 (NASD Conduct Rule 2830(d) before 2016) rate caps per fund-class over time:
asset-based at most 0.75%, service at most 0.25%, and a class sold as no-load at most 0.25% in
total. Each rate period is judged under every version of the rule in force during it."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from distplan.compliance.checks.common import class_subject
from distplan.compliance.findings import Evidence, Finding, finding
from distplan.compliance.inputs import CheckInput, RatePeriod, fund_class_label, total_rate
from distplan.compliance.rulebook import Rule, Rulebook
from distplan.periods import Period


def _window(p: RatePeriod, rule: Rule, as_of: date) -> Period | None:
    """The part of a rate period, up to as_of, in which this version of the rule applied."""
    end = as_of + timedelta(days=1)
    if p.end is not None and p.end < end:
        end = p.end
    if end <= p.start:
        return None
    return Period(p.start, end).intersect(Period(rule.applies_from, rule.applies_until))


def _no_load(inp: CheckInput, p: RatePeriod) -> bool:
    plan = inp.governance.plan
    return plan is not None and any(c.no_load and c.matches(p.fund, p.share_class) for c in plan.classes)


def check_finra_caps(inp: CheckInput, book: Rulebook) -> list[Finding]:
    # (rule version, what, rate) -> fund-classes and the periods they rest on
    groups: dict[tuple[Rule, str, Decimal], list[tuple[RatePeriod, Period]]] = defaultdict(list)
    unknown: list[RatePeriod] = []
    for periods in inp.periods_by_class().values():
        for p in periods:
            total = total_rate(p)
            if total is None:
                unknown.append(p)
                continue
            split = p.rate_distribution is not None and p.rate_service is not None
            tests: list[tuple[str, str, Decimal | None]] = [
                ("finra-2341.asset-based", "asset-based sales charge", p.rate_distribution),
                ("finra-2341.service", "service fee", p.rate_service),
            ]
            if not split:
                tests.append(("finra-2341.aggregate", "aggregate rate", total))
            if _no_load(inp, p):
                tests.append(("finra-2341.no-load", "total of a no-load class", total))
            for rule_id, what, rate in tests:
                if rate is None:
                    continue
                for version in book.versions(rule_id):
                    window = _window(p, version, inp.as_of)
                    if window is not None and rate > version.decimal("max_rate"):
                        groups[(version, what, rate)].append((p, window))
    out = []
    for (rule, what, rate), hits in groups.items():
        members = [(p.fund, p.share_class) for p, _ in hits]
        first = min(w.start for _, w in hits)
        evidence = [
            Evidence(
                f"{fund_class_label(p.fund, p.share_class)}: {rate}% from {w.start} under {p.instrument}"
            )
            for p, w in hits[:20]
        ]
        out.append(
            finding(
                rule,
                class_subject(members),
                f"{what} of {rate}% a year exceeds the {rule.decimal('max_rate')}% cap (from {first})",
                evidence,
                key=f"{what}/{rate}/{first}",
            )
        )
    if unknown:
        rule = book.latest("finra-2341.service")
        members = sorted({(p.fund, p.share_class) for p in unknown})
        out.append(
            finding(
                rule,
                class_subject(members),
                "no rates are known (neither the schedule nor the plan terms state them), so the "
                "FINRA caps could not be checked",
                severity="info",
                key="unknown",
            )
        )
    return out
