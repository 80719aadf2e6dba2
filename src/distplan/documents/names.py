"""Names as schedules write them: vocabulary of headings, stop lines, funds, registrants, classes."""

from __future__ import annotations

import re

SERIES_OF = re.compile(
    r"^(?:series|funds?|portfolios?)\s+of\s+(?!the\s+(?:trust|company|fund)\b)(.+?)[:*]*$", re.I
)

HEADING = re.compile(
    r"^[\"“”']?\s*(?:form\s+of\s+)?(?:(?:amended\s+and\s+restated|amended|restated|revised)\s+)?"
    r"(schedule|appendix|exhibit|annex|attachment)\s+([A-Z]{1,2}|[IVX]{1,4}|\d{1,2})(?![\w(])[\s.:\"”-]*"
    r"(?:(?:to|of)\b.*)?$",
    re.I,
)
EXHIBIT_INDEX = re.compile(
    r"^(ex(hibit)?[-.\s]*\d|ex(hibit)?[-.\s]*\(|ex-|exhibit\s+\d|\(?[a-z]\)\(\d)", re.I
)
STOP = re.compile(
    r"^(dated?\s*:|date\s+of\s+execution|in\s+witness|by\s*:|attest|accepted|agreed|name\s*:|title\s*:|/s/|"
    r"signature|all\s+other\s+terms|witness)",
    re.I,
)
# "Class B", "INVESTOR CLASS SHARES", "Investor Class II", "Class B (reim)": a lower-case qualifier in parentheses marks
# how the class is paid for, not a class of its own.
CLASS_ONLY = re.compile(
    r"^\(?\s*(?:class\s+(?:[A-Z]{1,3}\d{0,2}|\d{1,2})|(?:[A-Z][A-Za-z]{2,}|[A-Z]{1,2}\d?)\s+class|(?-i:[A-Z][a-z]{2,}\s+Class\s+[IVX]{1,4}))"
    r"(?:\s+shares?)?\s*\)?[*:]*"
    r"(?:\s*\((?-i:[a-z][a-z .-]{1,20})\))?$",
    re.I,
)
CLASS_SHARES = re.compile(r"^([A-Z][A-Za-z]{0,14}\d?)\s+[Ss]hares[*:]*$")
NOT_A_CLASS = frozenset(
    {"fund", "common", "the", "total", "all", "such", "these", "those", "preferred", "trust", "portfolio"}
)
FUND_CLASS_SUFFIX = re.compile(
    r"\s*(?:[-–—]\s*|\(\s*|,\s*)(class\s+[A-Z]{1,3}\d{0,2}|[A-Z][A-Za-z]{0,11}\d?\s+class)(?:\s+shares?)?\s*\)?(?:\s*\([a-z]{2,12}\))?\s*$",
    re.I,
)
CORP_SUFFIX = re.compile(
    r"(,?\s+(inc|incorporated|corp|corporation|company|co|llc|l\.?l\.?c|l\.?p|ltd)\.?(\s+[IVX]+)?"
    r"|\s+(trust|funds|portfolios|series|trust\s+[IVX]+))\s*\)?$",
    re.I,
)
FUNDISH = re.compile(r"\b(funds?|portfolio|etf|fund-)\b|fund\b", re.I)
ORG_WORD = re.compile(
    r"\b(funds?|trust|inc|corp|corporation|company|portfolios|distributors?|advisers|advisors|services|llc|"
    r"l\.p|series|group|securities|management|partners)\b",
    re.I,
)
# "COMBINED AMENDED AND RESTATED DISTRIBUTION PLAN", "Joint Rule 12b-1 Plan": one plan of several trusts.
JOINT_PLAN = re.compile(r"\b(?:combined|joint)\b.*\bplan\b", re.I)
LIST_NO = re.compile(r"^\(?\d{1,3}[.)]\s+")
# One trailing footnote marker: "*", "†", "(1)", "[2]" (stripped repeatedly, never by a nested quantifier).
_MARK = re.compile(r"(?:[*†‡]|\(\d{1,2}\)|\[\d{1,2}\])\s*$")
QUOTES = "\"“”'‘’"
# A former name noted after the name: "Core Bond Fund (formerly, Investment Grade Bond Fund)", also
# glued to it or left unclosed at the end of the cell.
_FORMER_NAME = re.compile(r"\s*\(\s*(?:formerly|previously)\b[^()]*\)?\s*$", re.I)


_DANGLING_DASH = re.compile(r"\s+[-–—]$")
# "BILTMORE CONTRARIAN MOMENTUM FUND AND": a list of names (in a title) goes on to the next one.
_LIST_TAIL = re.compile(r"\b(fund|portfolio|etf|series)\s*,?\s+(?:and|&)$", re.I)
_GLUED_NOTE = re.compile(r"\b(Fund|Portfolio|ETF|Trust)\d$")


def strip_markers(text: str) -> str:
    """Drop trailing footnote markers ("Fund**", "Fund (1)"), in time linear in the text."""
    text = text.rstrip()
    while True:
        bare = text.rstrip("*†‡ \t")
        m = _MARK.search(bare, max(0, len(bare) - 8))
        if m is None:
            return bare
        text = bare[: m.start()].rstrip()


def clean_name(text: str) -> str:
    text = text.strip().strip(QUOTES).strip()
    text = LIST_NO.sub("", text)
    text = strip_markers(text)
    low = text.lower()  # the guard must match as the re.I pattern does: "(FORMERLY ...)" too
    if "ormerly" in low or "reviously" in low:
        bare = _FORMER_NAME.sub("", text)
        text = bare if bare else text
    text = text.strip().strip(QUOTES).rstrip(":;,").strip()
    text = _DANGLING_DASH.sub("", text)  # "X Fund –" with its class in the next cell
    text = _LIST_TAIL.sub(r"\1", text)
    return _GLUED_NOTE.sub(r"\1", text)  # "Bond Fund1": a footnote number glued to the name


def is_caps(text: str) -> bool:
    upper, lower = sum(map(str.isupper, text)), sum(map(str.islower, text))
    return upper + lower >= 3 and upper >= 0.9 * (upper + lower)


_WORDS = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


def words(text: str) -> list[str]:
    return _WORDS.findall(text)


FUND_END = re.compile(r"\b(?:fund|portfolio|etf|trust|series)\W*$", re.I)
_SEPARATOR = re.compile(r"(\s*,\s*(?:and\s+)?|\s+and\s+)")


def fund_list(text: str) -> list[str]:
    """ "X Fund, the Y Fund and Pioneer Equity and Income Fund" -> the three names: a separator only
    ends a name that ends like one ("... Fund"), so an "and" inside a name is kept."""
    names: list[str] = []
    current = ""
    for k, piece in enumerate(_SEPARATOR.split(" ".join(text.split()))):
        if k % 2:  # a separator
            if current:
                current += piece
            continue
        current += piece
        if FUND_END.search(current):
            name = re.sub(r"^the\s+", "", current.strip(" ,;.)"), flags=re.I)
            names.append(name)
            current = ""
    return names


def fold(name: str) -> str:
    return " ".join(re.sub(r"[-–—]", " ", name.lower()).split())
