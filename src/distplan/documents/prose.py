"""Rates stated in prose: "... at an annual rate of 0.25% of the average daily net assets ..."
(for the listed funds, or for the registrant's shares where no schedule lists any)."""

from __future__ import annotations

import re

from distplan.documents import values as V
from distplan.documents.cells import Tok
from distplan.documents.context import ClassScope, ProseRate
from distplan.documents.flow import Flow
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


def prose_rows(
    flow: Flow, registrant: str | None, scope: ClassScope, diags: list[Diagnostic]
) -> list[ScheduleRow]:
    """A plan with no schedule table whose prose states one rate for the registrant's shares."""
    prose = _PROSE_RATE.search(flow.text)
    rate = V.rate_value(prose.group(2)) if prose else None
    if prose is None or registrant is None or rate is None:
        return []
    line_no = flow.line_at(prose.start())
    diags.append(Diagnostic("warning", f"rate {rate}% read from prose for {registrant}", line_no))
    return [
        ScheduleRow(
            fund=registrant,
            registrant=registrant,
            share_class=scope.share_class,
            aggregate_fee=rate,
            lines=(line_no, line_no),
            confidence=0.7,
            flags=("rate from prose", "fund is the registrant"),
        )
    ]


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
