"""Saying when unsure: each row's confidence and flags, the document's confidence.

A value read as written in a table cell is confident. A value inherited from prose, guessed,
or missing lowers the row's confidence and names the reason in its flags, with a warning
diagnostic on its line so a reviewer sees where to look.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from distplan.model import Diagnostic, ScheduleRow

# What each reason costs. Below 0.9 a row is "doubtful" for review.
_COST = {
    "rate from prose": 0.15,
    "class inferred from prose": 0.2,
    "no share class": 0.3,
    "no rate stated": 0.3,
    "rate in prose not applied": 0.3,
    "cell unparsed": 0.4,
    "fund is the registrant": 0.1,
}


def row_confidence(flags: tuple[str, ...]) -> float:
    score = 1.0
    for flag in flags:
        score -= _COST.get(flag, 0.2)
    return round(max(score, 0.05), 2)


def inherit_rate(row: ScheduleRow, value: Decimal) -> ScheduleRow:
    """A rate stated once in prose applied to a row that states none."""
    return replace(row, aggregate_fee=value, flags=(*row.flags, "rate from prose"))


def flag(row: ScheduleRow, flag: str) -> ScheduleRow:
    return row if flag in row.flags else replace(row, flags=(*row.flags, flag))


def review(rows: list[ScheduleRow], speaks_of_classes: bool) -> tuple[list[ScheduleRow], list[Diagnostic]]:
    """Flag rows missing what the schedule should state; set every row's confidence."""
    diags: list[Diagnostic] = []
    out: list[ScheduleRow] = []
    # Where other rows state a rate, a row without one lost its cell (stacked, unparsed, a
    # heading read as a fund): doubtful, unless prose already explains the gap.
    any_rated = any(r.total_rate is not None for r in rows)
    for row in rows:
        where = row.lines[0] if row.lines else None
        # Substring tests first (each pattern needs its word, dash or digits): most names pass them.
        low = row.fund.lower()
        if ("class" in low or "ſ" in low) and _CLASS_SUFFIX.search(row.fund):  # long s is an s to re.I
            row = flag(row, "class left in the fund name")
        if ("amendment" in low or "plan" in low or _FOUR_DIGITS.search(row.fund)) and _DOCUMENT_NAME.search(
            row.fund
        ):
            row = flag(row, "fund name reads as a document name")
        if fragment_name(row.fund):
            row = flag(row, "fund name reads as a sentence fragment")
        if row.share_class is None and speaks_of_classes:
            row = flag(row, "no share class")
        if (
            any_rated
            and row.total_rate is None
            and not {"rate in prose not applied", "cell unparsed"} & set(row.flags)
        ):
            row = flag(row, "no rate stated")
        for reason in row.flags:
            diags.append(Diagnostic("warning", f"{row.fund}: {reason}", where))
        out.append(replace(row, confidence=row_confidence(row.flags)) if row.flags else row)
    return out, diags


# "Class A (other than Class A of the X Fund) 0.25%": a rate with named-fund exceptions.
_EXCEPTION = re.compile(r"\b(other than|except(?:ing)?|excluding)\b", re.I)
# A fund "name" that is a piece of a sentence: it starts with a class ("Class A of ..."), ends
# on a joining word ("... Fund and", "... of"), or leaves a parenthesis open or shut alone.
_FRAGMENT_END = re.compile(r"\b(of|and|or|the|for|to|than)\W*$", re.I)
_CLASS_LEAD = re.compile(r"^\W*class\b", re.I)
# "2020.04.17-AEF-Service Plan - Amendment No. 1": a file name or title line, not a fund.
_DOCUMENT_NAME = re.compile(r"\d{4}[._/-]\d{1,2}[._/-]\d{1,2}|\bamendment\s+no\b|\bplan\s*\(", re.I)
# "X Fund – Class B (reim)": the class suffix was not taken off the name.
_FOUR_DIGITS = re.compile(r"\d{4}")  # what the dated file-name branch of _DOCUMENT_NAME needs
_CLASS_SUFFIX = re.compile(r"\s[-–—]\s*class\s+\S+", re.I)


def exceptions_in_schedule(rows: list[ScheduleRow], texts: dict[int, str]) -> list[ScheduleRow]:
    """Where the schedule's own lines name exceptions to a rate, the rows may not have applied them:
    the extractor reads rates per row or per class, not "except for these funds"."""
    spans = [r.lines for r in rows if r.lines]
    if not spans:
        return rows
    first, last = min(a for a, _ in spans), max(b for _, b in spans)
    if not any(_EXCEPTION.search(texts.get(no, "")) for no in range(first, last + 1)):
        return rows
    return [flag(r, "rate exception named in the schedule") for r in rows]


def fragment_name(fund: str) -> bool:
    return bool(_CLASS_LEAD.match(fund) or _ends_on_joining_word(fund) or fund.count("(") != fund.count(")"))


def _ends_on_joining_word(text: str) -> bool:
    """`_FRAGMENT_END.search(text)`, tried only where its word can start: right before the trailing
    non-word characters (str.isalnum is the alphanumeric part of \\w), at most four letters back."""
    end = len(text)
    while end and not (text[end - 1].isalnum() or text[end - 1] == "_"):
        end -= 1
    return _FRAGMENT_END.search(text, max(0, end - 4)) is not None


def document_confidence(rows: list[ScheduleRow], diags: list[Diagnostic]) -> float:
    """The least confident row, lower still when the document raised warnings of its own."""
    if not rows or any(d.level == "error" for d in diags):
        return 0.0
    score = min(r.confidence for r in rows)
    if any(d.level == "warning" and "truncated" in d.message for d in diags):
        score = min(score, 0.8)
    return score
