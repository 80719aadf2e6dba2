"""Stacked cells split: in text from HTML, one table cell may hold a value per class, one under the
other ("|Class C" / "Class R", then "|0.75" / "0.50"). Each cell's first value starts with '|', the
others continue it. Reordered class by class, the cells read as ordinary class sub-rows."""

from __future__ import annotations

from distplan.documents.cells import Tok
from distplan.documents.layout import Document

_STACKABLE = ("rate", "none", "pct")


def _stack(toks: list[Tok], i: int, piped: list[bool], kinds: tuple[str, ...]) -> list[Tok]:
    """The piped cell at i and the unpiped lines that continue it, all of the given kinds."""
    if i >= len(toks) or toks[i].kind not in kinds or not piped[toks[i].row]:
        return []
    run = [toks[i]]
    for t in toks[i + 1 :]:
        if t.kind != toks[i].kind or piped[t.row] or not t.first:
            break
        run.append(t)
    return run


def unstack(toks: list[Tok], doc: Document) -> list[Tok]:
    piped = [line.piped for line in doc.lines]
    if not any(piped):
        return toks
    out: list[Tok] = []
    i = 0
    while i < len(toks):
        classes = _stack(toks, i, piped, ("class",))
        k = len(classes)
        if k < 2:
            out.append(toks[i])
            i += 1
            continue
        columns: list[list[Tok]] = []
        j = i + k
        while True:
            column = _stack(toks, j, piped, _STACKABLE)
            if len(column) != k:
                break
            columns.append(column)
            j += k
        if not any(c[0].kind in ("rate", "none") for c in columns):
            out.extend(classes)  # a class list alone, no values stacked with it: left as it was
            i += k
            continue
        for n, cls in enumerate(classes):
            out.append(cls)
            out.extend(column[n] for column in columns)
        i = j
    return out
