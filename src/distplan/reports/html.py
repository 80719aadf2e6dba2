"""HTML of a report, through one Jinja2 template with autoescape on (templates/report.html.j2).

Every value is escaped by the template engine, never by hand; the stylesheet is inlined (the
package's own asset), so the page needs nothing else: the PDF writer prints this same HTML.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import jinja2
from markupsafe import Markup

from distplan.reports.charts import plot
from distplan.reports.document import Report, Section, display, printable

_PACKAGE = "distplan.reports"


@cache
def _template() -> jinja2.Template:
    loader = jinja2.PackageLoader(_PACKAGE, "templates")
    strict = {"autoescape": True, "undefined": jinja2.StrictUndefined, "keep_trailing_newline": True}
    return jinja2.Environment(loader=loader, **strict).get_template("report.html.j2")  # type: ignore[arg-type]


@cache
def _css() -> str:
    return files(_PACKAGE).joinpath("assets", "report.css").read_text(encoding="utf-8")


# Column widths in points, adding up to the page's text width (letter landscape, the margins
# of report.css): numbers get what their longest value needs (they never wrap), text columns
# share the rest by their longest value, so no table is wider than the page.
PAGE_PT = 712.0
_CHAR_PT = 5.5  # DejaVu Sans at 8.5pt: digits are 0.636 em
_PAD_PT = 8.0


def _widths(s: Section) -> list[str]:
    """Percentages: each column's need (its longest value, or its longest header word, never
    wrapped) plus, for text columns, a share of what is left by their longest value."""
    need: list[float] = []
    extra: list[float] = []
    body = [*s.rows[:2000], *((s.total,) if s.total is not None else ())]
    for j, col in enumerate(s.columns):
        longest = max([0, *(len(display(r[j], col.kind)) for r in body)])
        word = max(len(w) for w in col.name.split() or [""]) * 1.1  # bold header
        if col.kind in ("money", "int", "rate", "date"):
            need.append(max(longest, word) * _CHAR_PT + _PAD_PT)
            extra.append(0.0)
        else:
            need.append(max(min(longest, 10), word) * _CHAR_PT + _PAD_PT)
            extra.append(float(min(max(longest - 10, 0), 80)))
    left = max(PAGE_PT - sum(need), 0.0)
    spare = sum(extra)
    widths = [n + (left * e / spare if spare else left / len(need)) for n, e in zip(need, extra, strict=True)]
    total = sum(widths) or 1.0
    return [f"{100 * w / total:.2f}%" for w in widths]


def _section(s: Section) -> dict[str, Any]:
    kinds = [c.kind for c in s.columns]
    return {
        "section": s,
        "widths": _widths(s),
        "rows": [
            list(zip(kinds, (display(v, k) for v, k in zip(r, kinds, strict=True)), strict=True))
            for r in s.rows
        ],
        "total": (
            list(zip(kinds, (display(v, k) for v, k in zip(s.total, kinds, strict=True)), strict=True))
            if s.total is not None
            else None
        ),
        "plot": plot(s.chart) if s.chart is not None and s.chart.categories else None,
    }


def html_of(report: Report) -> str:
    """A self-contained HTML page of the report."""
    report = printable(report)
    return _template().render(r=report, sections=[_section(s) for s in report.sections], css=Markup(_css()))
