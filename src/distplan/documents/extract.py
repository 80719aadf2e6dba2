"""Extraction: one filed exhibit -> an `Instrument` with provenance and diagnostics.

The pipeline is layout analysis (`layout.py`: lines of cells) -> cell classification (what a
cell *is*: a schedule heading, a column header, a registrant, a fund, a class, a rate, a date,
prose, the signature block) -> a small state machine that rebuilds schedule rows from the
classified cells, whatever the layout (fixed-width columns, one cell per line, HTML rows).
Nothing here knows a fund family: only what 12b-1 schedules have in common.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from distplan.documents import values as V
from distplan.documents.layout import Document, Line, is_sentence, parse_bytes, read_document
from distplan.model import (
    Diagnostic,
    Instrument,
    Kind,
    Level,
    Operation,
    PlanRef,
    Schedule,
    ScheduleRow,
    Source,
)

# --- cell vocabulary -----------------------------------------------------------------------

_HEADER_WORDS = frozenset(
    [
        "maximum",
        "minimum",
        "max",
        "min",
        "asset",
        "based",
        "asset-based",
        "sales",
        "charge",
        "charges",
        "service",
        "services",
        "servicing",
        "shareholder",
        "fee",
        "fees",
        "aggregate",
        "total",
        "distribution",
        "distributions",
        "activities",
        "12b-1",
        "rule",
        "rate",
        "rates",
        "annual",
        "annualized",
        "name",
        "names",
        "of",
        "the",
        "fund",
        "funds",
        "portfolio",
        "portfolios",
        "series",
        "class",
        "classes",
        "share",
        "shares",
        "effective",
        "date",
        "dates",
        "adoption",
        "adopted",
        "adopting",
        "this",
        "plan",
        "registered",
        "investment",
        "company",
        "companies",
        "registrant",
        "registrants",
        "trust",
        "trusts",
        "inception",
        "original",
        "and",
        "or",
        "per",
        "annum",
        "as",
        "a",
        "percentage",
        "percent",
        "average",
        "daily",
        "net",
        "assets",
        "each",
        "to",
        "be",
        "paid",
        "payable",
        "under",
        "for",
        "in",
        "on",
        "compensation",
        "expense",
        "initial",
        "current",
        "trust's",
        "fund's",
        "ticker",
        "symbol",
        "cusip",
        "new",
        "level",
    ]
)
_FEE_DIST = re.compile(r"\b(asset[- ]based|sales\s+charge|sales|charge|distribution)\b", re.I)
_FEE_SERV = re.compile(r"\b(service|servicing)\b", re.I)
_FEE_AGG = re.compile(r"\b(aggregate|total|12b-1|rates?)\b", re.I)
_FEE_GENERIC = re.compile(r"\bfees?\b", re.I)
_FUND_COL = re.compile(r"\b(funds?|portfolios?|series)\b", re.I)
_REG_COL = re.compile(
    r"\b(registered investment compan(y|ies)|registrants?)\b|^(the\s+)?(trust|company)$", re.I
)
_DATE_COL = re.compile(r"\bdates?\b", re.I)
_EFFECTIVE_COL = re.compile(r"\b(effective|adoption|adopted|commencement)\b", re.I)
_SERIES_OF = re.compile(
    r"^(?:series|funds?|portfolios?)\s+of\s+(?!the\s+(?:trust|company|fund)\b)(.+?)[:*]*$", re.I
)

_HEADING = re.compile(
    r"^[\"“”']?\s*(?:form\s+of\s+)?(?:(?:amended\s+and\s+restated|amended|restated|revised)\s+)?"
    r"(schedule|appendix|exhibit|annex|attachment)\s+([A-Z]{1,2}|[IVX]{1,4}|\d{1,2})(?![\w(])[\s.:\"”-]*"
    r"(?:(?:to|of)\b.*)?$",
    re.I,
)
_EXHIBIT_INDEX = re.compile(
    r"^(ex(hibit)?[-.\s]*\d|ex(hibit)?[-.\s]*\(|ex-|exhibit\s+\d|\(?[a-z]\)\(\d)", re.I
)
_STOP = re.compile(
    r"^(dated?\s*:|date\s+of\s+execution|in\s+witness|by\s*:|attest|accepted|agreed|name\s*:|title\s*:|/s/|"
    r"signature|all\s+other\s+terms|witness)",
    re.I,
)
_CLASS_ONLY = re.compile(
    r"^\(?\s*(?:class\s+(?:[A-Z]{1,3}\d{0,2}|\d{1,2})|(?:[A-Z][A-Za-z]{2,}|[A-Z]{1,2}\d?)\s+class)(?:\s+shares?)?\s*\)?[*:]*$",
    re.I,
)
_CLASS_SHARES = re.compile(r"^([A-Z][A-Za-z]{0,14}\d?)\s+[Ss]hares[*:]*$")
_NOT_A_CLASS = frozenset(
    {"fund", "common", "the", "total", "all", "such", "these", "those", "preferred", "trust", "portfolio"}
)
_FUND_CLASS_SUFFIX = re.compile(
    r"\s*(?:[-–—]\s*|\(\s*|,\s*)(class\s+[A-Z]{1,3}\d{0,2}|[A-Z][A-Za-z]{0,11}\d?\s+class)(?:\s+shares?)?\s*\)?\s*$",
    re.I,
)
_CORP_SUFFIX = re.compile(
    r"(,?\s+(inc|incorporated|corp|corporation|company|co|llc|l\.?l\.?c|l\.?p|ltd)\.?(\s+[IVX]+)?"
    r"|\s+(trust|funds|portfolios|series|trust\s+[IVX]+))\s*\)?$",
    re.I,
)
_FUNDISH = re.compile(r"\b(funds?|portfolio|etf|fund-)\b|fund\b", re.I)
_ORG_WORD = re.compile(
    r"\b(funds?|trust|inc|corp|corporation|company|portfolios|distributors?|advisers|advisors|services|llc|"
    r"l\.p|series|group|securities|management|partners)\b",
    re.I,
)
_LIST_NO = re.compile(r"^\(?\d{1,3}[.)]\s+")
_FOOTNOTE = re.compile(r"(?:\s*[*†‡]+|\s*\(\d{1,2}\)|\s*\[\d{1,2}\])+$")
_QUOTES = "\"“”'‘’"


def _clean_name(text: str) -> str:
    text = text.strip().strip(_QUOTES).strip()
    text = _LIST_NO.sub("", text)
    text = _FOOTNOTE.sub("", text)
    text = text.strip().strip(_QUOTES).rstrip(":;,").strip()
    return text


def _is_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and sum(c.isupper() for c in letters) >= 0.9 * len(letters)


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9][A-Za-z0-9'’-]*", text)


def _header_fields(text: str) -> tuple[str, ...] | None:
    """The fields a column-header cell names, or None when the cell is not a header."""
    bare = V.CLASS_AFTER.sub(" ", text)
    words = [w.lower().strip("'’") for w in _words(bare) if not (w.isdigit() and len(w) <= 2)]
    if not words or not all(w in _HEADER_WORDS for w in words):
        return None
    low = text.lower()
    if re.search(r"\b(plan|agreement)\s*\)?$", low) and not re.search(r"\b(fund|date)", low):
        return None
    fields: list[str] = []
    if _REG_COL.search(low):
        fields.append("registrant")
    dist, serv = bool(_FEE_DIST.search(low)), bool(_FEE_SERV.search(low))
    if _DATE_COL.search(low) or re.search(r"\beffective\b", low):
        fields.append("effective_date" if _EFFECTIVE_COL.search(low) else "other")
    elif dist and serv:
        fields.append("aggregate")
    elif dist:
        fields.append("distribution")
    elif serv:
        fields.append("service")
    elif _FEE_AGG.search(low):
        fields.append("aggregate")
    elif _FEE_GENERIC.search(low):
        fields.append("fee")
    elif _FUND_COL.search(low) and "registrant" not in fields:
        fields.append("fund")
    elif re.search(r"\bclass(es)?\b", low) and not V.CLASS_AFTER.search(text):
        fields.append("class")
    if _FUND_COL.search(low) and "fund" not in fields and not fields:
        fields.append("fund")
    return tuple(fields)


# --- tokens --------------------------------------------------------------------------------


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


def _classify(text: str, line: Line, index: int, row: int) -> Tok:
    first = index == 0
    raw = text.strip()
    t = Tok("other", raw, line.no, first, row)
    bare = raw.strip(_QUOTES + " ")
    if not bare:
        return t
    if _STOP.match(bare):
        t.kind = "stop"
        return t
    if V.PCT_ONLY.match(bare):
        t.kind = "pct"
        return t
    lead_rate = re.match(r"^\s*(\d{0,2}\.\d+|\d{1,2})\s*%", bare)
    if lead_rate and len(bare) < 160:
        t.kind, t.rate = "rate", V.rate_value(lead_rate.group(1))
        t.classes = tuple(V.find_classes(bare))
        return t
    if is_sentence(bare):
        t.kind = "prose"
        t.classes = tuple(V.find_classes(bare))
        return t
    if _HEADING.match(bare) and len(bare) < 200:
        t.kind = "heading"
        t.classes = tuple(V.find_classes(bare))
        return t
    if V.NONE_WORDS.match(bare):
        t.kind, t.rate = "none", Decimal(0)
        return t
    rate = V.parse_rate_cell(bare)
    if rate is not None and (
        V.RATE_CELL.match(bare) or re.match(r"^\s*[\d.]+\s*%", bare) or "basis point" in bare.lower()
    ):
        t.kind, t.rate = "rate", rate
        t.classes = tuple(V.find_classes(bare))
        return t
    dates = V.find_dates(bare)
    if dates:
        rest = V.ANY_DATE.sub(" ", bare)
        if not re.search(r"[A-Za-z]{3,}", re.sub(r"\b(and|or|through|to)\b", " ", rest)):
            t.kind, t.day = "date", dates[0][0]
        else:
            t.kind = "other"
        return t
    series = _SERIES_OF.match(bare)
    if series and len(_words(bare)) <= 12:
        t.kind, t.fields, t.registrant = "header", ("fund",), _clean_name(series.group(1))
        return t
    if _CLASS_ONLY.match(bare):
        found = V.find_classes(bare)
        if found:
            t.kind, t.classes = "class", (found[0],)
            return t
    named = _CLASS_SHARES.match(bare)
    if named and named.group(1).lower() not in _NOT_A_CLASS:
        # "Investor Shares", "Institutional Shares", "Y Shares": a class named without "Class".
        t.kind, t.classes = "class", (V.normalize_class(named.group(1)),)
        return t
    fields = _header_fields(bare)
    if fields is not None:
        t.kind, t.fields = "header", fields
        t.classes = tuple(V.find_classes(bare))
        return t
    name = _clean_name(bare)
    lead = name.lstrip("(")
    if not lead or not (lead[0].isupper() or lead[0].isdigit()) or len(_words(name)) > 16:
        return t
    t.text = name
    if _CORP_SUFFIX.search(name) and not re.search(r"\bfund\s*\)?$", name, re.I):
        t.kind = "registrant"
        t.classes = tuple(V.find_classes(name))
        # "CLASS C SHARES OF THE VICTORY PORTFOLIOS" names the registrant after "of".
        m = re.match(r"^.*?\bshares?\s+of\s+(.+)$", name, re.I)
        if m:
            t.text = m.group(1).strip()
    elif _FUNDISH.search(name):
        t.kind = "fund"
    else:
        t.kind = "name"
    return t


def _tokens(doc: Document) -> list[Tok]:
    toks: list[Tok] = []
    for row, line in enumerate(doc.lines):
        for i, cell in enumerate(line.cells):
            toks.append(_classify(cell.text, line, i, row))
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
                is_reg = lead.kind == "registrant" or (_is_caps(lead.text) and _ORG_WORD.search(lead.text))
                lead.kind = "registrant" if is_reg else "header"
                if not is_reg:
                    lead.fields = ("fund",)
    return toks


# --- the schedule state machine ------------------------------------------------------------


@dataclass
class _Row:
    fund: str
    registrant: str | None
    share_class: str | None
    first: int
    last: int
    fees: dict[str, Decimal] = field(default_factory=dict)
    effective: date | None = None
    filled: int = 0  # value columns consumed
    section_class: str | None = None  # the class heading the row sits under
    class_fees: dict[str, Decimal] = field(default_factory=dict)  # fund x class matrix cells

    def has_values(self) -> bool:
        return self.filled > 0


@dataclass
class _Parse:
    rows: list[_Row] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    label: str | None = None
    label_line: int | None = None
    first_line: int | None = None
    last_line: int | None = None
    classes_seen: list[str] = field(default_factory=list)  # named in the schedule's cells
    prose_classes: list[str] = field(default_factory=list)  # named in its prose
    prose_rates: list[tuple[Decimal, int]] = field(default_factory=list)
    truncated: bool = False


_VALUE_KINDS = ("rate", "none", "date")


def _next_meaningful(toks: list[Tok], i: int) -> Tok | None:
    for t in toks[i + 1 :]:
        if t.kind not in ("pct",) and t.text:
            return t
    return None


def _parse_schedule(toks: list[Tok], default_registrant: str | None) -> _Parse:
    out = _Parse()
    active = False
    registrant: str | None = None
    reg_line = -1
    section_class: str | None = None
    columns: list[str] = []
    zone: list[str] | None = None  # header fields being gathered
    has_fund_col = False
    header_seen = False
    row: _Row | None = None
    last_kind = ""

    def close() -> None:
        nonlocal row
        if row is not None and row.class_fees:
            for cls, value in row.class_fees.items():
                out.rows.append(
                    _Row(
                        row.fund,
                        row.registrant,
                        cls,
                        row.first,
                        row.last,
                        {"aggregate": value},
                        row.effective,
                    )
                )
            out.last_line = row.last
        elif row is not None:
            row.share_class = row.share_class or row.section_class
            out.rows.append(row)
            out.last_line = row.last
        row = None

    def end_zone() -> None:
        nonlocal zone, columns, header_seen, has_fund_col
        if zone is not None:
            class_cols = [f for f in zone if f.startswith("class:")]
            specific = [
                f for f in zone if f in ("distribution", "service", "aggregate", "effective_date", "other")
            ]
            if class_cols:
                # A fund x class matrix: one rate per class column (its fee type is the aggregate).
                specific = class_cols + [f for f in specific if f in ("effective_date", "other")]
            if "fee" in zone and not any(f in ("distribution", "service", "aggregate") for f in specific):
                specific = [
                    ("aggregate" if f == "fee" else f)
                    for f in zone
                    if f in ("fee", "effective_date", "other")
                ]
            dedup: list[str] = []
            for f in specific:
                if f not in dedup:
                    dedup.append(f)
            if dedup or "fund" in zone:
                columns = dedup
            if zone:
                has_fund_col = "fund" in zone or "registrant" in zone or bool(columns)
                header_seen = True
            zone = None

    for i, t in enumerate(toks):
        if t.kind == "heading":
            close()
            end_zone()
            active, header_seen, has_fund_col, columns = True, False, False, []
            registrant, section_class = None, (t.classes[0] if t.classes else None)
            if out.label is None:
                m = _HEADING.match(t.text.strip(_QUOTES + " "))
                if m:
                    out.label = f"{m.group(1).title()} {m.group(2).upper()}"
                    out.label_line = t.line
            last_kind = t.kind
            continue
        if not active:
            if t.kind == "header" and any(f != "other" for f in t.fields):
                active = True
            else:
                continue
        if t.kind == "stop":
            close()
            end_zone()
            active = False
            header_seen = False
            last_kind = t.kind
            continue
        if t.kind == "prose":
            close()
            end_zone()
            header_seen = False
            for c in t.classes:
                if c not in out.prose_classes:
                    out.prose_classes.append(c)
            m = V.RATE_IN_TEXT.search(t.text)
            if m and re.search(r"annum|annual|average daily net assets", t.text, re.I):
                value = V.rate_value(m.group(1))
                if value is not None:
                    out.prose_rates.append((value, t.line))
            last_kind = t.kind
            continue
        if t.kind == "header":
            close()
            if zone is None:
                zone = []
            zone.extend(t.fields)
            if t.registrant:
                registrant, reg_line = t.registrant, t.line
            for c in t.classes:
                section_class = c
                if c not in out.classes_seen:
                    out.classes_seen.append(c)
            last_kind = t.kind
            continue
        if t.kind == "registrant":
            close()
            if t.text.startswith("(") and registrant and last_kind in ("header", "registrant", "pct"):
                registrant = f"{registrant} {t.text}"
            elif zone is not None or not header_seen or has_fund_col or last_kind != "fund":
                registrant, reg_line = t.text, t.line
            for c in t.classes:
                section_class = c
            last_kind = t.kind
            continue
        if (
            t.kind == "class"
            and zone is not None
            and not any(f in ("distribution", "service", "aggregate", "fee") for f in zone)
        ):
            zone.append(f"class:{t.classes[0]}")
            last_kind = "header"
            continue
        end_zone()
        if t.kind in ("fund", "name"):
            nxt = _next_meaningful(toks, i)
            follows_value = nxt is not None and nxt.kind in (*_VALUE_KINDS, "class")
            fund_position = t.first and (
                (t.kind == "fund" and (header_seen or registrant is not None or follows_value))
                or (t.kind == "name" and header_seen and has_fund_col and len(_words(t.text)) >= 2)
                or (t.kind == "name" and header_seen and nxt is not None and nxt.kind in _VALUE_KINDS)
            )
            if (
                row is not None
                and not row.has_values()
                and not row.class_fees
                and t.row == toks[i - 1].row + 1
                and toks[i - 1].kind in ("fund", "name")
                and not re.search(r"\b(fund|portfolio|etf|trust)\s*$", row.fund, re.I)
                and len(_words(t.text)) <= 4
            ):
                # A fund name wrapped onto the next line ("Zeta International Equity" / "Fund").
                row.fund, row.last = f"{row.fund} {t.text}", t.line
                last_kind = t.kind
                continue
            if fund_position:
                close()
                name, cls = t.text, None
                m = _FUND_CLASS_SUFFIX.search(name)
                if m and m.start() > 0:
                    found = V.find_classes(m.group(1))
                    if found:
                        name, cls = name[: m.start()].strip(), found[0]
                row = _Row(name, registrant, cls, t.line, t.line, section_class=section_class)
            elif row is not None and t.row == toks[i - 1].row and not t.first:
                pass
            last_kind = t.kind
            continue
        if t.kind == "class":
            cls = t.classes[0]
            if cls not in out.classes_seen:
                out.classes_seen.append(cls)
            nxt = _next_meaningful(toks, i)
            if row is not None and row.share_class is None and not row.has_values():
                row.share_class, row.last = cls, t.line
            elif row is not None and nxt is not None and nxt.kind in _VALUE_KINDS:
                fund, reg = row.fund, row.registrant
                close()
                row = _Row(fund, reg, cls, t.line, t.line)
            else:
                close()
                section_class = cls
            last_kind = t.kind
            continue
        if t.kind in _VALUE_KINDS:
            if row is None:
                last_kind = t.kind
                continue
            column = columns[row.filled] if row.filled < len(columns) else None
            if column is None and not columns and t.kind in ("rate", "none"):
                column = "aggregate"
            if column in ("distribution", "service", "aggregate") and t.kind in ("rate", "none"):
                if t.rate is not None and column not in row.fees:
                    row.fees[column] = t.rate
                for c in t.classes:
                    if row.share_class is None:
                        row.share_class = c
                    if c not in out.classes_seen:
                        out.classes_seen.append(c)
            elif column is not None and column.startswith("class:") and t.kind in ("rate", "none"):
                if t.rate is not None:
                    row.class_fees[column[6:]] = t.rate
                if column[6:] not in out.classes_seen:
                    out.classes_seen.append(column[6:])
            elif column == "effective_date" and t.kind == "date":
                row.effective = t.day
            elif column is None:
                out.diagnostics.append(
                    Diagnostic("warning", f"value {t.text!r} beyond the table's columns", t.line)
                )
            row.filled += 1
            row.last = t.line
            last_kind = t.kind
            continue
        last_kind = t.kind

    if active and (zone is not None or (row is not None and 0 < row.filled < len(columns))):
        out.truncated = True
    if active and registrant is not None and reg_line > (out.last_line or -1) and row is None:
        out.truncated = True
    close()
    if row is None and out.rows:
        out.first_line = out.rows[0].first
    if default_registrant:
        for r in out.rows:
            if r.registrant is None:
                r.registrant = default_registrant
    return out


# --- prose: dates, plan, parties -----------------------------------------------------------


class _Flow:
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

    def line_at(self, offset: int) -> int:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.lines[max(i, 0)] if self.lines else 1


_ADDS = re.compile(
    r"\bamended\b[^.]{0,100}?\bto\s+add\b|\bby\s+adding\b|\badd(?:ing)?\s+the\s+following", re.I
)
_REMOVES = re.compile(
    r"\bamended\b[^.]{0,100}?\bto\s+(?:delete|remove)\b|\bby\s+(?:deleting|removing)\b"
    r"|\b(?:delete|remove|deleting|removing)\s+the\s+following",
    re.I,
)
_PLAN_REF = re.compile(r"\(\s*(?:the\s+)?[\"“”']{1,2}(?:[A-Z][a-z]+\s+)?Plan[\"“”']{1,2}\s*\)", re.I)
_CONNECTORS = frozenset({"of", "and", "to", "pursuant", "under", "for", "&"})


def _plan_title_before(text: str, end: int) -> tuple[str | None, str | None]:
    """The plan's title and class written just before '(the "Plan")'."""
    window = text[max(0, end - 300) : end].rstrip()
    cls = None
    m = re.search(r"\(([^()]*\bclass\b[^()]*)\)\s*$", window, re.I)
    if m:
        found = V.find_classes(m.group(1))
        cls = found[0] if found else None
        window = window[: m.start()].rstrip()
    words = window.split()
    taken: list[str] = []
    for w in reversed(words):
        bare = w.strip(",;:")
        if bare in ("The", "the", "This", "this", "That") or not bare:
            break
        if bare[:1].isupper() or bare[:1].isdigit() or bare.lower() in _CONNECTORS:
            taken.append(bare)
            continue
        break
    while taken and taken[-1].lower() in _CONNECTORS:
        taken.pop()
    taken.reverse()
    while taken and taken[0].lower() in _CONNECTORS:
        taken.pop(0)
    title = " ".join(taken)
    if "plan" not in title.lower() and "agreement" not in title.lower():
        return None, cls
    return title, cls


@dataclass
class _Dates:
    effective: date | None = None
    effective_line: int | None = None
    dated: date | None = None
    dated_line: int | None = None
    plan_dated: date | None = None


_DATE_RE = V.ANY_DATE.pattern
_EFFECTIVE = re.compile(rf"\beffective(?:\s+(?:as\s+of|on|date))?\s*:?\s*(?:{_DATE_RE})", re.I)
_AS_OF = re.compile(rf"\b(dated\s+)?as\s+of\s+(?:{_DATE_RE})", re.I)
_AMENDED_ON = re.compile(
    rf"\b(?:amended\s+and\s+restated|as\s+amended|amended|revised|restated|updated)"
    rf"(?:\s+(?:as\s+of|on|effective|through))?\s*:?\s*(?:{_DATE_RE})",
    re.I,
)
_DATED = re.compile(rf"\b(?:dated?|executed)\s*(?:as\s+of\s*)?:?\s*(?:{_DATE_RE})", re.I)
_PLAN_OWN = re.compile(r"(\(\s*the\s+[\"“”']{1,2}[\w ]*Plan[\"“”']{1,2}\s*\)|\bplan\s*\)?),?\s*$", re.I)


def _find_dates(flow: _Flow, title_end: int) -> _Dates:
    text = flow.text
    out = _Dates()

    def own_plan(start: int, phrase: str = "") -> bool:
        # "(the "Plan"), effective December 8, 2006" dates the plan; "Effective: June 16, 2003" is a label.
        return ":" not in phrase[:20] and bool(_PLAN_OWN.search(text[max(0, start - 80) : start]))

    def first_of(m: re.Match[str]) -> tuple[date, int] | None:
        found = V.find_dates(m.group(0))
        return (found[0][0], m.start() + found[0][1]) if found else None

    effective: list[tuple[date, int]] = []
    for m in _EFFECTIVE.finditer(text):
        hit = first_of(m)
        if hit is None:
            continue
        if own_plan(m.start(), m.group(0)):
            out.plan_dated = out.plan_dated or hit[0]
            continue
        effective.append(hit)
    as_of: list[tuple[date, int]] = []
    for m in _AS_OF.finditer(text):
        hit = first_of(m)
        if hit is None:
            continue
        if own_plan(m.start()):
            out.plan_dated = out.plan_dated or hit[0]
            continue
        if m.group(1):
            continue  # "dated as of": a "Dated" date (below)
        as_of.append(hit)
    amended: list[tuple[date, int]] = []
    for m in _AMENDED_ON.finditer(text):
        hit = first_of(m)
        if hit and not own_plan(m.start()):
            amended.append(hit)
    dated: list[tuple[date, int]] = []
    for m in _DATED.finditer(text):
        hit = first_of(m)
        if hit is None:
            continue
        if own_plan(m.start()) or (m.start() < title_end and ":" not in m.group(0)):
            out.plan_dated = out.plan_dated or hit[0]
            continue
        dated.append(hit)
    if dated:
        out.dated, out.dated_line = dated[-1][0], flow.line_at(dated[-1][1])
    for group, pick in ((effective, 0), (as_of, 0), (amended, -1), (dated, -1)):
        if group:
            chosen = max(group) if pick == -1 else group[0]
            out.effective, out.effective_line = chosen[0], flow.line_at(chosen[1])
            break
    return out


def _signatories(doc: Document) -> list[str]:
    found: list[str] = []
    started = False
    for line in doc.lines:
        text = line.text.strip()
        if re.match(r"^(dated?\s*:|in\s+witness|by\s*:|attest)", text, re.I):
            started = True
            continue
        if not started:
            continue
        for cell in line.cells:
            name = _clean_name(cell.text)
            if ":" in name or name.startswith("/s/") or not name:
                continue
            entity = (_is_caps(name) and _ORG_WORD.search(name) and len(_words(name)) >= 2) or (
                _CORP_SUFFIX.search(name) and re.search(r",?\s+(inc|corp|llc|l\.p)\b", name, re.I)
            )
            if entity and name not in found:
                found.append(name)
    return found


# --- the whole document --------------------------------------------------------------------


def _title_block(doc: Document) -> list[Line]:
    block: list[Line] = []
    for line in doc.lines[:14]:
        text = line.text.strip()
        if not block and (_EXHIBIT_INDEX.match(text) or re.match(r"^form\s+of\s*$", text, re.I)):
            continue
        if is_sentence(text) or len(line.cells) > 1 or len(block) >= 9:
            break
        if block and (
            _header_fields(text) is not None or (V.find_dates(text) and not re.match(r"^dated\b", text, re.I))
        ):
            break
        block.append(line)
    return block


def extract_path(path: Path | str) -> Instrument:
    """Read one exhibit (.txt, text from HTML, .htm/.html) into an Instrument."""
    return extract_document(read_document(Path(path)))


def extract_text(text: str, path: str = "<text>", html: bool | None = None) -> Instrument:
    return extract_document(parse_bytes(text.encode("utf-8"), path, html=html))


def extract_document(doc: Document) -> Instrument:
    diags: list[Diagnostic] = []
    flow = _Flow(doc)
    title_lines = _title_block(doc)
    title = " ".join(" ".join(line.text.split()) for line in title_lines).strip(_QUOTES + " ")
    title_end = len(" ".join(line.text for line in title_lines)) + 1
    head = " ".join(line.text for line in doc.lines[:12])

    number = V.amendment_number(title) or V.amendment_number(head[:400])
    first_title = title_lines[0].text.strip(_QUOTES + " ") if title_lines else ""
    kind: Kind
    if number is not None or re.match(r"^(\w+\s+)?amendment\b", title, re.I):
        kind = "amendment"
    elif _HEADING.match(first_title) or re.match(r"^(fee\s+)?schedule\b", first_title, re.I):
        kind = "schedule"
    elif re.search(r"\bplan\b", title, re.I):
        kind = "plan"
    else:
        kind = "schedule"

    # The registrant named in prose: "series of The Victory Portfolios", "of AIM Summit Fund (the "Trust")".
    default_registrant: str | None = None
    trust = re.search(
        r"\b(?:of|by)\s+((?:[A-Z][\w&.,'’-]*\s+){0,8}?[A-Z][\w&.'’-]*)\s*,?\s*\(\s*(?:the\s+)?[\"“”']{1,2}"
        r"(Trust|Company|Corporation|Registrant|Fund)[\"“”']{1,2}\s*\)",
        flow.text,
    )
    series = re.search(r"\bseries\s+of\s+((?:the\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z&][\w&.'’-]*){0,8})", flow.text)
    if series:
        default_registrant = series.group(1).strip().rstrip(".,:;")
    elif trust:
        default_registrant = trust.group(1).strip().rstrip(",")
    for line in title_lines:
        text = _clean_name(line.text)
        if _is_caps(text) and _CORP_SUFFIX.search(text) and not re.search(r"\bplan\b", text, re.I):
            default_registrant = default_registrant or text

    toks = _tokens(doc)
    parsed = _parse_schedule(toks, default_registrant)
    diags.extend(parsed.diagnostics)

    # Plan: its title, classes and own date.
    plan_title: str | None = None
    plan_classes: list[str] = []
    m = _PLAN_REF.search(flow.text)
    if m:
        plan_title, cls = _plan_title_before(flow.text, m.start())
        if cls:
            plan_classes.append(cls)
    if plan_title is None:
        to_line = re.search(
            r"\b(?:to|of)\s+(?:the\s+)?((?:[A-Z0-9][\w&'’-]*\s+|of\s+|and\s+|to\s+|under\s+|pursuant\s+|for\s+)*?"
            r"(?:plan|agreement)\b(?:\s+(?:of|for|pursuant\s+to)\s+[A-Z0-9][\w&'’ -]*?)?)(?=\s*(?:\(|$|dated|effective))",
            title,
            re.I,
        )
        if to_line:
            plan_title = to_line.group(1).strip()
    for cls in V.find_classes(title):
        if cls not in plan_classes:
            plan_classes.append(cls)

    dates = _find_dates(flow, title_end)
    if dates.effective is None:
        diags.append(Diagnostic("warning", "no effective date found", None))

    # Rows: class defaults, registrant defaults, duplicates.
    class_default = plan_classes[0] if len(plan_classes) == 1 else None
    if class_default is None and len(parsed.classes_seen) == 1:
        class_default = parsed.classes_seen[0]
    if class_default is None and not parsed.classes_seen and len(parsed.prose_classes) == 1:
        class_default = parsed.prose_classes[0]
    rows: list[ScheduleRow] = []
    seen: set[tuple[str, str, str | None, str]] = set()
    for r in parsed.rows:
        row = ScheduleRow(
            fund=r.fund,
            registrant=r.registrant,
            share_class=r.share_class or class_default,
            distribution_fee=r.fees.get("distribution"),
            service_fee=r.fees.get("service"),
            aggregate_fee=r.fees.get("aggregate"),
            effective_date=r.effective,
            lines=(r.first, r.last),
        )
        key = (*row.key, str(row.total_rate), str(row.effective_date))
        if key in seen:
            diags.append(
                Diagnostic("info", f"{row.fund}: listed again (duplicate schedule), kept once", r.first)
            )
            continue
        seen.add(key)
        rows.append(row)

    # A single rate stated in prose applies to rows that state none.
    prose_values = {v for v, _ in parsed.prose_rates}
    if rows and all(r.total_rate is None for r in rows) and len(prose_values) == 1:
        value = prose_values.pop()
        rows = [ScheduleRow(**{**r.__dict__, "aggregate_fee": value}) for r in rows]
        diags.append(
            Diagnostic(
                "info", f"rate {value}% stated in prose applied to every row", parsed.prose_rates[0][1]
            )
        )

    operations: list[Operation] = []
    restated = re.search(
        r"\b(section\s+[\w.()]+)[^.]{0,80}?\b(?:is\s+)?(?:hereby\s+)?amended\s+and\s+restated\s+to\s+read\s+as\s+follows\s*:?\s*"
        r"[\"“](.+?)[\"”]",
        flow.text,
        re.I | re.S,
    )
    if restated:
        operations.append(
            Operation(
                "amend_text",
                section=restated.group(1).strip().rstrip(".").title().replace("Of", "of"),
                text=" ".join(restated.group(2).split()),
                lines=(flow.line_at(restated.start()), flow.line_at(restated.end())),
            )
        )
    if not rows:
        prose = re.search(
            rf"(?:rates?\s+of|at\s+an?\s+annual\s+rate\s+of|fee\s+of)\s+({V.RATE_IN_TEXT.pattern})[^.]{{0,80}}"
            r"(?:per\s+annum|average\s+daily\s+net\s+assets)",
            flow.text,
            re.I,
        )
        prose_rate = V.rate_value(prose.group(2)) if prose else None
        if prose and default_registrant and prose_rate is not None:
            line_no = flow.line_at(prose.start())
            rows.append(
                ScheduleRow(
                    fund=default_registrant,
                    registrant=default_registrant,
                    share_class=class_default,
                    aggregate_fee=prose_rate,
                    lines=(line_no, line_no),
                )
            )
            diags.append(
                Diagnostic("info", f"rate {prose_rate}% read from prose for {default_registrant}", line_no)
            )

    replaced = re.search(
        r"\b(schedule|appendix|exhibit|annex)\s+([A-Z]{1,2}|[IVX]{1,4}|\d{1,2})\b[^.]{0,80}?"
        r"\b(deleted|replaced|amended\s+and\s+restated|restated)\b",
        flow.text,
        re.I,
    )
    adds = _ADDS.search(flow.text)
    removes = _REMOVES.search(flow.text)
    label = parsed.label
    if replaced and label is None:
        label = f"{replaced.group(1).title()} {replaced.group(2).upper()}"
    replaces_entirely = True
    if (kind == "amendment" and rows and (parsed.label is not None or adds or removes)) or (
        replaced and rows
    ):
        if adds and not replaced:
            operations.append(Operation("add_rows", rows=tuple(rows)))
            replaces_entirely = False
        elif removes and not replaced:
            operations.append(Operation("remove_rows", rows=tuple(rows)))
            replaces_entirely = False
        else:
            operations.insert(0, Operation("replace_schedule", target=label or "Schedule A"))
    elif kind in ("schedule", "plan") and rows:
        operations.append(Operation("replace_schedule", target=label or "Schedule A"))
    elif rows and restated:
        operations.append(Operation("set_rates", rows=tuple(rows)))
        replaces_entirely = False

    schedule = None
    if rows or label:
        schedule = Schedule(
            label=label or "Schedule A",
            replaces_entirely=replaces_entirely,
            rows=tuple(rows),
            lines=(rows[0].lines[0], rows[-1].lines[1])
            if rows and rows[0].lines and rows[-1].lines
            else None,
        )
    if parsed.truncated:
        diags.append(
            Diagnostic("warning", "the document ends inside the schedule (truncated?)", doc.lines[-1].no)
        )
    if not rows:
        # Without a schedule or a restated plan section there is nothing to record.
        level: Level = "warning" if operations else "error"
        diags.append(Diagnostic(level, "no schedule rows found (no funds listed, no rate in prose)", None))

    for out_row in rows:
        if out_row.share_class is None and plan_classes:
            where = out_row.lines[0] if out_row.lines else None
            diags.append(Diagnostic("warning", f"{out_row.fund}: no share class", where))
    classes = list(plan_classes)
    for out_row in rows:
        if out_row.share_class and out_row.share_class not in classes:
            classes.append(out_row.share_class)
    return Instrument(
        source=Source(path=doc.path, sha256=doc.sha256),
        kind=kind,
        title=title,
        amendment_number=number if kind == "amendment" else None,
        plan=PlanRef(title=plan_title, share_classes=tuple(classes), dated=dates.plan_dated),
        effective_date=dates.effective,
        dated=dates.dated,
        operations=tuple(operations),
        schedule=schedule,
        signatories=tuple(_signatories(doc)),
        diagnostics=tuple(diags),
        effective_date_lines=(dates.effective_line, dates.effective_line) if dates.effective_line else None,
        dated_lines=(dates.dated_line, dates.dated_line) if dates.dated_line else None,
    )
