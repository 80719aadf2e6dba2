"""Reports people sign and hand out (issue 12): the distributor's statement, the board's
quarterly 12b-1 report, the ledger report, the SAI Item 19(g) table and the dealer statement.

A builder per report turns the application layer's results (`distplan.app.Workspace`) into
one typed `Report` (document.py); one writer per format lays it out: HTML and PDF (a Jinja2
template, WeasyPrint with the renderer's refuse-everything fetcher), XLSX (openpyxl), DOCX
(python-docx) and CSV. Same inputs, same bytes: `generated_at` is an argument.
"""

from __future__ import annotations

from collections.abc import Callable

from distplan.errors import InputError
from distplan.reports.document import Cell, Chart, Column, Report, Section, Series

WRITERS: dict[str, str] = {
    "html": "distplan.reports.html:html_of",
    "pdf": "distplan.reports.pdf:pdf_of",
    "xlsx": "distplan.reports.xlsx:xlsx_of",
    "docx": "distplan.reports.docx:docx_of",
    "csv": "distplan.reports.csvout:csv_of",
}


def write(report: Report, fmt: str) -> tuple[bytes, tuple[str, ...]]:
    """The report in `fmt` as bytes, and the warnings (text cleaned, resources refused)."""
    import importlib

    if fmt not in WRITERS:
        raise InputError(f"format {fmt!r}: expected one of {', '.join(WRITERS)}")
    module, name = WRITERS[fmt].split(":")
    writer: Callable[[Report], object] = getattr(importlib.import_module(module), name)
    done = writer(report)
    from distplan.reports.document import printable

    warnings = printable(report).warnings
    if isinstance(done, tuple):
        data, refused = done
        return data, warnings + tuple(f"PDF: refused to load {u[:80]}" for u in refused)
    if isinstance(done, str):
        return done.encode("utf-8"), warnings
    assert isinstance(done, bytes)
    return done, warnings


__all__ = ["WRITERS", "Cell", "Chart", "Column", "Report", "Section", "Series", "write"]
