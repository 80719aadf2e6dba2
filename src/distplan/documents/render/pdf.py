"""PDF writer: WeasyPrint prints the HTML, and may load nothing but the bundled stylesheet.

The data is escaped by the template, and, should any reference ever reach the HTML, the URL
fetcher below refuses it: no file, no URL, no `data:`, no attachment; only the stylesheet the
package ships, served from memory under a private base URL. Deterministic: fontTools is given a
fixed SOURCE_DATE_EPOCH, and the PDF carries no clock-dependent metadata.
"""

from __future__ import annotations

import os
import threading
from dataclasses import replace

from distplan.documents.render.blocks import Block, Document, FundGroup
from distplan.documents.render.build import build_document
from distplan.documents.render.page import STYLESHEET, html_of, stylesheet
from distplan.errors import InputError
from distplan.model import Instrument

_FIXED_EPOCH = "315532800"  # 1980-01-01T00:00:00Z
# A base URL no real resource lives under; relative references in the HTML resolve here.
BASE_URL = "https://assets.distplan.invalid/"
_ENV_LOCK = threading.Lock()


def _fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class BundledOnly(URLFetcher):
        """Serves the bundled stylesheet; refuses (and remembers) every other URL."""

        def __init__(self) -> None:
            super().__init__(allow_redirects=False)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            if url == BASE_URL + STYLESHEET:
                return URLFetcherResponse(url, stylesheet(), {"Content-Type": "text/css"})
            self.refused.append(url)
            raise ValueError(f"distplan renders no external resource: {url[:80]}")

    return BundledOnly


ROWS_PER_PASS = 400  # table rows laid out per WeasyPrint pass (see `pdf_of`)
# The laid-out pages stay in memory until the PDF is written (about 50 KB a row): a cap keeps
# a PDF run under about 1 GB. Larger schedules render as text or DOCX (both stream-sized).
MAX_ROWS = 20_000


def pdf_of(doc: Document) -> tuple[bytes, tuple[str, ...]]:
    """The PDF of a built document, and the URLs the fetcher refused (none, normally).

    WeasyPrint keeps the whole DOM, cascade and layout of a page set in memory (over 1 GB for a
    10,000-row schedule in one pass). A long document is laid out in passes of at most
    ROWS_PER_PASS table rows, each from its own HTML; only the laid-out pages are kept, and one
    PDF is written from them. A pass after the first starts on a new page."""
    rows = sum(len(b.rows) for b in doc.blocks if isinstance(b, FundGroup))
    if rows > MAX_ROWS:
        raise InputError(
            f"{rows} schedule rows is more than a PDF is rendered for ({MAX_ROWS}); use --to docx or text"
        )
    passes = split_rows(doc, ROWS_PER_PASS)
    return print_html(*(html_of(part, css_href=STYLESHEET) for part in passes))


def split_rows(doc: Document, limit: int) -> list[Document]:
    """The document as consecutive parts holding at most `limit` fund rows each (a fund table
    cut across parts keeps its registrant and columns in each part)."""
    parts: list[list[Block]] = [[]]
    count = 0
    for block in doc.blocks:
        if not isinstance(block, FundGroup):
            parts[-1].append(block)
            continue
        rows = block.rows
        while rows:
            if count >= limit:
                parts.append([])
                count = 0
            take = rows[: limit - count]
            parts[-1].append(replace(block, rows=take))
            count += len(take)
            rows = rows[len(take) :]
    return [replace(doc, blocks=tuple(blocks)) for blocks in parts]


def print_html(*pages_html: str) -> tuple[bytes, tuple[str, ...]]:
    """The PDF of HTML pages (printed one after another) whose only loadable resource is the
    bundled stylesheet, and the URLs they referred to and were refused."""
    from weasyprint import HTML

    fetcher = _fetcher_class()()
    first = None
    pages = []
    for html in pages_html:
        rendered = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
        first = first or rendered
        pages.extend(rendered.pages)
        del rendered  # its DOM and styles; the pages' boxes are all that is kept
    assert first is not None
    # fontTools stamps subset fonts with the current time unless SOURCE_DATE_EPOCH is set (the
    # reproducible-builds convention); a fixed epoch keeps the PDF bytes a function of the input.
    with _ENV_LOCK:
        saved = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = saved or _FIXED_EPOCH
        try:
            pdf = first.copy(pages).write_pdf()
        finally:
            if saved is None:
                del os.environ["SOURCE_DATE_EPOCH"]
    assert pdf is not None
    return bytes(pdf), tuple(fetcher.refused)


def render_pdf(inst: Instrument) -> bytes:
    """A PDF of the instrument, printed by WeasyPrint from its HTML."""
    return pdf_of(build_document(inst))[0]
