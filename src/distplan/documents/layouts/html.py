"""Real HTML exhibits: parsed with lxml; a table row is a line, a table cell a cell, a block a line."""

from __future__ import annotations

import re

from distplan.documents.layout import Cell, Line
from distplan.errors import InputError

_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "blockquote",
        "pre",
        "center",
        "title",
        "dt",
        "dd",
        "address",
        "section",
        "article",
        "header",
        "footer",
    ]
)


def html_lines(text: str, path: str) -> list[Line]:
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(f"{path}: not parseable as HTML ({exc})") from None
    for bad in root.xpath("//script|//style|//head"):
        bad.drop_tree()
    # Comments, CDATA (parsed as comments) and processing instructions carry no content, and lxml's
    # element API refuses them: remove them, keeping the text that follows each.
    lxml.etree.strip_elements(root, lxml.etree.Comment, lxml.etree.ProcessingInstruction, with_tail=False)
    out: list[Line] = []

    def text_of(el: lxml.html.HtmlElement) -> str:
        parts: list[str] = []
        for piece in el.itertext():
            parts.append(piece)
        return " ".join(" ".join(parts).replace("\xa0", " ").split())

    def emit_block(el: lxml.html.HtmlElement, buf: list[str], no: int) -> None:
        joined = " ".join(" ".join(buf).replace("\xa0", " ").split())
        if joined:
            for part in re.split(r"\s*\n\s*", joined):
                if part:
                    out.append(Line(no, (Cell(part, 0),)))
        buf.clear()

    def walk(el: lxml.html.HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "table":
            for tr in el.iter("tr"):
                # Only the innermost rows: a row holding a nested table is walked through that table.
                if tr.xpath(".//table"):
                    continue
                cells = []
                for i, td in enumerate(tr.xpath("./td|./th")):
                    content = text_of(td)
                    if content:
                        cells.append(Cell(content, i))
                if cells:
                    out.append(Line(tr.sourceline or 0, tuple(cells)))
            return
        buf: list[str] = []
        if el.text:
            buf.append(el.text)
        for child in el:
            ctag = child.tag if isinstance(child.tag, str) else ""
            if ctag == "br":
                emit_block(el, buf, child.sourceline or el.sourceline or 0)
                if child.tail:
                    buf.append(child.tail)
                continue
            if ctag in _BLOCK_TAGS or ctag == "table" or child.xpath(".//table|.//p|.//div|.//br"):
                emit_block(el, buf, child.sourceline or el.sourceline or 0)
                walk(child)
            else:
                buf.append(text_of(child))
            if child.tail:
                buf.append(child.tail)
        emit_block(el, buf, el.sourceline or 0)

    body = root.find("body")
    walk(body if body is not None else root)
    return out
