"""Instrument -> canonical amendment text, DOCX and PDF.

`build_document` turns an Instrument into a small document model (`blocks`); one writer per
format lays it out (`text`, `word`, `page` for HTML, `pdf`), so every format says the same
thing. Values are cleaned of unprintable characters first (`clean`, each change a warning),
HTML comes only from an autoescaping Jinja2 template, and the PDF writer loads nothing but the
bundled stylesheet. Every writer is deterministic: no clock, no random ids, fixed zip times.
"""

from __future__ import annotations

from dataclasses import dataclass

from distplan.documents.render.blocks import Document, FundGroup
from distplan.documents.render.build import build_document
from distplan.documents.render.page import html_of, render_html
from distplan.documents.render.pdf import pdf_of, render_pdf
from distplan.documents.render.text import render_text, text_of
from distplan.documents.render.word import creation_date, docx_of, render_docx
from distplan.documents.render.words import class_label, long_date
from distplan.errors import InputError
from distplan.model import Instrument

FORMATS: tuple[str, ...] = ("text", "docx", "pdf")


@dataclass(frozen=True)
class Rendered:
    data: bytes
    warnings: tuple[str, ...]  # values changed to be printable; resources the PDF refused


def render_document(inst: Instrument, fmt: str) -> Rendered:
    """The instrument in `fmt` ('text', 'docx' or 'pdf'), with the warnings rendering raised."""
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    doc = build_document(inst)
    if fmt == "text":
        return Rendered(text_of(doc).encode("utf-8"), doc.warnings)
    if fmt == "docx":
        return Rendered(docx_of(doc, creation_date(inst)), doc.warnings)
    pdf, refused = pdf_of(doc)
    return Rendered(pdf, doc.warnings + tuple(f"PDF: refused to load {url[:80]}" for url in refused))


def render(inst: Instrument, fmt: str) -> bytes:
    """The document in `fmt` ('text', 'docx' or 'pdf') as bytes."""
    return render_document(inst, fmt).data


__all__ = [
    "FORMATS",
    "Document",
    "FundGroup",
    "Rendered",
    "build_document",
    "class_label",
    "html_of",
    "long_date",
    "render",
    "render_document",
    "render_docx",
    "render_html",
    "render_pdf",
    "render_text",
]
