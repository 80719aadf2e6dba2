"""A plan with no schedule that names its funds in prose ("on behalf of the X Fund (the "Fund")",
"on behalf of the X Fund, the Y Fund and the Z Fund (each, a "Fund")") and states their rates in
prose, once for all ("a 12b-1 distribution fee of 0.25% ... of each Fund") or per class ("a
distribution fee of 0.25% ... of Investor Class shares ..., and a distribution fee of 1.00% ...
of Advisor Class shares"): a row per fund and class, every one flagged as read from prose."""

from __future__ import annotations

import re
from decimal import Decimal

from distplan.documents import values as V
from distplan.documents.context import ClassScope
from distplan.documents.flow import Flow
from distplan.documents.names import fund_list
from distplan.model import Diagnostic, ScheduleRow

# The funds a plan is adopted for, before their defined name; no parenthesis inside (a title's
# "(12b-1 Plan)" ends a wrong start).
_DEFINED_FUNDS = re.compile(
    r"\bon\s+behalf\s+of\s+(?:its\s+series,?\s+)?(?:the\s+)?([^()]{3,600}?)\s*"
    r"\(\s*(?:each,?\s+)?(?:a|the)\s+[\"“”']{1,2}Funds?[,\"“”']",
    re.I,
)
# "adopted for Investor Class shares of X Fund (the "Fund")": the class and the fund together.
_ADOPTED_FOR = re.compile(
    r"\badopted\s+for\s+(?:the\s+)?([^()]{3,80}?)\s+shares\s+of\s+(?:the\s+)?([^()]{3,300}?)\s*"
    r"\(\s*(?:each,?\s+)?(?:a|the)\s+[\"“”']{1,2}Funds?[,\"“”']",
    re.I,
)
_FEE_OF = re.compile(rf"\bfee\s+of\s+(?:up\s+to\s+)?(?:{V.RATE_IN_TEXT.pattern})", re.I)
# ", and a shareholder servicing fee of ...": the next fee of the sentence begins a clause.
_NEXT_FEE = re.compile(r",?\s+and\s+(?=an?\s+[\w\s-]{0,40}?\bfee\s+of\b)", re.I)
_SENTENCE = re.compile(r"(?<=[a-z%)])\.\s+(?=[A-Z])")
_DIST = re.compile(r"\bdistribution\s+fee\s+of\b", re.I)
_SERV = re.compile(r"\bservic\w*\s+fee\s+of\b", re.I)


def defined_fund_rows(
    flow: Flow, registrant: str | None, scope: ClassScope, diags: list[Diagnostic]
) -> list[ScheduleRow]:
    text = flow.text
    scan = flow.scan
    if not scan.mentions("behalf", "adopted"):
        return []  # speed guard (any case, any spacing, as the patterns): funds follow one of these
    classes_for: list[str] = []
    m = _DEFINED_FUNDS.search(text)
    funds = fund_list(m.group(1)) if m else []
    if not funds and (a := _ADOPTED_FOR.search(text)):
        funds, classes_for = fund_list(a.group(2)), V.find_classes(a.group(1))
    if not funds:
        return []
    sentence = (
        next((s for s in _SENTENCE.split(text) if _FEE_OF.search(s)), None) if scan.mentions("fee") else None
    )
    if sentence is None:
        if not classes_for:
            return []
        # Fund and class named, the rate not stated (a schedule not given, a cut file): said.
        line = flow.line_at(a.start()) if a else None
        diags.append(Diagnostic("warning", "funds named in prose, no rate stated", line))
        return [
            ScheduleRow(
                fund=f,
                registrant=registrant,
                share_class=c,
                lines=(line, line) if line else None,
                flags=("fund named in prose", "no rate stated"),
            )
            for f in funds
            for c in classes_for
        ]
    line = flow.line_at(text.find(sentence))
    per_class: dict[str | None, dict[str, Decimal]] = {}
    for clause in _NEXT_FEE.split(sentence):
        fee = _FEE_OF.search(clause)
        value = V.RATE_IN_TEXT.search(fee.group(0)) if fee else None
        rate = V.rate_value(value.group(1)) if value else None
        if fee is None or rate is None:
            continue
        column = (
            "distribution" if _DIST.search(clause) else "service" if _SERV.search(clause) else "aggregate"
        )
        classes: list[str | None] = list(V.find_classes(clause[fee.end() :])) or [scope.share_class]
        for cls in classes:
            per_class.setdefault(cls, {}).setdefault(column, rate)
    if not per_class:
        return []
    diags.append(Diagnostic("warning", f"funds and rates read from prose ({len(funds)} funds)", line))
    return [
        ScheduleRow(
            fund=fund,
            registrant=registrant,
            share_class=cls,
            distribution_fee=fees.get("distribution"),
            service_fee=fees.get("service"),
            aggregate_fee=fees.get("aggregate"),
            lines=(line, line),
            flags=("rate from prose", "fund named in prose"),
        )
        for fund in funds
        for cls, fees in per_class.items()
    ]
