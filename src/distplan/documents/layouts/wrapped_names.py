"""Fixed-width tables wrap a long name onto the next line, in the same column, with nothing in the
value columns ("JPMorgan 100% U.S. Treasury Securities   ...   0.10%" / "Money Market Fund"). The
continuation is part of the name above it, not a fund of its own."""

from __future__ import annotations

import re

from distplan.documents.layout import Cell, Line
from distplan.documents.values import NONE_WORDS, PCT_ONLY, RATE_CELL

# A name that already ends like a whole name does not carry on into the next line.
_NAME_END = re.compile(r"\b(fund|portfolio|etf|trust|series|shares|inc|company|llc)\.?\W*$", re.I)
_SLACK = 1  # characters a wrapped cell may sit off its column


def _is_value(cell: Cell) -> bool:
    return bool(RATE_CELL.match(cell.text) or NONE_WORDS.match(cell.text) or PCT_ONLY.match(cell.text))


def _continues(above: Line, line: Line) -> dict[int, int] | None:
    """For a line continuing the names of the line above: which cell above each of its cells
    carries on (by index), else None."""
    if line.no != above.no + 1 or len(above.cells) < 2 or line.piped or above.piped:
        return None
    if not any(_is_value(c) for c in above.cells[1:]) or _is_value(above.cells[0]):
        return None
    names = [i for i, c in enumerate(above.cells) if not _is_value(c)]
    if any(_is_value(c) for c in line.cells) or len(line.cells) > len(names):
        return None
    target: dict[int, int] = {}
    for j, cell in enumerate(line.cells):
        match = [i for i in names if abs(above.cells[i].col - cell.col) <= _SLACK]
        if not match or _NAME_END.search(above.cells[match[0]].text):
            return None
        target[j] = match[0]
    return target if 0 in target.values() else None  # the fund column itself wraps


def join_wrapped_names(lines: list[Line]) -> list[Line]:
    out: list[Line] = []
    for line in lines:
        target = _continues(out[-1], line) if out else None
        if target is None:
            out.append(line)
            continue
        above = out[-1]
        cells = list(above.cells)
        for j, i in target.items():
            cells[i] = Cell(f"{cells[i].text} {line.cells[j].text}", cells[i].col)
        out[-1] = Line(above.no, tuple(cells), indent=above.indent)
    return out
