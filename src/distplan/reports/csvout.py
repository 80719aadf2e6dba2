"""CSV of a report's sections (the statement's one table): plain values (money as 1234.56,
rates in percent as 0.25, ISO dates), the totals row last. A text cell a spreadsheet would run
as a formula (= + - @ tab CR) is written with a leading apostrophe."""

from __future__ import annotations

import csv
import io
from datetime import date

from distplan.reports.document import Cell, Report, printable

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(_FORMULA_START) else text


def csv_of(report: Report, section: int = 0) -> bytes:
    """One section as CSV (the first, by default: a statement has one table)."""
    s = printable(report).sections[section]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.name for c in s.columns])
    for row in (*s.rows, *((s.total,) if s.total is not None else ())):
        writer.writerow([_cell(v) for v in row])
    return buf.getvalue().encode("utf-8")
