"""Class rate clauses: a table whose rows are share classes, not funds, each with its rate, some
naming the funds they are for or the funds they exclude:

    Class A (other than Class A of X Fund and Y Fund)    0.25%
    Class A of X Fund                                     0.15%
    Class C and Class C2 of Y Fund                        0.50%

A clause's label may wrap over several lines. A clause that names funds gives rows for those funds;
one that does not is the class's rate for every listed fund it does not except (`apply_clauses`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from distplan.documents import values as V
from distplan.documents.layout import Line
from distplan.documents.names import FUND_END, fold, fund_list
from distplan.model import ScheduleRow

_CLASS_LEAD = re.compile(r"^class\s+[A-Z0-9]", re.I)
_RATE_CELL = re.compile(r"^\s*(\d{0,2}\.\d+|\d{1,2})\s*%\s*[*†‡]?\s*$")
# "0.25", "0.25%", "1%" (a whole number only with its sign: a bare "1" is a footnote or a page)
_RATE_ALONE = re.compile(r"^\s*(?:(\d{0,2}\.\d+)\s*%?|(\d{1,2})\s*%)\s*[*†‡]?\s*$")
_CLASSES = re.compile(r"^((?:class\s+[A-Z]{1,3}\d{0,2}(?:\s*(?:,|and|&|or)\s*)?)+)\s*(.*)$", re.I)
_EXCEPT = re.compile(r"\(\s*(?:other\s+than|except(?:\s+for)?|excluding)\s+([^()]*)\)", re.I)
_OF = re.compile(r"^of\s+(.+)$", re.I | re.S)
_JOIN_END = re.compile(r"(?:\b(?:of|and|or|the)|[,&(])\s*$", re.I)
_LEAD_CLASS_OF = re.compile(r"^(?:class\s+[A-Z]{1,3}\d{0,2}\s*(?:(?:,|and|&)\s*)?)+of\s+", re.I)


@dataclass(frozen=True)
class Clause:
    classes: tuple[str, ...]
    rate: Decimal
    funds: tuple[str, ...]  # the funds the clause is for; () = every fund of the class
    excepted: frozenset[str]  # folded names of the funds it excludes
    lines: tuple[int, int]


def _clause_head(line: Line) -> tuple[str, Decimal] | None:
    """A line that opens a clause: a class label first, a rate last."""
    if len(line.cells) < 2 or not _CLASS_LEAD.match(line.cells[0].text):
        return None
    m = _RATE_CELL.match(line.cells[-1].text)
    value = V.rate_value(m.group(1)) if m else None
    if value is None:
        return None
    return " ".join(c.text for c in line.cells[:-1]), value


def _unfinished(label: str) -> bool:
    if label.count("(") > label.count(")") or _JOIN_END.search(label):
        return True
    # "Class A of Pioneer Multi-Asset": the fund list of an "of" clause stops mid-name.
    rest = _CLASSES.match(label)
    return bool(rest and _OF.match(rest.group(2)) and not FUND_END.search(label))


def _parse(label: str, rate: Decimal, lines: tuple[int, int]) -> Clause | None:
    m = _CLASSES.match(label)
    if m is None:
        return None
    classes = tuple(V.find_classes(m.group(1)))
    rest = m.group(2).strip()
    excepted: set[str] = set()
    for ex in _EXCEPT.finditer(rest):
        excepted.update(fold(f) for f in fund_list(_LEAD_CLASS_OF.sub("", ex.group(1).strip())))
    rest = _EXCEPT.sub(" ", rest).strip()
    of = _OF.match(rest)
    funds = tuple(fund_list(of.group(1))) if of else ()
    if not classes or (of and not funds) or (rest and not of):
        return None
    return Clause(classes, rate, funds, frozenset(excepted), lines)


def _rate_only(line: Line) -> Decimal | None:
    """A line that is only a rate: "0.25%", or "0.25" with its "%" on the next line (text from HTML)."""
    if len(line.cells) != 1:
        return None
    m = _RATE_ALONE.match(line.cells[0].text)
    return V.rate_value(m.group(1) or m.group(2)) if m else None


def read_clauses(lines: tuple[Line, ...]) -> tuple[list[Clause], set[int]]:
    """The class rate clauses of the document and the source lines they take up. Only a run of
    clauses at least one of which names funds is read here; plain class rate lines ("Class A |
    0.25%") are the row reader's. The rate is the label's last cell, or (text from HTML, one cell
    a line) the line after the label."""
    clauses: list[Clause] = []
    used: set[int] = set()
    i = 0
    while i < len(lines):
        cells = lines[i].cells
        if not cells or not _CLASS_LEAD.match(cells[0].text):
            i += 1  # speed guard (xspeed): a clause head and a class alone both open with "Class X"
            continue
        head = _clause_head(lines[i])
        alone = head is None and len(lines[i].cells) == 1 and bool(_CLASS_LEAD.match(lines[i].text))
        if head is None and not alone:
            i += 1
            continue
        label, rate = head if head is not None else (lines[i].text, None)
        first = last = lines[i].no
        i += 1
        while (
            i < len(lines)
            and len(lines[i].cells) == 1
            and _clause_head(lines[i]) is None
            and _rate_only(lines[i]) is None
        ):
            nxt = lines[i].text
            if not (_unfinished(label) or nxt[:1] in "(" or nxt[:1].islower()):
                break
            label, last = f"{label} {nxt}", lines[i].no
            i += 1
        if rate is None:
            rate = _rate_only(lines[i]) if i < len(lines) else None
            if rate is None:
                continue  # a class named alone, no rate after it: not a clause
            last = lines[i].no
            i += 1
            if i < len(lines) and V.PCT_ONLY.match(lines[i].text):
                last = lines[i].no  # "0.25" / "%"
                i += 1
        clause = _parse(label, rate, (first, last))
        if clause is not None:
            clauses.append(clause)
            used.update(range(first, last + 1))
    if not any(c.funds or c.excepted for c in clauses):
        return [], set()
    return clauses, used


def apply_clauses(
    rows: list[ScheduleRow], clauses: list[Clause], registrant: str | None
) -> list[ScheduleRow]:
    """The clauses' own rows first, then each listed fund with each class's general rate (a fund
    listed without a class takes every class the clauses rate), except where a clause excludes it."""
    if not clauses:
        return rows
    out = [
        ScheduleRow(fund=f, registrant=registrant, share_class=c, aggregate_fee=cl.rate, lines=cl.lines)
        for cl in clauses
        for f in cl.funds
        for c in cl.classes
    ]
    named = {(fold(r.fund), r.share_class) for r in out}  # a fund's own clause outranks the general one
    general: dict[str, Clause] = {}
    for cl in clauses:
        if not cl.funds:
            for c in cl.classes:
                general.setdefault(c, cl)
    for row in rows:
        if row.total_rate is not None:
            out.append(row)
            continue
        classes = [row.share_class] if row.share_class else list(general)
        for c in classes:
            found = general.get(c)
            if found is None or fold(row.fund) in found.excepted or (fold(row.fund), c) in named:
                if row.share_class:
                    out.append(row)
                continue
            flags = row.flags if row.share_class else (*row.flags, "class from the class rate table")
            out.append(replace(row, share_class=c, aggregate_fee=found.rate, flags=flags))
    return out
