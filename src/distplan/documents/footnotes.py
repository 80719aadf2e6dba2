"""Footnote numbers glued to a share class: "Class C1" where the document prints a footnote "1"
about Class C is Class C with its note, not a class "C1" (classes such as "R2" or "C2" are real,
so the class is read off only with that evidence, and flagged)."""

from __future__ import annotations

import re
from dataclasses import replace

from distplan.documents import values as V
from distplan.documents.layout import is_sentence
from distplan.model import ScheduleRow

_NUMBER_ONLY = re.compile(r"^\(?(\d)\)?$")
_NUMBER_LEAD = re.compile(r"^\(?(\d)\)?\s+(.+)$")
# A line whose text (stripped, "|" dropped, stripped) opens with "1" or "(1": every note's first line.
# Possessive, and blind to newlines: thousands of blank lines (a submission's padding) cost one pass.
_NUMBERED = re.compile(r"^[^\S\n]*+(?:\|++[^\S\n]*+)?\(?\d", re.M)
_GLUED = re.compile(r"^([A-Z]{1,2})(\d)$")


def footnotes(text: str) -> dict[str, str]:
    """Numbered notes: a line that is only "1" (a superscript cell; the layouts drop it as a page
    number) followed by a sentence, or a sentence led by "1 ". Read from the text as filed."""
    notes: dict[str, str] = {}
    if not _NUMBERED.search(text):
        return notes  # speed guard (xspeed): no line opens with a note number
    pending: str | None = None
    for raw in text.split("\n"):
        line = raw.strip().lstrip("|").strip()
        if not line:
            continue
        only = _NUMBER_ONLY.match(line)
        if only:
            pending = only.group(1)
            continue
        lead = _NUMBER_LEAD.match(line)
        if pending is not None and is_sentence(line):
            notes.setdefault(pending, line)
        elif lead and is_sentence(lead.group(2)):
            notes.setdefault(lead.group(1), lead.group(2))
        pending = None
    return notes


def unglue_class_marks(rows: list[ScheduleRow], notes: dict[str, str]) -> list[ScheduleRow]:
    """ "C1" -> "C" where note 1 exists and either names Class C or other rows are of Class C."""
    if not notes:
        return rows
    classes = {r.share_class for r in rows}
    out = []
    for row in rows:
        m = _GLUED.match(row.share_class or "")
        note = notes.get(m.group(2)) if m else None
        if m and note is not None and (m.group(1) in V.find_classes(note) or m.group(1) in classes):
            row = replace(row, share_class=m.group(1), flags=(*row.flags, "footnote mark read off the class"))
        out.append(row)
    return out
