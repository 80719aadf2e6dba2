"""Case-insensitive patterns over a whole document's text, tried only where they can match.

A `re.I` pattern scanned over the flowed text tests every character; the words a match must
contain are rare. `Scan` keeps the lower-cased text once per document and answers two questions
exactly: could a pattern that needs one of these words match at all (`mentions`), and which
matches does `pattern.finditer` give when every match begins with one of these words (`finditer`,
trying the pattern only where a word begins). The answers are those of the plain scan: a test
that cannot be sure (see `_CASE_ODD`) says "maybe" and the plain scan runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Characters that match an ASCII letter under re.I but do not lower-case to it (dotless i, long s)
# or lower-case to two characters (dotted capital I): with one present, the lower-cased text is
# no guide and every test falls back to the plain scan.
_CASE_ODD = ("\u0130", "\u0131", "\u017f")


class Scan:
    """One text with its lower-cased copy, for literal tests that stand in for re.I scans."""

    def __init__(self, text: str) -> None:
        self.text = text
        low = text.lower()
        exact = len(low) == len(text) and not any(c in text for c in _CASE_ODD)
        self._low = low if exact else None

    def mentions(self, *words: str) -> bool:
        """False only when no case-insensitive match of any of `words` (lower case) is in the text."""
        low = self._low
        return low is None or any(w in low for w in words)

    def search(self, pattern: re.Pattern[str], *needs: str) -> re.Match[str] | None:
        """`pattern.search(text)`, skipped when the text lacks every word a match needs."""
        return pattern.search(self.text) if self.mentions(*needs) else None

    def finditer(self, pattern: re.Pattern[str], *starts: str) -> Iterator[re.Match[str]]:
        """The matches of `pattern.finditer(text)`, for a pattern whose every match begins with
        one of `starts` (lower case) and is never empty: tried only where one of them begins."""
        low = self._low
        if low is None:
            yield from pattern.finditer(self.text)
            return
        found: set[int] = set()
        for word in starts:
            at = low.find(word)
            while at >= 0:
                found.add(at)
                at = low.find(word, at + 1)
        end = 0
        for at in sorted(found):
            if at < end:
                continue  # inside the previous match: finditer resumes after it
            m = pattern.match(self.text, at)  # \b and look-behinds still see the text before `at`
            if m is not None:
                yield m
                end = m.end()
