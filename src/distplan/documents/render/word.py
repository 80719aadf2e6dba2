"""Word (DOCX) writer: built-in Title/Heading/Normal styles, one real table per registrant group.

Deterministic: core properties come from the document, never the clock, and the package is
rewritten with fixed zip timestamps. Text reaching python-docx has been cleaned (`clean`), so
no XML-invalid character can make it fail.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from distplan.documents.render.blocks import Document, FundGroup, Heading, ListHeader, Para
from distplan.documents.render.build import build_document
from distplan.model import Instrument

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_EPOCH = "315532800"  # 1980-01-01T00:00:00Z


def normalise_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed member timestamps so equal documents are equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


_ROWS_PER_PARSE = 500  # rows built as one XML fragment: fast, and memory stays bounded


def add_rows(table: Any, rows: Sequence[tuple[str, ...]]) -> None:
    """Append body rows as WordprocessingML built directly: python-docx's `row.cells` walks the
    whole table on every call, which makes a 10,000-row table quadratic. Each cell is what
    `cell.text = ...` writes: a width as the grid column's, one paragraph with one run."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    widths = [col.w for col in table._tbl.tblGrid.gridCol_lst]
    props = [f'<w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr>' if w is not None else "" for w in widths]
    for start in range(0, len(rows), _ROWS_PER_PARSE):
        body = "".join(
            "<w:tr>"
            + "".join(
                f'<w:tc>{pr}<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'
                for pr, text in zip(props, row, strict=True)
            )
            + "</w:tr>"
            for row in rows[start : start + _ROWS_PER_PARSE]
        )
        fragment = parse_xml(f"<w:tbl {nsdecls('w')}>{body}</w:tbl>")
        table._tbl.extend(list(fragment))


def render_docx(inst: Instrument) -> bytes:
    """A Word document with the built-in Title/Heading/Normal styles and one real table per
    registrant group (header row first)."""
    return docx_of(build_document(inst), creation_date(inst))


def creation_date(inst: Instrument) -> date:
    """The DOCX creation date: a date of the instrument, never the clock."""
    return inst.dated or inst.effective_date or date(2000, 1, 1)


def docx_of(doc: Document, stamp: date) -> bytes:
    """The DOCX of a built document; `stamp` is its creation date (a date of the instrument)."""
    from docx import Document as new_docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    word = new_docx()
    word.styles["Normal"].font.name = "Times New Roman"
    word.styles["Normal"].font.size = Pt(11)
    # Core properties from the document itself, never the clock.
    props = word.core_properties
    props.title = doc.title
    props.author = "distplan"
    props.last_modified_by = "distplan"
    props.created = props.modified = datetime(stamp.year, stamp.month, stamp.day)
    props.revision = 1

    for block in doc.blocks:
        if isinstance(block, Heading):
            for i, line in enumerate(block.lines):
                style = "Title" if block.level == 0 and i == 0 else f"Heading {block.level + 1}"
                par = word.add_paragraph(line, style=style)
                par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(block, Para):
            par = word.add_paragraph(block.text, style="Quote" if block.quoted else "Normal")
            if block.indent:
                par.paragraph_format.first_line_indent = Pt(36)
        elif isinstance(block, ListHeader):
            continue  # each fund table carries its own header row
        elif isinstance(block, FundGroup):
            if block.registrant:
                word.add_paragraph(block.registrant, style="Heading 3")
            headers = [block.stub.title() if block.columns else "Funds"] + [
                " ".join(c.header) for c in block.columns
            ]
            table = word.add_table(rows=1, cols=len(headers))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for cell, text in zip(table.rows[0].cells, headers, strict=True):
                cell.text = ""
                cell.paragraphs[0].add_run(text).bold = True
            add_rows(table, block.rows)
        else:
            word.add_paragraph("")
            for party in block.parties:
                word.add_paragraph(party, style="Normal")
            for label in ("By: ______________________", "Name:", "Title:"):
                word.add_paragraph(label, style="Normal")
    buf = io.BytesIO()
    word.save(buf)
    return normalise_zip(buf.getvalue())
