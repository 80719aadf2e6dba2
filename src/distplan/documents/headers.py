"""Column headers: which schedule field a header cell names."""

from __future__ import annotations

import re

from distplan.documents import values as V
from distplan.documents.names import words

HEADER_WORDS = frozenset(
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
        "combined",
        "limitation",
        "amount",
    ]
)
_FEE_DIST = re.compile(r"\b(asset[- ]based|sales\s+charge|sales|charge|distribution)\b", re.I)
_FEE_SERV = re.compile(r"\b(service|services|servicing)\b", re.I)
_FEE_AGG = re.compile(r"\b(aggregate|total|12b-1|rates?)\b", re.I)
_FEE_GENERIC = re.compile(r"\bfees?\b", re.I)
_FUND_COL = re.compile(r"\b(funds?|portfolios?|series)\b", re.I)
_REG_COL = re.compile(
    r"\b(registered investment compan(y|ies)|registrants?)\b|^(the\s+)?(trust|company)$", re.I
)
_DATE_COL = re.compile(r"\bdates?\b", re.I)
_EFFECTIVE_COL = re.compile(r"\b(effective|adoption|adopted|commencement)\b", re.I)


# Date columns that are not the row's effective date ("Termination Date" beside "Effective Date").
_OTHER_DATE_COL = re.compile(
    r"^(?:termination|expiration|expiry|inception|renewal|launch|approval|initial\s+term\s+end)\s+dates?$",
    re.I,
)
# "Plan of Distribution of Class 2 Shares" above a table: a caption naming the plan (and the class
# of the table below), not a fee column.
_PLAN_CAPTION = re.compile(r"^(?:the\s+)?plan\s+(?:of|for|pursuant)\b", re.I)


def header_fields(text: str) -> tuple[str, ...] | None:
    """The fields a column-header cell names, or None when the cell is not a header."""
    if _OTHER_DATE_COL.match(text.strip()):
        return ("other",)
    if _PLAN_CAPTION.match(text.strip()):
        return ()
    bare = V.CLASS_AFTER.sub(" ", text)
    found = [w.lower().strip("'’") for w in words(bare) if not (w.isdigit() and len(w) <= 2)]
    if not found or not all(w in HEADER_WORDS for w in found):
        return None
    low = text.lower()
    if re.search(r"\b(plan|agreement)\s*\)?(\s*\([^()]*\))?$", low) and not re.search(r"\b(fund|date)", low):
        return None  # a plan's title, "... SERVICE PLAN (COMPENSATION)" too
    if re.match(r"^to\s+the\b", low):
        return None  # "TO THE DISTRIBUTION AND" / "SERVICE PLAN": a title wrapped, not a column
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
    elif _FUND_COL.search(low) and re.search(r"\b(new|former|old|prior|previous)\b", low):
        fields.append("renamed")  # FUND NAME / NEW FUND NAME: a rename table, not schedule rows
    elif _FUND_COL.search(low) and "registrant" not in fields:
        fields.append("fund")
    elif re.search(r"\bclass(es)?\b", low) and not V.CLASS_AFTER.search(text):
        fields.append("class")
    if _FUND_COL.search(low) and "fund" not in fields and not fields:
        fields.append("fund")
    return tuple(fields)


def value_columns(zone: list[str]) -> list[str]:
    """The value columns, in order, that a run of header cells names (their fields in `zone`): fee
    columns, a date column, one column per class of a fund x class matrix."""
    class_cols = [f for f in zone if f.startswith("class:")]
    specific = [f for f in zone if f in ("distribution", "service", "aggregate", "effective_date", "other")]
    if class_cols:
        # A fund x class matrix: one rate per class column (its fee type is the aggregate).
        specific = class_cols + [f for f in specific if f in ("effective_date", "other")]
    if "fee" in zone and not any(f in ("distribution", "service", "aggregate") for f in specific):
        specific = [
            ("aggregate" if f == "fee" else f) for f in zone if f in ("fee", "effective_date", "other")
        ]
    return list(dict.fromkeys(specific))
