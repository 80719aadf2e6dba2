"""`Scan` stands in for re.I scans over a document's text: its answers must be the plain scan's,
whatever the text holds (case-odd letters such as dotless i and long s included)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from distplan.documents import effective, operations
from distplan.documents.scan import Scan

# Words the patterns look for and pieces of dates; letters that match ASCII under re.I only.
_WORDS = [
    "effective ", "Effective as of ", "EFFECTIVE: ", "as of ", "AS  OF ", "hereby amended, ",
    "amended and restated ", "Revised ", "updated ", "restated ", "dated ", "Executed ", "Fund ",
    "Plan ", ". ", ", ", "x", "class ",
]  # fmt: skip
_DATES = ["May 1, 2020", "June 30, 2015", "1/2/2003", "the 1st day of June, 2000", "2020 "]
_ODD = ["ı", "ſ", "İ", "K", "efſective ", "aſ of ", "ß", "Ω"]
# A word, then often a date: every pattern has its chance to match.
_phrase = st.tuples(st.sampled_from(_WORDS), st.sampled_from([*_DATES, "", " "])).map("".join)
_plain = st.lists(_phrase, max_size=12).map("".join)
# Mostly texts without a case-odd letter (the fast path), some with one (the plain scan).
texts = st.one_of(_plain, _plain, _plain, st.tuples(_plain, st.sampled_from(_ODD), _plain).map("".join))
_STARTS = [
    (effective._EFFECTIVE, ("effective",)),
    (effective._HEREBY_AMENDED, ("hereby",)),
    (effective._AS_OF, ("as",)),
    (effective._AMENDED_ON, ("amended", "revised", "updated", "restated")),
    (effective._DATED_INLINE, ("dated", "executed")),
]


def _spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]


@settings(max_examples=400, deadline=None)
@given(texts)
def test_finditer_gives_the_plain_scans_matches(text: str) -> None:
    scan = Scan(text)
    for pattern, starts in _STARTS:
        assert _spans(scan.finditer(pattern, *starts)) == _spans(pattern.finditer(text)), pattern.pattern


@settings(max_examples=400, deadline=None)
@given(texts)
def test_search_gives_the_plain_search(text: str) -> None:
    scan = Scan(text)
    for pattern, needs in [
        (operations._REPLACED, ("deleted", "replaced", "restated")),
        (effective._AS_OF, ("as",)),
    ]:
        found, plain = scan.search(pattern, *needs), pattern.search(text)
        assert (found and found.span()) == (plain and plain.span())


def test_a_case_odd_letter_makes_every_test_a_maybe() -> None:
    # Long s matches "s" under re.I but does not lower-case to it.
    assert re.search("as of", "aſ of", re.I)
    assert Scan("aſ of").mentions("as of")
    assert not Scan("a plain text").mentions("as of")
    assert _spans(Scan("Effective aſ of May 1, 2020").finditer(effective._AS_OF, "as")) == [(10, 27)]
