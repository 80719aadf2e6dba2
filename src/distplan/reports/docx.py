"""DOCX of a report (python-docx): Title/Heading styles, real tables (header row repeated on
every page, numbers right-aligned, totals bold), charts as PNG images from matplotlib, and a
header/footer with the plan, period and generated-at. Landscape letter pages.

Deterministic: core properties are the report's generated-at, the images are deterministic
PNGs, and the package is rewritten with fixed zip timestamps.
"""

from __future__ import annotations

import io
from typing import Any

from distplan.documents.render.word import add_rows, normalise_zip
from distplan.reports.charts import png_of
from distplan.reports.document import Report, Section, display, printable

_STYLED_ROWS = 400  # rows laid out cell by cell, aligned and bolded; more are written plainly


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def _table(word: Any, s: Section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    table = word.add_table(rows=1, cols=len(s.columns))
    table.style = "Table Grid"
    right = [c.numeric for c in s.columns]
    _repeat_header(table.rows[0])
    for cell, col in zip(table.rows[0].cells, s.columns, strict=True):
        run = cell.paragraphs[0].add_run(col.name)
        run.bold = True
    body = [*s.rows, *((s.total,) if s.total is not None else ())]
    if len(body) > _STYLED_ROWS:
        # python-docx's row API walks the whole table per row (quadratic): a long table's rows
        # are written as plain WordprocessingML in one pass (no right alignment, no bold total).
        add_rows(table, [tuple(display(v, c.kind) for v, c in zip(r, s.columns, strict=True)) for r in body])
        return
    for i, values in enumerate(body):
        cells = table.add_row().cells
        for j, (cell, value, col) in enumerate(zip(cells, values, s.columns, strict=True)):
            par = cell.paragraphs[0]
            run = par.add_run(display(value, col.kind))
            run.font.size = Pt(7.5)
            run.bold = s.total is not None and i == len(s.rows)
            if right[j]:
                par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if not s.rows:
        word.add_paragraph("none", style="Normal")


def _header_footer(word: Any, report: Report) -> None:
    section = word.sections[0]
    section.header.paragraphs[0].text = f"{report.plan} · {report.period}"
    section.footer.paragraphs[0].text = f"{report.title} · generated {report.stamp}"


def docx_of(report: Report) -> bytes:
    from docx import Document as new_docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Inches, Pt

    report = printable(report)
    word = new_docx()
    word.styles["Normal"].font.name = "DejaVu Sans"
    word.styles["Normal"].font.size = Pt(9)
    page = word.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Inches(11), Inches(8.5)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(page, side, Inches(0.6))
    props = word.core_properties
    props.title, props.author, props.last_modified_by = report.title, "distplan", "distplan"
    props.created = props.modified = report.generated_at.replace(tzinfo=None)
    props.revision = 1
    _header_footer(word, report)

    word.styles["Title"].font.size = Pt(18)
    word.add_paragraph(report.title, style="Title")
    for k, v in [
        ("Plan", report.plan),
        ("Period", report.period),
        *report.facts,
        ("Generated", report.stamp),
    ]:
        par = word.add_paragraph(style="Normal")
        par.paragraph_format.space_after = Pt(0)
        par.add_run(f"{k}: ").bold = True
        par.add_run(v)
    for w in report.warnings:
        word.add_paragraph(f"warning: {w}", style="Normal")
    for s in report.sections:
        word.add_heading(s.title, level=1)
        for note in s.notes:
            word.add_paragraph(note, style="Normal")
        if s.chart is not None and s.chart.categories:
            word.add_picture(io.BytesIO(png_of(s.chart, 9.0)), width=Inches(9.0))
        if s.columns:
            _table(word, s)
    buf = io.BytesIO()
    word.save(buf)
    return normalise_zip(buf.getvalue())
