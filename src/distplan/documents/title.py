"""The title block at the top of an exhibit: its heading lines (exhibit-index lines skipped), the
dates printed under it, and the tests that end it (a column header, a sentence, a table row)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from distplan.documents import values as V
from distplan.documents.effective import unglue
from distplan.documents.layout import Line, is_sentence
from distplan.documents.names import QUOTES, words

# Exhibit-index lines printed above the title: "Exhibit (m)(2)", "EX-99.(m)(ii)", "(m)(1)(i)",
# "Exhibit 99.B(m)(4)(b)", "Exhibit M(2)" -- never "Exhibit A", which is a schedule's own heading.
_EXHIBIT_INDEX = re.compile(
    r"^(?:ex-|ex(?:hibit)?[-.\s]*\d|ex(?:hibit)?[-.\s]*\(|exhibit\s+[a-z]{1,2}\s*\(|\(?[a-z]{1,4}\)\s*\()",
    re.I,
)
SCHEDULE_HEADING = re.compile(
    r"^[\"“”']?\s*(?:form\s+of\s+)?(?:(?:amended\s+and\s+restated|amended|restated|revised)\s+)?"
    r"(?:(schedule|appendix|exhibit|annex|attachment)\s+([A-Z]{1,2}|[IVX]{1,4}|\d{1,2})(?![\w(])"
    r"|fee\s+(?:schedule|appendix)\b|schedule\s+(?:of\s+fees|to)\b)",
    re.I,
)
_FORM_OF = re.compile(r"^form\s+of\s*$", re.I)
# Words of a column-header line ("Name of Series", "Rule 12b-1 Fees", "Fund", "Class"); the title
# block ends there. An anchor word must be present: "DISTRIBUTION PLAN" is a title.
_HEADER_WORDS = frozenset(
    [
        "fund",
        "funds",
        "series",
        "portfolio",
        "portfolios",
        "name",
        "names",
        "of",
        "the",
        "fee",
        "fees",
        "rate",
        "rates",
        "rule",
        "12b-1",
        "class",
        "classes",
        "share",
        "shares",
        "maximum",
        "annual",
        "distribution",
        "service",
        "services",
        "servicing",
        "shareholder",
        "aggregate",
        "total",
        "combined",
        "and",
        "effective",
        "date",
        "dates",
        "adoption",
        "adopted",
        "trust",
        "registrant",
        "percentage",
        "average",
        "daily",
        "net",
        "assets",
        "as",
        "a",
        "per",
        "annum",
        "asset",
        "based",
        "sales",
        "charge",
        "limitation",
    ]
)
_HEADER_ANCHORS = frozenset("fund funds series portfolio portfolios name names fee fees rate rates".split())  # noqa: SIM905
_CLASS_LINE_WORDS = frozenset("class classes share shares for of the and".split())  # noqa: SIM905
_TITLE_MAX_LINES = 10


@dataclass(frozen=True)
class TitleBlock:
    """The heading lines at the top of the document (exhibit-index lines skipped)."""

    lines: tuple[Line, ...]
    date_lines: tuple[Line, ...]  # dates printed within or right under the title
    form_of: bool = False  # "Form of" above the title: a form, not an executed instrument

    @property
    def text(self) -> str:
        return " ".join(" ".join(line.text.split()) for line in self.lines).strip(QUOTES + " ")

    @property
    def span(self) -> tuple[int, int] | None:
        return (self.lines[0].no, self.lines[-1].no) if self.lines else None

    @property
    def last_line(self) -> int:
        lines = self.lines + self.date_lines
        return max((line.no for line in lines), default=0)


def is_header_line(text: str) -> bool:
    """A column-header line: only header words, with at least one anchor ("fund", "fee", ...)."""
    found = {w.lower() for w in words(V.CLASS_AFTER.sub(" ", text))}
    return bool(found) and found <= _HEADER_WORDS and bool(found & _HEADER_ANCHORS)


def is_class_line(text: str) -> bool:
    """ "(CLASS C SHARES)", "INVESTOR CLASS", "C CLASS": the class the whole document is for."""
    if not V.find_classes(text):
        return False
    rest = V.CLASS_BEFORE.sub(" ", V.CLASS_AFTER.sub(" ", text))
    return all(w.lower() in _CLASS_LINE_WORDS for w in words(rest))


def _is_date_line(text: str) -> bool:
    """A line that is a date phrase ("As of May 1, 2015", "Dated August 22, 2013"), not a title."""
    text = unglue(text)
    if not V.find_dates(text):
        return False
    rest = V.ANY_DATE.sub(" ", text)
    return len(words(rest)) <= 6 and not is_sentence(text)


def title_block(lines: Sequence[Line]) -> TitleBlock:
    """The title: the single-cell, non-prose lines at the top, up to the first column header."""
    block: list[Line] = []
    dates: list[Line] = []
    form_of = False
    for line in lines[:16]:
        text = line.text.strip()
        if not block and not dates and (_EXHIBIT_INDEX.match(text) or _FORM_OF.match(text)):
            form_of = form_of or bool(_FORM_OF.match(text))
            continue
        if is_sentence(text) or len(line.cells) > 1 or len(block) >= _TITLE_MAX_LINES or len(text) > 200:
            break
        if _is_date_line(text):
            dates.append(line)
            continue
        if dates:
            break  # the dates under the title end it
        if is_header_line(text) and not is_class_line(text):
            break
        if block and SCHEDULE_HEADING.match(text) and any(SCHEDULE_HEADING.match(b.text) for b in block):
            break  # "Fee Schedule" under "APPENDIX A to the ... Plan": a section of the schedule
        block.append(line)
    return TitleBlock(tuple(block), tuple(dates), form_of)
