"""Column headers printed over several rows: read each column's pieces together.

A header cell is often wrapped into the rows below it ("Annual Fee (as a % of the average daily
net" / "assets of the Fund attributable to Adviser" / "Shares)"). Cell by cell, the pieces read as
a sentence fragment or as nothing; together they name the share class the column is about. This
stage joins the pieces of each column of a run of header rows, gives the class it names to the
run's last header cell (where the schedule parser takes a header's class as the table's), and
keeps the fragments inside the header instead of ending it as prose.
"""

from __future__ import annotations

import re

from distplan.documents import values as V
from distplan.documents.cells import Tok
from distplan.documents.layout import Document
from distplan.documents.names import NOT_A_CLASS

_HEADERISH = frozenset(("header", "prose", "other", "name", "pct"))
# "attributable to Adviser Shares", "attributable to the Class R2 Shares"
_ATTRIBUTABLE = re.compile(
    r"\battributable\s+to\s+(?:the\s+|its\s+|such\s+)?((?:class\s+)?[A-Z][A-Za-z]{0,14}\d?)\s+shares\b", re.I
)
_FRAGMENT_MAX = 120  # a wrapped header piece is short; a paragraph is not


def _class_named(text: str) -> str | None:
    m = _ATTRIBUTABLE.search(text)
    if m:
        word = re.sub(r"(?i)^class\s+", "", m.group(1))
        if word.lower() not in NOT_A_CLASS and word[0].isupper():
            return V.normalize_class(word)
    found = V.find_classes(text)
    return found[0] if len(found) == 1 else None


def _columns(doc: Document, toks: list[Tok]) -> list[int] | None:
    """Each token's column (cell index or character column), or None when tokens and cells
    do not line up one to one."""
    cols: list[int] = []
    for line in doc.lines:
        cols.extend(cell.col for cell in line.cells)
    return cols if len(cols) == len(toks) else None


def _runs(toks: list[Tok]) -> list[list[int]]:
    """Runs of consecutive rows that read as header rows: a header cell, and nothing that is a
    value, a fund or a heading."""
    by_row: dict[int, list[int]] = {}
    for i, t in enumerate(toks):
        by_row.setdefault(t.row, []).append(i)
    runs: list[list[int]] = []
    current: list[int] = []
    last_row = -2
    for row in sorted(by_row):
        idx = by_row[row]
        kinds = [toks[i].kind for i in idx]
        is_header_row = (
            "header" in kinds
            and all(k in _HEADERISH for k in kinds)
            and all(len(toks[i].text) <= _FRAGMENT_MAX for i in idx)
        )
        if is_header_row and row == last_row + 1 and current:
            current.extend(idx)
        elif is_header_row:
            if len({toks[i].row for i in current}) > 1:
                runs.append(current)
            current = list(idx)
        else:
            if len({toks[i].row for i in current}) > 1:
                runs.append(current)
            current = []
        last_row = row
    if len({toks[i].row for i in current}) > 1:
        runs.append(current)
    return runs


def join_wrapped_headers(toks: list[Tok], doc: Document) -> list[Tok]:
    """Tokens with each multi-row header's class given to its last header cell (see module doc);
    a one-cell header that says whose shares the column is about ("... attributable to Premier
    Shares") names its class too."""
    header_rows: set[int] = set()
    for t in toks:
        if t.kind == "header":
            header_rows.add(t.row)
        if t.kind == "header" and not t.classes and "ttributable" in t.text:
            m = _ATTRIBUTABLE.search(t.text)
            cls = _class_named(t.text) if m else None
            if cls is not None:
                t.classes = (cls,)
    if not any(row + 1 in header_rows for row in header_rows):
        return toks  # speed guard (xspeed): a run needs header cells on two rows in a row
    cols = _columns(doc, toks)
    if cols is None:
        return toks
    for run in _runs(toks):
        if any(toks[i].classes for i in run):
            continue  # a piece already names its class: nothing to add
        pieces: dict[int, list[int]] = {}
        for i in run:
            pieces.setdefault(cols[i], []).append(i)
        for members in pieces.values():
            if len(members) < 2 or not any(toks[i].kind == "header" for i in members):
                continue
            joined = " ".join(toks[i].text for i in members)
            cls = _class_named(joined)
            if cls is None:
                continue
            for i in members:
                if toks[i].kind in ("prose", "other", "name"):
                    toks[i].kind, toks[i].fields = "header", ()  # a piece of the header, not prose
            last = max((i for i in run if toks[i].kind == "header"), default=None)
            if last is not None:
                toks[last].classes = (cls,)
    return toks
