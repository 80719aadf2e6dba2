"""Reading reports back: PDF text (pypdf), page images (pypdfium2), XLSX cells (openpyxl),
and the layout check that no table or text runs past the page or out of its cell (from
WeasyPrint's layout boxes of the report's own HTML)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from distplan.reports import Report
from distplan.reports.html import html_of

SLACK = 0.5  # CSS px


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def names(text: str, name: str) -> bool:
    """`name` in PDF text, its words in order though a table cell wrapped it (the words of the
    row's other cells come between)."""
    import re

    words = [re.escape(w) for w in name.split()]
    return re.search(r"[\s\S]{0,300}?".join(words), text) is not None


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def save_pngs(data: bytes, folder: Path, stem: str, pages: int = 2) -> list[Path]:
    import pypdfium2

    doc = pypdfium2.PdfDocument(data)
    out = []
    for i in range(min(pages, len(doc))):
        path = folder / f"{stem}-{i + 1}.png"
        doc[i].render(scale=1.4).to_pil().save(path)
        out.append(path)
    return out


def _walk(box: Any, cell: Any = None) -> Iterator[tuple[Any, Any]]:
    from weasyprint.formatting_structure import boxes

    for child in getattr(box, "children", ()):
        inner = child if isinstance(child, boxes.TableCellBox) else cell
        yield child, inner
        yield from _walk(child, inner)


def overflows(report: Report) -> list[str]:
    """Tables wider than the page's text area, and text past its page or its table cell."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    def refuse(url: str, *_: Any, **__: Any) -> Any:
        raise ValueError(f"no resource: {url}")

    found = []
    for n, page in enumerate(HTML(string=html_of(report), url_fetcher=refuse).render().pages, start=1):
        root = page._page_box
        right = root.content_box_x() + root.width
        for box, cell in _walk(root):
            if isinstance(box, boxes.TableBox) and box.position_x + box.margin_width() > right + SLACK:
                found.append(f"page {n}: a table {box.margin_width():.0f}px wide ends past the page")
            if isinstance(box, boxes.TextBox):
                end = box.position_x + box.width
                if end > right + SLACK:
                    found.append(f"page {n}: text {box.text[:30]!r} ends past the page")
                elif cell is not None and end > cell.content_box_x() + cell.width + SLACK:
                    found.append(f"page {n}: text {box.text[:30]!r} ends past its cell")
    return found


def sheet_rows(data: bytes, sheet: str) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]


def cents(value: Any) -> Decimal:
    """A spreadsheet number as exact cents (openpyxl reads floats back)."""
    return Decimal(str(value)).quantize(Decimal("0.01"))
