"""What kind of instrument the title says it is (amendment / schedule / plan) and the number of an
"Amendment No. N" (also "No. [2]"), from the title or, without one, the opening sentence."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from distplan.documents.layout import Line, is_sentence
from distplan.documents.names import words
from distplan.documents.title import SCHEDULE_HEADING, TitleBlock
from distplan.model import Diagnostic

_AMENDMENT_TITLE = re.compile(r"^[\"“”']?\s*(?:[a-z]+\s+)?amendment\b(?!\s+and\s+restatement)", re.I)
_ORDINAL_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_AMENDMENT_NO = re.compile(
    r"\bamendment\s+(?:no\.?|number|#)\s*\[?\s*(\d{1,3}|" + "|".join(_ORDINAL_WORDS) + r")\s*\]?(?![\w.])",
    re.I,
)


@dataclass(frozen=True)
class Found:
    """A document-level value with where it was read and what was doubtful about it."""

    value: object
    lines: tuple[int, int] | None = None
    flags: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


def document_kind(title: TitleBlock, lines: Sequence[Line]) -> Found:
    """amendment / schedule / plan, from the title; the first of its lines that says wins."""
    for i, line in enumerate(title.lines):
        text = line.text.strip()
        if len(words(text)) == 1 and i + 1 < len(title.lines):
            text += " " + title.lines[i + 1].text.strip()  # "SCHEDULE" / "A": a heading broken over lines
        if _AMENDMENT_TITLE.match(text):
            return Found("amendment", (line.no, line.no))
        if SCHEDULE_HEADING.match(text):
            return Found("schedule", (line.no, line.no))
    if re.search(r"\bplan\b", title.text, re.I):
        return Found("plan", title.span)
    # No title that says: the opening sentence may ("This Amendment No. 3 to the Plan ...").
    for line in lines[:8]:
        if is_sentence(line.text) and re.match(r"^\s*this\s+amendment\b", line.text, re.I):
            why = "kind read from the opening sentence (no title)"
            return Found("amendment", (line.no, line.no), (why,), (Diagnostic("info", why, line.no),))
    why = "no title names the kind; taken as a schedule"
    where = title.span[0] if title.span else None
    return Found("schedule", title.span, (why,), (Diagnostic("warning", why, where),))


def amendment_number(title: TitleBlock, lines: Sequence[Line]) -> Found:
    """N of "Amendment No. N" (also "No. [2]"), from the title, else the opening sentence."""
    candidates = list(title.lines) + [line for line in lines[:12] if is_sentence(line.text)][:2]
    for line in candidates:
        m = _AMENDMENT_NO.search(line.text)
        if m:
            token = m.group(1).lower()
            number = int(token) if token.isdigit() else _ORDINAL_WORDS[token]
            return Found(number, (line.no, line.no))
    return Found(None)
