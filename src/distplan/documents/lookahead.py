"""What a cell means given its neighbours: the next meaningful cell, a name wrapped into the next
cell, a one-word class that reads as a header, a quoted schedule's end, a group label."""

from __future__ import annotations

import re

from distplan.documents.cells import Tok
from distplan.documents.group_label import is_group_label
from distplan.documents.names import CORP_SUFFIX, JOINT_PLAN, is_caps, words

VALUE_KINDS = ("rate", "none", "date")
WRAP_WORDS = ("Fund", "Portfolio", "Series", "Trust", "ETF")
NAME_END = re.compile(r"\b(fund|portfolio|etf|trust|shares)\s*$", re.I)
CLASS_WORD = re.compile(r"^[A-Z][a-z]{2,13}\.?\*?$")  # "Institutional", "Investor" in a class column
# "E*TRADE", "A-1": a class named by a brand or code with a sign inside, one word
MARKED_CLASS_WORD = re.compile(r"^[A-Z][A-Za-z]{0,5}[*&'’.-][A-Za-z0-9]{1,10}$")
_STRONG = re.compile(r"\b(trust|inc|incorporated|corp|corporation|company|llc|ltd)\b\.?", re.I)


def next_index(toks: list[Tok], i: int) -> int | None:
    for j in range(i + 1, len(toks)):  # by index: a slice would copy the rest (quadratic)
        t = toks[j]
        if t.kind != "pct" and t.text:
            return j
    return None


def next_meaningful(toks: list[Tok], i: int) -> Tok | None:
    j = next_index(toks, i)
    return None if j is None else toks[j]


def wrapped_before_values(toks: list[Tok], i: int) -> bool:
    """ "Zeta Emerging Markets Equity" / "Fund" / "0.25%": a name whose last word went into a cell of
    its own (read as a column header) right before the row's values."""
    j = next_index(toks, i)
    if j is None or toks[j].kind != "header" or toks[j].text not in WRAP_WORDS:
        return False
    after = next_meaningful(toks, j)
    return after is not None and after.kind in ("rate", "none") and len(words(toks[i].text)) >= 2


_CONNECTOR_END = re.compile(r"(?:\b(?:and|of|the|for|&)|[-–—,/])\s*$", re.I)
LISTED = "name without a fund word, listed under a schedule heading"


def listed_item(toks: list[Tok], i: int, last_kind: str | None, listing: bool) -> bool:
    """ "Schedule A" / "Arizona Municipal Money-Market" / "Minnesota Municipal Money-Market": a bare
    list of names, one a line, that need no fund word. The first item follows the heading and the
    next line is another name; later items go on the list (`listing`) while each is a whole name."""
    t = toks[i]
    j = next_index(toks, i)
    nxt = toks[j] if j is not None else None
    alone = nxt is None or nxt.row != t.row  # the name is its line's only cell
    if t.kind != "name" or not t.first or not alone or not _item_like(t.text):
        return False
    if listing:
        return True
    return (
        last_kind == "heading"
        and nxt is not None
        and nxt.kind in ("name", "fund")
        and nxt.row == t.row + 1
        and _item_like(nxt.text)
    )


_DOCUMENT_WORDS = re.compile(
    r"\b(plan|agreement|schedule|appendix|exhibit|amendment|amended|restated|pursuant)\b|^(to|of|for|the)\b",
    re.I,
)


def _item_like(text: str) -> bool:
    """A name of two words or more in mixed case, not a title line ("TO THE AMENDED ... PLAN")."""
    return (
        len(words(text)) >= 2
        and text[:1].isupper()
        and not is_caps(text)
        and not _DOCUMENT_WORDS.search(text)
    )


def new_list_item(previous: str, text: str) -> bool:
    """Under a bare list, a line of three words or more after a whole name is the next item, not
    the rest of the name above ("Zeta International Equity" / "Fund" is one name)."""
    return len(words(text)) >= 3 and len(words(previous)) >= 3 and not _CONNECTOR_END.search(previous)


def class_word_header(t: Tok, in_class_column: bool) -> bool:
    """ "Service" under a fund in a Classes column: a class named by one word that also names a fee
    column. A word naming the fund or trust column ("Portfolio") starts a new table instead."""
    return (
        in_class_column
        and t.kind == "header"
        and bool(CLASS_WORD.match(t.text))
        and not {"fund", "registrant", "class", "renamed"} & set(t.fields)
    )


def quote_end(toks: list[Tok]) -> int | None:
    """The index of the cell that closes a schedule quoted whole ("“SCHEDULE A ... Fund”"), as an
    amendment replacing a schedule quotes it: what follows (a file name, a footer) is not its."""
    opened = False
    for i, t in enumerate(toks):
        if t.kind == "heading" and t.text.startswith(("“", '"')):
            opened = True
        elif opened and t.closes_quote:
            return i
    return None


def family_over_joint_plan(toks: list[Tok], i: int) -> bool:
    """ "XYZ FUNDS" right above "COMBINED ... DISTRIBUTION PLAN": the name of a family of several
    trusts sharing one plan, not the registrant of the rows (a trust, company or corporation is)."""
    t, nxt = toks[i], next_meaningful(toks, i)
    return (
        nxt is not None
        and nxt.row == t.row + 1
        and bool(JOINT_PLAN.search(nxt.text))
        and not _STRONG.search(t.text)
    )


def section_label(text: str, document_registrant: str | None) -> bool:
    """A heading that reads like a registrant only by a generic plural ("... FUNDS") while the
    document already names a trust or company of another name: a group of funds, not a registrant;
    so is one in common words only ("Designated Funds", "MONEY MARKET FUNDS"), whatever the document."""
    if is_group_label(text):
        return True
    if document_registrant is None or _STRONG.search(text) or not _STRONG.search(document_registrant):
        return False
    first = words(text)[:1]
    return bool(CORP_SUFFIX.search(text)) and first != words(document_registrant)[:1]
