"""XLSX of a report (openpyxl): a cover sheet, then one sheet per section.

Numbers are real numbers (money exact from Decimal, `#,##0.00`; rates as fractions with a
percent format; dates as dates), headers frozen, totals as SUM formulas over the column above,
charts as native Excel bar charts on the section's own data. Text is never a formula: every
string cell is stored as a string, and one that starts like a formula (= + - @) also carries
Excel's quote prefix, so editing the cell keeps it text. Deterministic: the document's
properties are the report's generated-at, and the package is rewritten with fixed zip times.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from typing import Any

from distplan.documents.render.word import normalise_zip
from distplan.reports.document import Cell, Column, Report, Section, printable

FORMATS = {"money": "#,##0.00", "rate": "0.00##%", "int": "#,##0", "date": "yyyy-mm-dd"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\']")


def _sheet_name(section: Section, taken: set[str]) -> str:
    base = _SHEET_BAD.sub(" ", section.sheet or section.title).strip()[:28] or "Section"
    name, n = base, 2
    while name.lower() in taken:
        name, n = f"{base[:25]} {n}", n + 1
    taken.add(name.lower())
    return name


def _put(ws: Any, row: int, col: int, value: Cell, column: Column | None) -> Any:
    cell = ws.cell(row=row, column=col)
    if value is None:
        return cell
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would take "=..." as a formula
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True
        return cell
    kind = column.kind if column is not None else "text"
    cell.value = value / 100 if kind == "rate" and isinstance(value, Decimal) else value
    if kind in FORMATS:
        cell.number_format = FORMATS[kind]
    return cell


def _cover(ws: Any, report: Report) -> None:
    from openpyxl.styles import Font

    ws.title = "Report"
    _put(ws, 1, 1, report.title, None).font = Font(bold=True, size=14)
    lines = [("Plan", report.plan), ("Period", report.period), *report.facts, ("Generated", report.stamp)]
    for i, (k, v) in enumerate(lines, start=3):
        _put(ws, i, 1, k, None).font = Font(bold=True)
        _put(ws, i, 2, v, None)
    at = len(lines) + 4
    for i, w in enumerate(report.warnings):
        _put(ws, at + i, 1, f"warning: {w}", None)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100


def _section(ws: Any, s: Section) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    _put(ws, 1, 1, s.title, None).font = Font(bold=True, size=12)
    for i, note in enumerate(s.notes):
        _put(ws, 2 + i, 1, note, None)
    head = 3 + len(s.notes)
    if not s.columns:
        return
    fill = PatternFill("solid", fgColor="F0F3F7")
    for j, col in enumerate(s.columns, start=1):
        cell = _put(ws, head, j, col.name, None)
        cell.font, cell.fill = Font(bold=True), fill
        width = max([len(col.name), *(len(str(r[j - 1] or "")) for r in s.rows[:500])]) + 2
        ws.column_dimensions[get_column_letter(j)].width = min(max(width, 10), 60)
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    for i, row in enumerate(s.rows, start=head + 1):
        for j, (value, col) in enumerate(zip(row, s.columns, strict=True), start=1):
            _put(ws, i, j, value, col)
    if s.total is not None:
        at = head + len(s.rows) + 1
        for j, (value, col) in enumerate(zip(s.total, s.columns, strict=True), start=1):
            if col.numeric and value is not None:
                letter = get_column_letter(j)
                cell = ws.cell(row=at, column=j)
                # A formula a reader expects; an empty section sums nothing (0).
                cell.value = f"=SUM({letter}{head + 1}:{letter}{at - 1})" if s.rows else 0
                cell.number_format = FORMATS.get(col.kind, "General")
            else:
                cell = _put(ws, at, j, value, col)
            cell.font = Font(bold=True)
    if s.chart is not None and s.chart.categories:
        _chart(ws, s, head, len(s.columns) + 2)


def _chart(ws: Any, s: Section, top: int, left: int) -> None:
    """The chart's data beside the table, and a native bar chart on it."""
    from openpyxl.chart import BarChart, Reference

    chart = s.chart
    assert chart is not None
    _put(ws, top, left, "chart: " + chart.title, None)
    for k, series in enumerate(chart.series, start=1):
        _put(ws, top, left + k, series.name, None)
    for i, cat in enumerate(chart.categories, start=1):
        _put(ws, top + i, left, cat, None)
        for k, series in enumerate(chart.series, start=1):
            _put(ws, top + i, left + k, series.values[i - 1], Column("", "money"))
    bars = BarChart()
    bars.type = "bar" if chart.horizontal else "col"
    bars.grouping, bars.overlap = "stacked", 100
    bars.title = chart.title
    n = len(chart.categories)
    data = Reference(ws, min_col=left + 1, max_col=left + len(chart.series), min_row=top, max_row=top + n)
    bars.add_data(data, titles_from_data=True)
    bars.set_categories(Reference(ws, min_col=left, min_row=top + 1, max_row=top + n))
    bars.height, bars.width = (max(7.5, 0.45 * n + 3) if chart.horizontal else 7.5), 18
    ws.add_chart(bars, ws.cell(row=top + n + 2, column=left).coordinate)


def xlsx_of(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    report = printable(report)
    wb = Workbook()
    _cover(wb.active, report)
    taken = {"report"}
    for s in report.sections:
        _section(wb.create_sheet(_sheet_name(s, taken)), s)
    stamp = report.generated_at.replace(tzinfo=None)
    wb.properties.creator = wb.properties.lastModifiedBy = "distplan"
    wb.properties.title = report.title
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook stamps `modified` with the clock.
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).save()
    return normalise_zip(buf.getvalue())
