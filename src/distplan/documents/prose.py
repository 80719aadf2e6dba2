"""Rates stated in prose: "... at an annual rate of 0.25% of the average daily net assets ..."."""

from __future__ import annotations

import re

from distplan.documents import values as V
from distplan.documents.context import ClassScope
from distplan.documents.flow import Flow
from distplan.model import Diagnostic, ScheduleRow

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
