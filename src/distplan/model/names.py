"""Name folding: the one identity of a fund-class, and "did you mean" hints."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

_PUNCT = re.compile(r"[^\w\s&]")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=16384)  # the same few names are folded again and again (bounded memory)
def fold_name(name: str) -> str:
    """Compare names case-insensitively with punctuation and spacing folded."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = text.replace("\u2019", "'").replace("\u00ae", "").replace("\u2122", "")
    text = _PUNCT.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


_CLASS_WORDS = re.compile(r"\b(?:class(?:es)?|shares?)\b")


def fold_class(share_class: str | None) -> str:
    """A share class as compared: "Investor Class Shares", "Investor" and "investor class" are
    one class; so are "Class A", "A Shares" and "A". No class is ""."""
    if not share_class:
        return ""
    return " ".join(_CLASS_WORDS.sub(" ", fold_name(share_class)).split())


class FundClassKey(NamedTuple):
    """The one identity of a fund-class, everywhere (history, fees, NAV files, governance
    facts, checks): the folded fund name and the folded share class. Build it with `of`."""

    fund: str
    share_class: str

    @classmethod
    def of(cls, fund: str, share_class: str | None) -> FundClassKey:
        return cls(fold_name(fund), fold_class(share_class))


def suggest(text: str, choices: list[str], cutoff: float = 75.0) -> str | None:
    """The choice closest to `text` for "did you mean" hints (rapidfuzz's plain ratio on the
    folded names: a shared word such as "Fund" alone is no match); None if none is close."""
    from rapidfuzz import fuzz, process

    best = process.extractOne(text, choices, scorer=fuzz.ratio, processor=fold_name, score_cutoff=cutoff)
    return None if best is None else str(best[0])
