"""PDF writer: WeasyPrint prints the HTML, and may load nothing but the bundled stylesheet.

The data is escaped by the template, and, should any reference ever reach the HTML, the URL
fetcher below refuses it: no file, no URL, no `data:`, no attachment; only the stylesheet the
package ships, served from memory under a private base URL. Deterministic: fontTools is given a
fixed SOURCE_DATE_EPOCH, and the PDF carries no clock-dependent metadata.
"""

from __future__ import annotations

import os
import threading

from distplan.documents.render.blocks import Document
from distplan.documents.render.build import build_document
from distplan.documents.render.page import STYLESHEET, html_of, stylesheet
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


def pdf_of(doc: Document) -> tuple[bytes, tuple[str, ...]]:
    """The PDF of a built document, and the URLs the fetcher refused (none, normally)."""
    return print_html(html_of(doc, css_href=STYLESHEET))


def print_html(html: str) -> tuple[bytes, tuple[str, ...]]:
    """The PDF of an HTML page whose only loadable resource is the bundled stylesheet, and the
    URLs it referred to and was refused."""
    from weasyprint import HTML

    fetcher = _fetcher_class()()
    page = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
    # fontTools stamps subset fonts with the current time unless SOURCE_DATE_EPOCH is set (the
    # reproducible-builds convention); a fixed epoch keeps the PDF bytes a function of the input.
    with _ENV_LOCK:
        saved = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = saved or _FIXED_EPOCH
        try:
            pdf = page.write_pdf()
        finally:
            if saved is None:
                del os.environ["SOURCE_DATE_EPOCH"]
    assert pdf is not None
    return bytes(pdf), tuple(fetcher.refused)


def render_pdf(inst: Instrument) -> bytes:
    """A PDF of the instrument, printed by WeasyPrint from its HTML."""
    return pdf_of(build_document(inst))[0]
