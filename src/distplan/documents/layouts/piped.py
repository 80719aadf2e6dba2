"""Text extracted from HTML: each table cell starts a physical line with `|`; a cell's text may
continue on the following lines ("|Share" / "Class", "|" / "September 28," / "2011"). Lines that
are not part of a cell (titles, prose) are laid out like fixed-width text, one line at a time."""

from __future__ import annotations

import re

from distplan.documents import values as V
from distplan.documents.headers import header_fields
from distplan.documents.layout import Cell, Line, is_sentence
from distplan.documents.layouts.fixed_width import is_noise, text_line
from distplan.documents.names import STOP

_MAX_CELL = 240  # a cell longer than this is prose, not a table cell
_CLASS_WORD = re.compile(r"^(?:class|shares?)[*†‡\d]{0,2}$", re.I)
_CONNECTOR_END = re.compile(r"(?:\b(?:and|or|of|the|for|to|in|with)|[,&–-])$", re.I)


def _complete(text: str) -> bool:
    """A cell that already holds a whole value: a rate, "None", a whole date."""
    return bool(
        V.NONE_WORDS.match(text) or V.RATE_CELL.match(text) or V.PCT_ONLY.match(text) or V.find_dates(text)
    )


def _continues(cell: list[str], line: str, first: bool) -> bool:
    """Does a line without `|` continue the open cell? Only when the cell's text is plainly
    unfinished: a bare `|`, a trailing connector, a lower-case continuation, a date cut after the
    day, or header words ("Share" / "Class"); a line that is a whole name stays its own line."""
    if not cell:
        return first  # a bare "|" opens a cell whose text is on the next line
    text = " ".join(cell)
    if len(text) + len(line) > _MAX_CELL or _complete(text) or STOP.match(line):
        return False
    if text.count("(") > text.count(")") and not is_sentence(line):
        return True  # "Fee (as a Percentage of Average" / "Daily Net Assets of Class C)"
    if _CONNECTOR_END.search(text) or line[:1].islower() or line[:1] == "(":
        return not is_sentence(line) or line[:1].islower()
    if line[:1].isdigit() and V.find_dates(f"{text} {line}") and not V.find_dates(text):
        return not V.find_dates(line)  # a date cut after the day: "September 28," then "2011"
    if _CLASS_WORD.match(line) and len(text) < 40 and not V.find_classes(text):
        return True  # "Administrative" / "Class*", "Service" / "Shares"
    return (
        header_fields(text) is not None
        and header_fields(f"{text} {line}") is not None
        and not V.find_dates(line)
    )


def piped_lines(text: str) -> list[Line]:
    out: list[Line] = []
    cell: list[str] | None = None
    cell_lines: list[int] = []

    def close() -> None:
        # Called only with text in the open cell (`cell` and `cell_lines` grow together).
        assert cell
        if len(cell) == 1:  # most cells: one physical line
            breaks: tuple[tuple[int, int], ...] = ((0, cell_lines[0]),)
        else:
            parts, offset = [], 0
            for part, no in zip(cell, cell_lines, strict=True):
                parts.append((offset, no))
                offset += len(part) + 1
            breaks = tuple(parts)
        content = " ".join(" ".join(cell).split())
        out.append(Line(cell_lines[0], (Cell(content, 0),), piped=True, breaks=breaks))
        cell_lines.clear()

    for no, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if not stripped:
            if cell:
                close()
            cell = None
            continue
        if stripped[0] == "|":
            if cell:
                close()
            content = stripped.lstrip("|").strip()
            cell = [content] if content else []
            if content:
                cell_lines.append(no)
            continue
        if is_noise(raw):
            continue
        folded = " ".join(stripped.split())
        if cell is not None and _continues(cell, folded, not cell_lines):
            cell.append(folded)
            cell_lines.append(no)
            continue
        if cell:
            close()
        cell = None
        line = text_line(raw, no)
        if line is not None:
            out.append(line)
    if cell:
        close()
    return out
