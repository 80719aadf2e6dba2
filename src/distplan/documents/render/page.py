"""HTML of the document model, through one Jinja2 template with autoescape on.

Every value from the data is escaped by the template engine, never by hand: a name such as
`<link rel=attachment href=file:///etc/passwd>` is printed as text. The PDF writer prints this
HTML (and links the bundled stylesheet instead of inlining it).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import jinja2
from markupsafe import Markup

from distplan.documents.render.blocks import Block, Document, FundGroup, Heading, ListHeader, Para
from distplan.documents.render.build import build_document
from distplan.model import Instrument

_PACKAGE = "distplan.documents.render"
STYLESHEET = "render.css"


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(_PACKAGE, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template("document.html.j2")


def stylesheet() -> str:
    """The bundled stylesheet's text."""
    return files(_PACKAGE).joinpath("assets", STYLESHEET).read_text(encoding="utf-8")


def _kind(block: Block) -> str:
    if isinstance(block, Heading):
        return "heading"
    if isinstance(block, Para):
        return "para"
    if isinstance(block, ListHeader):
        return "rule"  # the text layout's rule: each HTML table has its own header row
    if isinstance(block, FundGroup):
        return "group"
    return "signature"


def html_of(doc: Document, css_href: str | None = None) -> str:
    """The HTML of a built document: the stylesheet inlined, or linked as `css_href`."""
    context: dict[str, Any] = {
        "doc": doc,
        "blocks": [(_kind(b), b) for b in doc.blocks],
        "css_href": css_href,
        "css": "" if css_href else Markup(stylesheet()),  # our own asset
    }
    return _template().render(context)


def render_html(inst: Instrument) -> str:
    """A self-contained HTML page of the instrument (the stylesheet inlined)."""
    return html_of(build_document(inst))
