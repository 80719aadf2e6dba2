"""Layout analysis: a filed exhibit (bytes) becomes lines of cells with source line numbers.

Three layouts occur in real filings and all end up as the same `Line`/`Cell` structure:

* EDGAR text with `<PAGE>`/`<TABLE>`/`<S>`/`<C>` tags and fixed-width columns: tags and page
  numbers are dropped, a line is split into cells at runs of 3+ spaces (justified prose has
  2-space gaps, so it stays one cell) unless it reads as a sentence;
* text extracted from HTML, one table cell per physical line, usually prefixed by `|`: each line
  is one cell and rows are recovered later from what the cells mean;
* `.htm`/`.html` exhibits: real HTML tables, parsed with lxml (a row is a line, a cell a cell).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from distplan.errors import InputError

MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Cell:
    text: str
    col: int = 0  # character column (fixed-width) or cell index (HTML)


@dataclass(frozen=True)
class Line:
    no: int  # 1-based source line
    cells: tuple[Cell, ...]
    piped: bool = False  # the physical line began with '|' (text extracted from HTML)
    indent: int = 0
    # For a paragraph joined from several physical lines: (offset in text, source line) of each.
    breaks: tuple[tuple[int, int], ...] = ()

    @cached_property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)


@dataclass(frozen=True)
class Document:
    path: str
    sha256: str
    text: str  # decoded text, newlines normalised
    lines: tuple[Line, ...]
    is_html: bool


_TAG_LINE = re.compile(
    r"^\s*</?(PAGE|TABLE|CAPTION|S|C|FN|PRE|DOCUMENT|TEXT|TYPE|SEQUENCE|FILENAME|DESCRIPTION)\b[^>]*>\s*$",
    re.I,
)
_INLINE_TAG = re.compile(r"</?(S|C|PAGE|FN|CAPTION)>", re.I)
_PAGE_NO = re.compile(r"^\s*(?:-\s*)?(?:page\s+)?\d{1,3}(?:\s*-)?\s*$", re.I)
_RULE = re.compile(r"^\s*(?:[-_=*~.]{3,}\s*)+$")
_COL_SPLIT = re.compile(r"\S+(?: {1,2}\S+)*")  # a cell: words apart by at most two spaces
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_FUNCTION_WORDS = frozenset(
    [
        "the",
        "of",
        "to",
        "and",
        "a",
        "an",
        "in",
        "as",
        "is",
        "be",
        "by",
        "for",
        "or",
        "with",
        "that",
        "this",
        "shall",
        "will",
        "may",
        "which",
        "such",
        "any",
        "all",
        "its",
        "are",
        "under",
        "from",
        "on",
        "at",
        "has",
        "have",
        "been",
        "were",
        "was",
        "not",
        "each",
    ]
)


def read_document(path: Path) -> Document:
    """Read and decode one exhibit; raise InputError (one line naming the file) on bad input."""
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a document")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if len(data) > MAX_BYTES:
        raise InputError(f"{path}: {len(data)} bytes is too large for a plan exhibit")
    return parse_bytes(data, str(path), html=path.suffix.lower() in (".htm", ".html"))


def parse_bytes(data: bytes, path: str, html: bool | None = None) -> Document:
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise InputError(f"{path}: empty document")
    text = _decode(data, path)
    if html is None or not html:
        head = text[:2000].lstrip().lower()
        html = (
            bool(html)
            or head.startswith(("<!doctype html", "<html"))
            or ("<table" in head and "<tr" in text[:20000].lower() and "<page>" not in head)
        )
    lines = _html_lines(text, path) if html else _text_lines(text)
    return Document(path=path, sha256=sha, text=text, lines=tuple(lines), is_html=html)


def _decode(data: bytes, path: str) -> str:
    if b"\x00" in data[:8192]:
        raise InputError(f"{path}: binary file (NUL bytes), not a text or HTML exhibit")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(f"{path}: cannot decode as UTF-8 or Windows-1252 text")
    controls = len(_CONTROL.findall(text, 0, 8192))
    if controls > max(8, len(text[:8192]) // 50):
        raise InputError(f"{path}: binary file (control characters), not a text or HTML exhibit")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\xa0", " ")


def is_sentence(text: str) -> bool:
    """Prose rather than a name or a table cell: several words, many of them function words."""
    words = _WORD.findall(text)
    if len(words) < 6:
        return False
    small = sum(1 for w in words if w.lower() in _FUNCTION_WORDS)
    lower = sum(1 for w in words if w[0].islower())
    return small >= 3 or lower >= len(words) * 0.6 or len(words) > 16


def _text_lines(text: str) -> list[Line]:
    out: list[Line] = []
    paragraph: list[Line] = []
    # Only fixed-width filings wrap paragraphs at blank lines; text from HTML has one paragraph a line.
    wraps = "\n\n" in text.strip() and not re.search(r"^\s*\|", text, re.M)

    def flush() -> None:
        # Fixed-width prose wraps a sentence over several lines: a paragraph of single-cell lines
        # holding a sentence is one prose cell (so "Shares of the Portfolio." is never a fund name).
        if (
            wraps
            and 1 < len(paragraph) <= 15
            and all(len(p.cells) == 1 and not p.piped for p in paragraph)
            and any(is_sentence(p.text) for p in paragraph)
        ):
            breaks, offset = [], 0
            for p in paragraph:
                breaks.append((offset, p.no))
                offset += len(p.text) + 1
            joined = " ".join(p.text for p in paragraph)
            cell = Cell(joined, paragraph[0].indent)
            out.append(Line(paragraph[0].no, (cell,), indent=paragraph[0].indent, breaks=tuple(breaks)))
        else:
            out.extend(paragraph)
        paragraph.clear()

    for no, raw in enumerate(text.split("\n"), start=1):
        raw = raw.replace("\t", "    ")
        if not raw.strip():
            flush()
            continue
        if _TAG_LINE.match(raw) or _RULE.match(raw) or _PAGE_NO.match(raw):
            continue
        raw = _INLINE_TAG.sub(lambda m: " " * len(m.group(0)), raw).rstrip()
        stripped = raw.strip()
        if not stripped:
            continue
        piped = stripped.startswith("|")
        if piped:
            content = stripped.lstrip("|").strip()
            if not content:
                continue
            paragraph.append(Line(no, (Cell(content, 0),), piped=True))
            continue
        indent = len(raw) - len(raw.lstrip())
        normal = " ".join(stripped.split())
        cells: tuple[Cell, ...] = tuple(
            Cell(" ".join(m.group(0).split()), m.start())
            for m in _COL_SPLIT.finditer(raw)
            if m.group(0).strip()
        )
        # Justified prose can hold a wide gap; a line is a table row only if no part reads as prose.
        if len(cells) > 1 and any(is_sentence(c.text) for c in cells):
            cells = (Cell(normal, indent),)
        paragraph.append(Line(no, cells, indent=indent))
    flush()
    return out


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


def _html_lines(text: str, path: str) -> list[Line]:
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(f"{path}: not parseable as HTML ({exc})") from None
    for bad in root.xpath("//script|//style|//head"):
        bad.drop_tree()
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
