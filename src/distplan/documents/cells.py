"""Cell classification: what each cell of a laid-out document *is* (a schedule heading, a column
header, a registrant, a fund, a class, a rate, a date, prose, the signature block...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from distplan.documents import values as V
from distplan.documents.headers import header_fields
from distplan.documents.layout import Document, Line, is_sentence
from distplan.documents.names import (
    CLASS_ONLY,
    CLASS_SHARES,
    CORP_SUFFIX,
    FUNDISH,
    HEADING,
    NOT_A_CLASS,
    ORG_WORD,
    QUOTES,
    SERIES_OF,
    STOP,
    clean_name,
    is_caps,
    words,
)

_LEAD_RATE = re.compile(r"^\s*(\d{0,2}\.\d+|\d{1,2})\s*%")
_NUMBER_PCT = re.compile(r"^\s*[\d.]+\s*%")
_WORD3 = re.compile(r"[A-Za-z]{3,}")
_JOINERS = re.compile(r"\b(and|or|through|to)\b")
_PAREN_TAIL = re.compile(r"\([^()]{3,}\)\s*[*†‡]?\s*$")
_WORD_CLASS = re.compile(r"^([A-Z][A-Za-z]{2,14})\s+class(?:\s+shares?)?[*:]*$", re.I)
_NOT_CLASS_ALONE = frozenset(
    {"share", "shares", "the", "each", "fund", "such", "any", "all", "this", "per", "same"}
)
# "0/10", "0,25": in a rate column, a typo'd rate. Read as a rate cell that has no value, so the
# row is kept (and flagged), not mistaken for a new fund's name.
_GARBLED_RATE = re.compile(r"^\d{1,2}\s*[/,]\s*\d{1,3}$")
_ONE_FUND = re.compile(r"\b(fund|portfolio|etf)\W*$", re.I)  # names one fund, not a trust
_CODE = re.compile(r"^(?:[A-Z]{1,2}\d{0,2}|Admin)\.?\*?$")
# A plural that says which funds follow ("Funds with Class B or Class BX Shares"): no fund is named so.
_CAPTION = re.compile(r"^(?:funds|portfolios|series)\s+(?:with|offering|that|having|which|whose)\b", re.I)
_LIST_ITEM = re.compile(r"^(?:class\s+)?([A-Z]{1,3}\d{0,2}|[A-Z][a-z]{2,13})\*?$")


def class_list(text: str) -> tuple[str, ...]:
    """A comma-separated list of classes ("A, C, F, R2", "A, B, C, R2, Service"), or ()."""
    if "," not in text or len(text) > 120:
        return ()
    parts = [p.strip() for p in re.split(r",|\band\b", text) if p.strip()]
    found = []
    for part in parts:
        m = _LIST_ITEM.match(part)
        if m is None:
            return ()
        found.append(V.normalize_class(m.group(1)))
    if len(found) < 2 or not any(len(c) <= 3 for c in found):
        return ()
    return tuple(found)


@dataclass
class Tok:
    kind: str  # heading header registrant fund name class rate none pct date prose stop other
    text: str
    line: int
    first: bool  # first cell of its line
    row: int  # index of its Line
    fields: tuple[str, ...] = ()
    rate: Decimal | None = None
    day: date | None = None
    classes: tuple[str, ...] = ()
    registrant: str | None = None
    closes_quote: bool = False  # the cell ends with a closing quotation mark


def classify(text: str, line: Line, index: int, row: int) -> Tok:
    """What one cell is. Depends on the text alone, so repeated cells ("0.25%", "N/A", "Class A")
    are classified once; each cell gets its own copy, placed at its line."""
    c = _classify_text(text.strip())
    return Tok(
        c.kind,
        c.text,
        line.no,
        index == 0,
        row,
        c.fields,
        c.rate,
        c.day,
        c.classes,
        c.registrant,
        c.closes_quote,
    )


@lru_cache(maxsize=8192)
def _classify_text(raw: str) -> Tok:
    t = Tok("other", raw, 0, False, 0, closes_quote=raw.endswith(("”", '"')))
    bare = raw.strip(QUOTES + " ")
    if not bare:
        return t
    if STOP.match(bare):
        t.kind = "stop"
        return t
    if V.PCT_ONLY.match(bare):
        t.kind = "pct"
        return t
    lead_rate = _LEAD_RATE.match(bare)
    if lead_rate and len(bare) < 160:
        t.kind, t.rate = "rate", V.rate_value(lead_rate.group(1))
        t.classes = tuple(V.find_classes(bare))
        return t
    paren = _PAREN_TAIL.search(bare)
    if paren and paren.start() > 0 and len(bare) < 200:
        # "Distribution Fee (as a Percentage of Average Daily Net Assets of Class C)": a header
        # whose note names the class the column is about.
        fields = header_fields(bare[: paren.start()])
        if fields:
            t.kind, t.fields, t.classes = "header", fields, tuple(V.find_classes(bare))
            return t
    opened = bare.find("(")
    if opened > 0 and ")" not in bare and len(bare) < 200:
        # "Distribution Fee (as a Percentage of Average" wrapped onto the next line: the header
        # before the note still names the column.
        fields = header_fields(bare[:opened])
        if fields:
            t.kind, t.fields, t.classes = "header", fields, tuple(V.find_classes(bare))
            return t
    if is_sentence(bare):
        t.kind = "prose"
        t.classes = tuple(V.find_classes(bare))
        return t
    if HEADING.match(bare) and len(bare) < 200:
        t.kind = "heading"
        t.classes = tuple(V.find_classes(bare))
        return t
    if V.NONE_WORDS.match(bare):
        t.kind, t.rate = "none", Decimal(0)
        return t
    rate = V.parse_rate_cell(bare)
    if rate is not None and (
        V.RATE_CELL.match(bare) or _NUMBER_PCT.match(bare) or "basis point" in bare.lower()
    ):
        t.kind, t.rate = "rate", rate
        t.classes = tuple(V.find_classes(bare))
        return t
    if _GARBLED_RATE.match(bare):
        t.kind = "rate"  # t.rate stays None: the row says "cell unparsed"
        return t
    if V.MONTH_YEAR.match(bare):
        return t  # "July 2013": a date without its day, not a name
    short = V.short_date_cell(bare) if "/" in bare else None
    if short is not None:
        t.kind, t.day = "date", short  # "2/1/15" in an Effective Date column
        return t
    dates = V.find_dates(bare)
    if dates:
        rest = V.ANY_DATE.sub(" ", bare)
        if not _WORD3.search(_JOINERS.sub(" ", rest)):
            t.kind, t.day = "date", dates[0][0]
        else:
            t.kind = "other"
        return t
    series = SERIES_OF.match(bare)
    if series and len(words(bare)) <= 12:
        t.kind, t.fields, t.registrant = "header", ("fund",), clean_name(series.group(1))
        return t
    listed = class_list(bare)
    if listed:
        t.kind, t.classes = "class", listed
        return t
    if _CODE.match(bare):
        # A bare "A", "R2", "Admin.": a class in a class column, a coverage mark in a class matrix.
        t.kind, t.classes = "code", (V.normalize_class(bare.rstrip(".*")),)
        return t
    if CLASS_ONLY.match(bare):
        found = V.find_classes(bare)
        # A line that is only "TRUST CLASS": the class is the word itself, even one that elsewhere
        # is a trust's name ("Insurance Trust Class A" reads otherwise).
        alone = _WORD_CLASS.match(bare.strip("() "))
        if not found and alone and alone.group(1).lower() not in _NOT_CLASS_ALONE:
            found = [V.normalize_class(alone.group(1))]
        if found:
            t.kind, t.classes = "class", (found[0],)
            return t
    named = CLASS_SHARES.match(bare)
    if named and named.group(1).lower() not in NOT_A_CLASS:
        # "Investor Shares", "Institutional Shares", "Y Shares": a class named without "Class".
        t.kind, t.classes = "class", (V.normalize_class(named.group(1)),)
        return t
    fields = header_fields(bare)
    if fields is not None:
        t.kind, t.fields = "header", fields
        t.classes = tuple(V.find_classes(bare))
        return t
    name = clean_name(bare)
    lead = name.lstrip("(")
    if not lead or not (lead[0].isupper() or lead[0].isdigit()) or len(words(name)) > 16:
        return t
    t.text = name
    if _CAPTION.match(name):
        t.classes = tuple(V.find_classes(name))  # "Funds with Class B Shares": a caption, not a fund
        return t
    if CORP_SUFFIX.search(name) and not re.search(r"\bfund\s*\)?$", name, re.I):
        t.kind = "registrant"
        t.classes = tuple(V.find_classes(name))
        # "CLASS C SHARES OF THE VICTORY PORTFOLIOS" names the registrant after "of".
        m = re.match(r"^.*?\bshares?\s+of\s+(.+)$", name, re.I)
        if m:
            t.text = m.group(1).strip()
    elif FUNDISH.search(name):
        t.kind = "fund"
    else:
        t.kind = "name"
    return t


def tokens(doc: Document) -> list[Tok]:
    toks: list[Tok] = []
    caption: Tok | None = None  # a name read as the fund column's header, atop a header block
    for row, line in enumerate(doc.lines):
        for i, cell in enumerate(line.cells):
            toks.append(classify(cell.text, line, i, row))
        line_toks = toks[len(toks) - len(line.cells) :]
        if caption is not None and line_toks[0].kind == "header" and "fund" in line_toks[0].fields:
            # The block names its fund column further down ("PORTFOLIO"): the name above titles the
            # table, the trust whose funds follow, even one named like a fund ("Pioneer Bond Fund").
            caption.kind, caption.fields, caption = "registrant", (), None
        elif caption is not None and not all(t.kind in ("header", "pct", "other") for t in line_toks):
            caption = None
        # A line of values is a data row: its leading cell is a fund name even if it reads "Fund".
        if len(line.cells) > 1 and any(
            t.kind in ("rate", "none") for t in toks[len(toks) - len(line.cells) + 1 :]
        ):
            lead = toks[-len(line.cells)]
            if lead.kind == "header":
                lead.kind, lead.fields = "fund", ()
        # Several classes side by side are column headers of a fund x class matrix.
        line_toks = toks[len(toks) - len(line.cells) :]
        if sum(t.kind == "class" for t in line_toks) >= 2 and all(
            t.kind in ("class", "header", "pct") for t in line_toks[1:]
        ):
            for t in line_toks:
                if t.kind == "class":
                    t.kind, t.fields = "header", (f"class:{t.classes[0]}",)
        # A name leading a line of column headers is the fund column's header (and maybe a registrant).
        if len(line.cells) > 1 and toks[-len(line.cells)].kind in ("name", "registrant", "fund"):
            rest = toks[len(toks) - len(line.cells) + 1 :]
            lead = toks[-len(line.cells)]
            if (
                rest
                and all(t.kind in ("header", "pct", "other") for t in rest)
                and any(t.kind == "header" for t in rest)
            ):
                # A mixed-case fund-like name with an organisation word there titles the table: the
                # trust or group whose funds follow ("AIM Funds Group (Invesco Funds Group)").
                is_reg = (
                    lead.kind == "registrant"
                    or bool(is_caps(lead.text) and ORG_WORD.search(lead.text))
                    or bool(
                        lead.kind == "fund"
                        and not is_caps(lead.text)
                        and ORG_WORD.search(lead.text)
                        and not _ONE_FUND.search(lead.text)
                    )
                )
                lead.kind = "registrant" if is_reg else "header"
                if not is_reg:
                    lead.fields, caption = ("fund",), lead
    return toks
