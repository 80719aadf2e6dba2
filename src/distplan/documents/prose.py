"""Rates stated in prose: "... at an annual rate of 0.25% of the average daily net assets ..."
(for the listed funds, or for the registrant's shares where no schedule lists any)."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from distplan.documents import values as V
from distplan.documents.cells import Tok
from distplan.documents.context import ClassScope, ProseRate
from distplan.documents.flow import Flow
from distplan.documents.names import fund_list
from distplan.documents.prose_funds import defined_fund_rows
from distplan.model import Diagnostic, ScheduleRow

RATE_PROSE = re.compile(r"annum|annual|average daily net assets", re.I)
_CURRENT = re.compile(r"\b(current(ly)?|authorized)\b", re.I)
_CLAUSE = re.compile(r"[,;]\s+")
_SENTENCE_END = re.compile(r"(?<=[a-z%)])\.\s+(?=[A-Z])")

_PROSE_RATE = re.compile(
    rf"(?:rates?\s+of|at\s+an?\s+annual\s+rate\s+of|fee\s+of)\s+({V.RATE_IN_TEXT.pattern})[^.]{{0,80}}"
    r"(?:per\s+annum|average\s+daily\s+net\s+assets)",
    re.I,
)


# "at the annual rate of 0.25% (0.15% for the Bond Fund, the Income Fund and the Low Duration Fund)"
_RATE_EXCEPTION = re.compile(
    rf"{V.RATE_IN_TEXT.pattern}\s*\(\s*{V.RATE_IN_TEXT.pattern}\s+(?:for|in\s+the\s+case\s+of)\s+([^()]{{3,400}})\)",
    re.I,
)


def exception_rows(
    flow: Flow, registrant: str | None, scope: ClassScope, diags: list[Diagnostic]
) -> list[ScheduleRow]:
    """Funds the prose names with a rate of their own beside the general one: a row each. The
    general rate is for "each series", which the document does not list: said, not made a row."""
    rows: list[ScheduleRow] = []
    for m in _RATE_EXCEPTION.finditer(flow.text):
        general, rate = V.rate_value(m.group(1)), V.rate_value(m.group(2))
        funds = fund_list(m.group(3))
        if rate is None or not funds:
            continue
        line_no = flow.line_at(m.start())
        diags.append(
            Diagnostic("info", f"rate {general}% stated in prose for the funds it does not name", line_no)
        )
        rows.extend(_prose_row(fund, registrant, scope, rate, line_no) for fund in funds)
    return rows


def prose_rows(
    flow: Flow, registrant: str | None, scope: ClassScope, diags: list[Diagnostic]
) -> list[ScheduleRow]:
    """A plan with no schedule table whose prose states one rate for the registrant's shares (or
    rates of their own for the funds it names)."""
    named = exception_rows(flow, registrant, scope, diags) or defined_fund_rows(
        flow, registrant, scope, diags
    )
    if named:
        return named
    prose = _PROSE_RATE.search(flow.text)
    rate = V.rate_value(prose.group(2)) if prose else None
    if prose is None or registrant is None or rate is None:
        return []
    line_no = flow.line_at(prose.start())
    diags.append(Diagnostic("warning", f"rate {rate}% read from prose for {registrant}", line_no))
    row = _prose_row(registrant, registrant, scope, rate, line_no, "fund is the registrant")
    return [replace(row, confidence=0.7)]


def _prose_row(
    fund: str, registrant: str | None, scope: ClassScope, rate: Decimal, line: int, *more: str
) -> ScheduleRow:
    return ScheduleRow(
        fund=fund,
        registrant=registrant,
        share_class=scope.share_class,
        aggregate_fee=rate,
        lines=(line, line),
        flags=("rate from prose", *more),
    )


def prose_rates(t: Tok) -> list[ProseRate]:
    """Rates a prose cell states for the schedule's funds, sentence by sentence; a rate in a
    sentence about the "current" authorized level is marked (the plan maximum is what counts)."""
    found: list[ProseRate] = []
    for sentence in _SENTENCE_END.split(t.text):
        if not RATE_PROSE.search(sentence):
            continue
        for clause in _CLAUSE.split(sentence):  # "Up to 1.00% ... approved, 0.25% authorized."
            for m in V.RATE_IN_TEXT.finditer(clause):
                value = V.rate_value(m.group(1))
                if value is not None:
                    found.append(ProseRate(value, t.line, bool(_CURRENT.search(clause))))
    return found
