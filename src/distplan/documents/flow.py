"""The document as flowing text (lines joined, hyphenation undone) with a map back to source lines."""

from __future__ import annotations

import bisect
from functools import cached_property

from distplan.documents.layout import Document
from distplan.documents.scan import Scan


class Flow:
    """The document as flowing text (lines joined, hyphenation undone) with a map back to lines."""

    def __init__(self, doc: Document) -> None:
        parts: list[str] = []
        self.starts: list[int] = []
        self.lines: list[int] = []
        pos = 0
        for line in doc.lines:
            text = line.text
            if parts and parts[-1].endswith("-") and text[:1].islower():
                parts[-1] = parts[-1][:-1]
                pos -= 2
                piece = text
            else:
                piece = text
            for offset, no in line.breaks or ((0, line.no),):
                self.starts.append(pos + offset)
                self.lines.append(no)
            parts.append(piece)
            pos += len(piece) + 1
        self.text = " ".join(parts)

    @cached_property
    def scan(self) -> Scan:
        """The text with its lower-cased copy, for patterns that need a word the text may lack."""
        return Scan(self.text)

    def line_at(self, offset: int) -> int:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.lines[max(i, 0)] if self.lines else 1
