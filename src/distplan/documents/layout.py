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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distplan.errors import InputError

MAX_BYTES = 50 * 1024 * 1024


class _computed_once:
    """A property computed on first use and kept in the instance (frozen or not). Unlike
    functools.cached_property (Python 3.11) it takes no lock: lines are read by one thread."""

    def __init__(self, compute: Callable[[Any], str]) -> None:
        self.compute = compute
        self.name = compute.__name__

    def __get__(self, obj: Any, owner: type | None = None) -> str:
        if obj is None:
            return self  # type: ignore[return-value]
        value = self.compute(obj)
        obj.__dict__[self.name] = value  # found before this descriptor from now on
        return value


# Cells and lines are made by the hundred per document: their __init__ writes the fields straight
# into the instance dict (a frozen dataclass's own __init__ calls object.__setattr__ per field,
# about three times slower). Still frozen: assignment after __init__ raises.


@dataclass(frozen=True, init=False)
class Cell:
    text: str
    col: int = 0  # character column (fixed-width) or cell index (HTML)

    def __init__(self, text: str, col: int = 0) -> None:
        fields = self.__dict__
        fields["text"] = text
        fields["col"] = col


@dataclass(frozen=True, init=False)
class Line:
    no: int  # 1-based source line
    cells: tuple[Cell, ...]
    piped: bool = False  # the physical line began with '|' (text extracted from HTML)
    indent: int = 0
    # For a paragraph joined from several physical lines: (offset in text, source line) of each.
    breaks: tuple[tuple[int, int], ...] = ()

    def __init__(
        self,
        no: int,
        cells: tuple[Cell, ...],
        piped: bool = False,
        indent: int = 0,
        breaks: tuple[tuple[int, int], ...] = (),
    ) -> None:
        fields = self.__dict__
        fields["no"] = no
        fields["cells"] = cells
        fields["piped"] = piped
        fields["indent"] = indent
        fields["breaks"] = breaks

    @_computed_once
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)


@dataclass(frozen=True)
class Document:
    path: str
    sha256: str
    text: str  # decoded text, newlines normalised
    lines: tuple[Line, ...]
    is_html: bool


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
# Text extracted from HTML: cells start with '|'. Blind to newlines (\s* ran on over every blank
# line that follows, from each of them: quadratic in a run of blank lines).
PIPED = re.compile(r"^[^\S\n]*+\|", re.M)
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
    lines = _layout(text, path, html)
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


def _layout(text: str, path: str, html: bool) -> list[Line]:
    # The layouts import this module's Line/Cell, so they are imported here, not at the top.
    if html:
        from distplan.documents.layouts.html import html_lines

        return html_lines(text, path)
    if PIPED.search(text):
        from distplan.documents.layouts.piped import piped_lines

        return piped_lines(text)
    from distplan.documents.layouts.fixed_width import fixed_width_lines

    return fixed_width_lines(text)
