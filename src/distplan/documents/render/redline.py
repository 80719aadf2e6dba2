"""A redline DOCX: the amendment as `render --to docx` writes it, with its Schedule A shown as
tracked changes against the schedule in force (WordprocessingML w:ins / w:del, the author and
date passed in): a row added is an inserted row, a row removed a deleted row (its text in
w:delText), a changed cell the old text deleted and the new inserted.

Deterministic: revision ids count from 1 in document order; the date is the caller's.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from distplan.documents.render import render_document
from distplan.documents.render.word import normalise_zip
from distplan.model import Instrument

HEADERS = (
    "Fund",
    "Class",
    "Maximum Asset Based Sales Charge",
    "Maximum Service Fee",
    "Maximum Aggregate Fee",
)
Cells = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class RedlineRow:
    """One fund-class in the old schedule, the new one, or both (`old`/`new`: its cells)."""

    registrant: str
    old: Cells | None
    new: Cells | None


class _Marks:
    """Builds the tracked-change elements, numbering the revisions."""

    def __init__(self, author: str, when: datetime) -> None:
        self.author, self.date, self.next_id = author, when.strftime("%Y-%m-%dT%H:%M:%SZ"), 0

    def attrs(self, el: Any) -> Any:
        from docx.oxml.ns import qn

        self.next_id += 1
        el.set(qn("w:id"), str(self.next_id))
        el.set(qn("w:author"), self.author)
        el.set(qn("w:date"), self.date)
        return el

    def run(self, text: str, kind: str | None) -> Any:
        """A run of `text`, inside w:ins or w:del when `kind` says so."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        run = OxmlElement("w:r")
        t = OxmlElement("w:delText" if kind == "del" else "w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = text
        run.append(t)
        if kind is None:
            return run
        mark = self.attrs(OxmlElement(f"w:{kind}"))
        mark.append(run)
        return mark

    def cell(self, cell: Any, old: str | None, new: str | None) -> None:
        par = cell.paragraphs[0]._p
        if old == new:
            par.append(self.run(old or "", None))
            return
        if old:
            par.append(self.run(old, "del"))
        if new:
            par.append(self.run(new, "ins"))

    def row(self, tr: Any, kind: str) -> None:
        """Mark a whole table row inserted or deleted (w:trPr first in the row)."""
        from docx.oxml import OxmlElement

        props = tr.get_or_add_trPr()
        props.append(self.attrs(OxmlElement(f"w:{kind}")))


def _groups(rows: Sequence[RedlineRow]) -> list[tuple[str, list[RedlineRow]]]:
    groups: list[tuple[str, list[RedlineRow]]] = []
    for row in rows:
        if not groups or groups[-1][0] != row.registrant:
            groups.append((row.registrant, []))
        groups[-1][1].append(row)
    return groups


def _schedule_span(body: Any) -> tuple[Any, list[Any]]:
    """The paragraph the schedule follows ("... deleted in its entirety ...") and the elements
    of its registrant groups (Heading 3 paragraphs and tables) to replace."""
    from docx.oxml.ns import qn

    children = list(body.iterchildren())
    start = next(i for i, el in enumerate(children) if "deleted in its entirety" in "".join(el.itertext()))
    i = start + 1
    while i < len(children) and _style(children[i]) in ("Heading2", "Title"):
        i += 1  # the schedule's own heading stays
    anchor, span = children[i - 1], []
    while i < len(children) and (children[i].tag == qn("w:tbl") or _style(children[i]) == "Heading3"):
        span.append(children[i])
        i += 1
    return anchor, span


def _style(el: Any) -> str | None:
    from docx.oxml.ns import qn

    style = el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return None if style is None else style.get(qn("w:val"))


def redline_docx(draft: Instrument, rows: Sequence[RedlineRow], *, author: str, when: datetime) -> bytes:
    """The draft's DOCX with its schedule replaced by `rows` as tracked changes."""
    from docx import Document as open_docx

    word = open_docx(io.BytesIO(render_document(draft, "docx").data))
    body = word.element.body
    anchor, span = _schedule_span(body)
    for el in span:
        body.remove(el)
    marks = _Marks(author, when)
    made: list[Any] = []
    for registrant, members in _groups(rows):
        made.append(word.add_paragraph(registrant, style="Heading 3")._p)
        table = word.add_table(rows=1, cols=len(HEADERS))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, HEADERS, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(text).bold = True
        for row in members:
            added = table.add_row()
            for i, cell in enumerate(added.cells):
                marks.cell(cell, row.old[i] if row.old else None, row.new[i] if row.new else None)
            if row.old is None or row.new is None:
                marks.row(added._tr, "ins" if row.old is None else "del")
        made.append(table._tbl)
    for el in made:  # added at the end of the body: moved into the schedule's place, in order
        anchor.addnext(el)
        anchor = el
    buf = io.BytesIO()
    word.save(buf)
    return normalise_zip(buf.getvalue())
