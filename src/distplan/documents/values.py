"""Values as filings write them: dates, fee rates, share classes, amendment numbers."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
# "November 3, 2003", "May 23-24, 2016" (a range: its first day), "November 3 2003"
DATE_MDY = re.compile(
    rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{{1,2}})?\s*,?\s+(\d{{4}})\b", re.I
)
# "the 1st day of June, 2000", "3 November 2003"
DATE_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:day\s+of\s+)?({_MONTH}),?\s+(\d{{4}})\b", re.I)
DATE_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
MONTH_YEAR = re.compile(rf"^{_MONTH}\s+\d{{4}}$", re.I)
ANY_DATE = re.compile(f"{DATE_MDY.pattern}|{DATE_DMY.pattern}|{DATE_NUMERIC.pattern}", re.I)


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[date, int, int]]:
    """Every date in `text` with its span, in order."""
    found: list[tuple[date, int, int]] = []
    for m in ANY_DATE.finditer(text):
        g = m.groups()
        value: date | None
        if g[0]:
            value = _make(int(g[2]), _MONTHS[g[0][:3].lower()], int(g[1]))
        elif g[3]:
            value = _make(int(g[5]), _MONTHS[g[4][:3].lower()], int(g[3]))
        else:
            value = _make(int(g[8]), int(g[6]), int(g[7]))
        if value is not None and 1900 <= value.year <= 2100:
            found.append((value, m.start(), m.end()))
    return found


# A table cell holding only a date with a two-digit year ("2/1/15", "12/31/09"): read only as a
# whole cell (in prose "2/1/15" is too weak a date to date a document).
SHORT_DATE_CELL = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2})$")


def short_date_cell(text: str) -> date | None:
    m = SHORT_DATE_CELL.match(text)
    if m is None:
        return None
    yy = int(m.group(3))
    return _make(2000 + yy if yy < 70 else 1900 + yy, int(m.group(1)), int(m.group(2)))


def first_date(text: str) -> date | None:
    dates = find_dates(text)
    return dates[0][0] if dates else None


def format_date(value: date) -> str:
    """The filings' own style: "November 3, 2003"."""
    return f"{value.strftime('%B')} {value.day}, {value.year}"


# --- rates ---------------------------------------------------------------------------------

NONE_WORDS = re.compile(r"^\s*(none|n/?a|nil|not applicable|[-–—]+|0)\s*[*†‡]*\s*$", re.I)
_NUMBER = r"(\d{0,2}\.\d+|\d{1,2}(?:\.\d*)?)"
RATE_CELL = re.compile(rf"^\s*{_NUMBER}\s*(%|percent|per\s*cent)?\s*[*†‡\d]{{0,3}}\s*$", re.I)
RATE_IN_TEXT = re.compile(rf"(?<![\d.]){_NUMBER}\s*(?:%|percent\b|per\s+cent\b)", re.I)
BASIS_POINTS = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*basis\s+points?(?!\s*\()", re.I)
# "%" with its footnote marker: "*", "†", or any symbol or non-Latin sign ("%€", "%µ", "%^").
PCT_ONLY = re.compile(r"^\s*%\s*(?:[^\w\s]|[^\x00-\x7f]){0,3}\s*$")


def rate_value(text: str) -> Decimal | None:
    """A number as stated: ".25" -> Decimal("0.25"), "1.00" -> Decimal("1.00")."""
    raw = text.strip()
    if raw.startswith("."):
        raw = "0" + raw
    if raw.endswith("."):
        raw = raw[:-1]
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return value if value.is_finite() and Decimal(0) <= value <= Decimal(10) else None


def parse_rate_cell(text: str) -> Decimal | None:
    """A fee cell: "0.25%", ".25", "1.00 %**", "None" (= 0), "0.25% of average daily net assets..."."""
    if NONE_WORDS.match(text):
        return Decimal(0)
    m = RATE_CELL.match(text)
    if m:
        return rate_value(m.group(1))
    m = RATE_IN_TEXT.search(text)
    if m and m.start() < 40:
        return rate_value(m.group(1))
    m = BASIS_POINTS.search(text)
    if m:
        return (Decimal(m.group(1)) / 100).normalize()
    return None


# --- share classes -------------------------------------------------------------------------

_CODE = r"[A-Z]{1,3}\d{0,2}|\d{1,2}"
# "Class A", "Class R2", "CLASS C SHARES"; "Investor Class", "Primary Class Shares", "D Class Shares"
CLASS_AFTER = re.compile(rf"\bclass\s+({_CODE})(?![\w-])", re.I)
CLASS_BEFORE = re.compile(r"\b([A-Z][A-Za-z]{2,}|[A-Z]{1,2}\d?)\s+class\b(?!\s+(?:of|action)\b)", re.I)
_NOT_CLASS_WORDS = frozenset(
    [
        "and",
        "or",
        "each",
        "the",
        "such",
        "any",
        "this",
        "that",
        "per",
        "a",
        "an",
        "one",
        "all",
        "other",
        "same",
        "share",
        "multiple",
        "separate",
        "respective",
        "new",
        "every",
        "which",
        "said",
        "applicable",
        "relevant",
        "name",
        "of",
        "portfolio",
        "fund",
        "funds",
        "series",
        "shares",
        "share",
        "trust",
        "plan",
        "for",
        "to",
        "single",
        "formerly",
    ]
)


def normalize_class(raw: str) -> str:
    raw = raw.strip()
    if len(raw) <= 3 or (re.fullmatch(r"[A-Z]+\d*", raw) and len(raw) <= 3):
        return raw.upper()
    return raw[:1].upper() + raw[1:].lower()


_NOT_CODES = frozenset({"of", "or", "and", "the", "to", "in", "on", "for", "by", "as", "at", "an", "may"})


_BRACKETED = re.compile(r"\b(class\s+)\[(\w{1,3})\]", re.I)
# "Class T (formerly Class V) Shares": the old name of a renamed class, not a class of its own.
_FORMERLY = re.compile(r"\(\s*formerly\b[^()]{0,60}\)", re.I)
_FORMER_CLASS = re.compile(
    rf"\bclass\s+({_CODE})\s*\(\s*formerly(?:\s+known\s+as)?\s+class\s+({_CODE})\s*\)", re.I
)


def former_classes(text: str) -> dict[str, str]:
    """Renamed classes the text states: old short name -> new ("Class T (formerly Class V)")."""
    return {normalize_class(m.group(2)): normalize_class(m.group(1)) for m in _FORMER_CLASS.finditer(text)}


_WORD_CLASS_ROMAN = re.compile(r"\b([A-Z][a-z]{2,})\s+Class\s+([IVX]{1,4})\b")


def find_classes(text: str) -> list[str]:
    """Share classes named in a piece of text, short form, in order (a former name left out)."""
    if "ormerly" in text.lower():  # as the re.I pattern: "(FORMERLY ...)" too
        text = _FORMERLY.sub(lambda m: " " * len(m.group(0)), text)
    if "[" in text:
        text = _BRACKETED.sub(r"\1\2 ", text)  # a form's placeholder: "Class [3]" names Class 3
    found: list[tuple[int, str]] = []
    if "Class I" in text or "Class V" in text or "Class X" in text:
        # "Investor Class II", "Service Class I": one class, its word and numeral together.
        for m in _WORD_CLASS_ROMAN.finditer(text):
            if m.group(1).lower() not in _NOT_CLASS_WORDS:
                found.append((m.start(), f"{m.group(1)} Class {m.group(2)}"))
                text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
    for m in CLASS_AFTER.finditer(text):
        code = m.group(1)
        if code.lower() in _NOT_CODES:
            continue  # "CLASS OF SHARES", "class or series": a word, not a class
        if code.isupper() or code.isdigit() or len(code) <= 2:
            found.append((m.start(), normalize_class(code)))
    for m in CLASS_BEFORE.finditer(text):
        word = m.group(1)
        if word.lower() in _NOT_CLASS_WORDS or not word[0].isupper():
            continue
        found.append((m.start(), normalize_class(word)))
    seen: list[str] = []
    for _, name in sorted(found):
        if name not in seen:
            seen.append(name)
    return seen


# --- amendment numbers ---------------------------------------------------------------------

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
AMENDMENT_NO = re.compile(r"\bamendment\s+(?:no\.?|number|#)\s*(\d{1,3}|[a-z]+)\b", re.I)
ORDINAL_AMENDMENT = re.compile(r"\b(" + "|".join(_ORDINALS) + r")\s+amendment\b", re.I)


def amendment_number(text: str) -> int | None:
    m = AMENDMENT_NO.search(text)
    if m:
        token = m.group(1).lower()
        return int(token) if token.isdigit() else _ORDINALS.get(token)
    m = ORDINAL_AMENDMENT.search(text)
    if m:
        return _ORDINALS[m.group(1).lower()]
    return None
