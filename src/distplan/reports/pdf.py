"""PDF of a report: WeasyPrint prints the report's HTML with the documents renderer's fetcher,
which refuses every file, URL and `data:` reference (the stylesheet is inlined, the charts are
inline SVG, so nothing needs loading). Deterministic: a fixed SOURCE_DATE_EPOCH for the fonts
and no clock-dependent metadata (see documents/render/pdf.py). Pages are letter landscape with
running headers (plan, period) and footers (report, generated-at, page N of M).

WeasyPrint keeps a whole document's layout in memory (about 50 KB a table row): a report over
the renderer's row cap is refused with a pointer to XLSX, which streams."""

from __future__ import annotations

from distplan.documents.render.pdf import MAX_ROWS, print_html
from distplan.errors import InputError
from distplan.reports.document import Report
from distplan.reports.html import html_of


def pdf_of(report: Report) -> tuple[bytes, tuple[str, ...]]:
    """The PDF, and the URLs the fetcher refused (none, normally: each would be a warning)."""
    rows = sum(len(s.rows) for s in report.sections)
    if rows > MAX_ROWS:
        raise InputError(
            f"the report has {rows} table rows, more than a PDF is rendered for ({MAX_ROWS}); use --to xlsx"
        )
    return print_html(html_of(report))
