"""The document's scope: the registrant, share class and class-level rates stated once (title,
headings, column headers, prose) and inherited by the rows that do not state them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from distplan.documents.flow import Flow
from distplan.documents.layout import Line
from distplan.documents.names import CORP_SUFFIX, JOINT_PLAN, clean_name, is_caps


def default_registrant(flow: Flow, title_lines: tuple[Line, ...]) -> str | None:
    """The registrant named in prose ("series of The Victory Portfolios", "of AIM Summit Fund
    (the "Trust")") or a registrant-looking title line."""
    found: str | None = None
    # Speed guard (xspeed): each pattern needs a word most texts lack; without it, no scan.
    defined = flow.text if any(d in flow.text for d in _DEFINED) else ""
    # 'X Fund (the "Fund") of Y (the "Trust")': the trust, where one is defined, is the registrant.
    trust = _DEFINED_TRUST.search(defined) or _DEFINED_FUND.search(defined)
    series = re.search(
        r"\bseries\s+of\s+(?:the\s+)?((?:The\s+)?[A-Z][\w&.'’-]*(?:\s+[A-Z&][\w&.'’-]*){0,8})",
        flow.text if "series" in flow.text else "",
    )
    # "a series of the Trust. The Plan ...": the name ends with its sentence.
    named = re.split(r"\.\s", series.group(1))[0].strip().rstrip(".,:;") if series else None
    if named and _GENERIC.fullmatch(named) and trust:
        named = None  # "series of the Trust" after 'X (the "Trust")': X names it
    if named:
        found = named
    elif trust:
        found = trust.group(1).strip().rstrip(",")
    for k, line in enumerate(title_lines):
        text = clean_name(line.text)
        if is_caps(text) and CORP_SUFFIX.search(text) and not re.search(r"\bplan\b", text, re.I):
            if k + 1 < len(title_lines) and JOINT_PLAN.search(title_lines[k + 1].text):
                continue  # "XYZ FUNDS" over a joint plan of several trusts: a family, not a registrant
            found = found or text
    # "series of the Trust" names no one: a generic reference is not a registrant.
    if found and _GENERIC.fullmatch(found):
        return None
    return found


# '(the "Trust")': the trust pattern needs one of these words right before a quote.
_DEFINED = tuple(w + q for w in ("Trust", "Company", "Corporation", "Registrant", "Fund") for q in "\"“”'")
# Words that name no one: "series of the Trust", "series of Shares (“Series”)".
_DEFINED_NAME = (
    # "... series of X (the "Trust")", or a sentence opening with it ("1. X (the "Trust") has ...")
    # ("by and between X (the "Trust")", "WHEREAS, X, a Delaware statutory trust (the "Trust")")
    r"(?:\b(?:of|by|between)\s+(?:the\s+)?|(?<![\w,.])\d{1,2}\.\s+|[.:;]\s+|\bWHEREAS,?\s+)"
    r"((?:[A-Z][\w&.,'’-]*\s+(?:for\s+)?){0,8}?[A-Z][\w&.'’-]*)\s*,?\s*(?:an?\s+[A-Z][a-z]+(?:\s+[a-z]+){1,3}\s*)?"
    r"\(\s*(?:the\s+)?[\"“”']{1,2}"
)
_DEFINED_TRUST = re.compile(_DEFINED_NAME + r"(Trust|Company|Corporation|Registrant)[\"“”']{1,2}\s*\)")
_DEFINED_FUND = re.compile(_DEFINED_NAME + r"(Fund)[\"“”']{1,2}\s*\)")
_GENERIC = re.compile(r"(?:the\s+)?(?:trust|company|corporation|fund|registrant|shares?|series)", re.I)


@dataclass(frozen=True)
class ClassScope:
    """The share class the whole schedule is about, and where that was read."""

    share_class: str | None
    source: str  # "title", "table", "prose" or "" (none)


def class_scope(
    plan_classes: tuple[str, ...], table_classes: list[str], prose_classes: list[str]
) -> ClassScope:
    if len(plan_classes) == 1:
        return ClassScope(plan_classes[0], "title")
    if len(table_classes) == 1:
        return ClassScope(table_classes[0], "table")
    if not table_classes and len(prose_classes) == 1:
        return ClassScope(prose_classes[0], "prose")
    return ClassScope(None, "")


@dataclass(frozen=True)
class ProseRate:
    value: Decimal
    line: int
    current: bool  # "the current authorized maximum ... is 0.25%": below the plan maximum


def prose_rate(rates: list[ProseRate]) -> ProseRate | None:
    """One rate stated in prose for all funds: the plan maximum where a lower currently authorized
    rate is also stated; several different maxima: none applies to all."""
    maxima = [r for r in rates if not r.current] or rates
    if len({r.value for r in maxima}) == 1:
        return maxima[0]
    return None
