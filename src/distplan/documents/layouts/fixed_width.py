"""EDGAR text: `<PAGE>`/`<TABLE>`/`<S>`/`<C>` tags and fixed-width columns. Tags and page numbers
are dropped; a line is split into cells at runs of 3+ spaces (justified prose has 2-space gaps, so
it stays one cell) unless it reads as a sentence; a wrapped paragraph becomes one prose cell."""

from __future__ import annotations

import re

from distplan.documents.layout import Cell, Line, is_sentence
from distplan.documents.layouts.wrapped_names import join_wrapped_names
from distplan.documents.values import NONE_WORDS, RATE_CELL

_TAG_LINE = re.compile(
    r"^\s*</?(PAGE|TABLE|CAPTION|S|C|FN|PRE|DOCUMENT|TEXT|TYPE|SEQUENCE|FILENAME|DESCRIPTION)\b[^>]*>\s*$",
    re.I,
)
_INLINE_TAG = re.compile(r"</?(S|C|PAGE|FN|CAPTION)>", re.I)
_PAGE_NO = re.compile(r"^\s*(?:-\s*)?(?:page\s+)?\d{1,3}(?:\s*-)?\s*$", re.I)
_RULE_CHARS = frozenset("-_=*~. \t")
_WORD_ONLY = re.compile(r"^[A-Z][A-Za-z'’.-]*:?$")  # one capitalised word, no value
_COL_SPLIT = re.compile(r"\S+(?: {1,2}\S+)*")  # a cell: words apart by at most two spaces


def is_rule(raw: str) -> bool:
    """A line of dashes, underscores, stars... (checked without a regex: no backtracking)."""
    stripped = raw.strip()
    return len(stripped) >= 3 and stripped[0] in _RULE_CHARS and set(stripped) <= _RULE_CHARS


def is_noise(raw: str) -> bool:
    """Layout furniture that carries no content: tags, rules, page numbers."""
    return ("<" in raw and bool(_TAG_LINE.match(raw))) or is_rule(raw) or bool(_PAGE_NO.match(raw))


def text_line(raw: str, no: int) -> Line | None:
    """One physical line of fixed-width text as a line of cells (None when blank)."""
    raw = _INLINE_TAG.sub(lambda m: " " * len(m.group(0)), raw.replace("\t", "    ")).rstrip()
    stripped = raw.strip()
    if not stripped:
        return None
    indent = len(raw) - len(raw.lstrip())
    cells: tuple[Cell, ...] = tuple(
        Cell(" ".join(m.group(0).split()), m.start()) for m in _COL_SPLIT.finditer(raw) if m.group(0).strip()
    )
    # Justified prose can hold a wide gap; a line is a table row only if no part reads as prose.
    # A row whose last cell is a bare rate ("Class A of X Equity and      0.20%") is a table row.
    last = cells[-1].text if cells else ""
    rate_row = "%" in last and bool(RATE_CELL.match(last))
    if len(cells) > 1 and not rate_row and any(is_sentence(c.text) for c in cells):
        cells = (Cell(" ".join(stripped.split()), indent),)
    return Line(no, cells, indent=indent)


def _paragraph(lines: list[Line]) -> list[Line]:
    # Fixed-width prose wraps a sentence over several lines: a paragraph of single-cell lines
    # holding a sentence is one prose cell (so "Shares of the Portfolio." is never a fund name).
    if not (
        1 < len(lines) <= 15
        and all(len(p.cells) == 1 for p in lines)
        and any(is_sentence(p.text) for p in lines)
    ):
        return lines
    breaks, offset = [], 0
    for p in lines:
        breaks.append((offset, p.no))
        offset += len(p.text) + 1
    cell = Cell(" ".join(p.text for p in lines), lines[0].indent)
    return [Line(lines[0].no, (cell,), indent=lines[0].indent, breaks=tuple(breaks))]


def fixed_width_lines(text: str) -> list[Line]:
    out: list[Line] = []
    paragraph: list[Line] = []
    # Paragraphs are set apart by blank lines; without any, each line stands alone.
    wraps = "\n\n" in text.strip()
    for no, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            out.extend(_paragraph(paragraph) if wraps else paragraph)
            paragraph = []
            continue
        if is_noise(raw):
            continue
        line = text_line(raw, no)
        if line is not None:
            paragraph.append(line)
    out.extend(_paragraph(paragraph) if wraps else paragraph)
    return join_wrapped_names(out if wraps else _rejoin_words(out))


def _rejoin_words(lines: list[Line]) -> list[Line]:
    """Text broken a word or two per line ("Evolution" / "VP Managed Bond Fund", "Up" / "to" /
    "0.25% of ..."): a line of one word carries on into the next line."""
    out: list[Line] = []
    carry: Line | None = None
    for line in lines:
        if carry is not None and len(line.cells) == 1:
            text = f"{carry.text} {line.text}"
            breaks = ((0, carry.no), (len(carry.text) + 1, line.no))
            line = Line(carry.no, (Cell(text, carry.indent),), indent=carry.indent, breaks=breaks)
        elif carry is not None:
            out.append(carry)
        carry = None
        if len(line.cells) == 1 and _WORD_ONLY.match(line.text) and not NONE_WORDS.match(line.text):
            carry = line
            continue
        out.append(line)
    if carry is not None:
        out.append(carry)
    return out
