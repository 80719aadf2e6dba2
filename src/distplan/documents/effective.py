"""The document's effective date, by the labelling rules' precedence (tests/corpus/README.md):

1. "effective <date>", "Effective: <date>", "is hereby amended, [dated] <date>";
2. "as of <date>" ("Amended and Restated as of", "Current as of");
3. the latest "amended / revised / last updated / as last revised" date;
4. "Dated: <date>", or a bare date printed under the title or after the schedule;
5. none (a warning).

Never used: the plan's own date (a date attached to the plan's name: '(the "Plan"), dated as of
July 1, 2003'), per-fund dates (footnotes, table rows, an "Effective Date" column), and dates in
footnotes. A tier-3/4 date is flagged: it is a weaker reading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from distplan.documents import values as V
from distplan.documents.flow import Flow
from distplan.documents.layout import Document, Line, is_sentence
from distplan.documents.scan import Scan
from distplan.model import Diagnostic

_DATE = V.ANY_DATE.pattern
# "September 23, 20201": a footnote marker glued to the year (replaced by spaces: offsets kept).
_GLUED_MARKER = re.compile(
    r"(\b[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d)(\d{1,2})(?!\d)"
)
_FIVE_DIGITS = re.compile(r"(?:19|20)\d{3}")
_EFFECTIVE = re.compile(
    r"\beffective(?:\s+as\s+of|\s+(?:on|from))?(?:\s+the\s+close\s+of\s+business(?:\s+on)?)?"
    rf"(?:\s+date(?:\s+of\s+this\s+\w+)?\s*(?::|is|shall\s+be))?\s*:?\s*(?:the\s+)?(?:{_DATE})",
    re.I,
)
_HEREBY_AMENDED = re.compile(rf"\bhereby\s+amended\s*,?\s*(?:dated\s+)?(?:as\s+of\s+)?(?:{_DATE})", re.I)
# "as of the 5th day of July, 2018": the ordinal-day form takes "the".
_AS_OF = re.compile(rf"\bas\s+of\s*:?\s*(?:the\s+)?(?:{_DATE})", re.I)
_AMENDED_ON = re.compile(
    r"\b(?:amended\s+and\s+restated|amended|revised|updated|restated)"
    r"(?:\s+(?:on|through|effective|by\s+the\s+board\s+of\s+(?:trustees|directors)))?\s*:?\s*"
    rf"(?:{_DATE})",
    re.I,
)
_DATED_LABEL = re.compile(rf"^\W*(?:dated?)\s*(?:as\s+of\s*)?:?\s*(?:{_DATE})", re.I)
_DATED_INLINE = re.compile(rf"\b(dated|executed)\s*(?:as\s+of\s*)?(:)?\s*(?:{_DATE})", re.I)
_DATE_LABEL = re.compile(rf"^\W*date\s*:\s*(?:{_DATE})", re.I)
# What both label patterns begin with; unglue() changes no letter before it, so the raw text will do.
_DATE_WORD_LEAD = re.compile(r"^\W*date", re.I)
_DATED_WORD = re.compile(r"^\W*dated\b", re.I)
_DATED_LEAD = re.compile(r"^dated?\b", re.I)
_BARE = re.compile(rf"^[\W_]*(?:{_DATE})[\W_]*$", re.I)
# A defined plan name or a plan named just before: the date that follows is the plan's own.
_PLAN_NAME = re.compile(
    r"(?:\(\s*(?:the\s+)?[\"“”']{1,2}[^\"“”'()]{0,40}(?:plan|agreement)[\"“”']{1,2}\s*\)"
    r"|\b(?:plan|agreement)(?:\s*\([^()]{0,30}\))?)",
    re.I,
)
# Between the plan's name and its date: nothing, a parenthetical, or 'of X (the "Trust")';
# "PLAN AND AGREEMENT made as of March 23, 2006" is the plan's own date too.
_OWN_GAP = re.compile(
    r"^[\s,]*(?:\([^()]{0,60}\)[\s,]*)*(?:(?:of|adopted\s+by)\s+[^.;()]{1,100}\(\s*the\s+[\"“”'][^\"“”']{1,30}[\"“”']\s*\)[\s,]*)?(?:(?:dated|made|entered\s+into)\s*)?$",
    re.I,
)
_FUNDISH = re.compile(r"\b(funds?|portfolios?|etfs?)\b", re.I)
_DATE_COLUMN = re.compile(r"\b(dates?|adopted|adoption|inception|commencement)\b|^effective$", re.I)
# Cheap tests first: a marker's first character (or a digit: str.isdecimal is \d), and what every
# reference holds (its bracket or star, or a digit right after a letter).
_MARKER_FIRST = "([*†‡"
_REFERRING = re.compile(r"[(\[*†‡]|[A-Za-z%]\d")
_MARKER_ONLY = re.compile(r"^\s*(\(\d{1,2}\)|\[\d{1,2}\]|\d{1,2}|[*†‡]+)\s*$")
_MARKER_LEAD = re.compile(r"^\s*(\(\d{1,2}\)|\[\d{1,2}\]|[*†‡]+|\d{1,2}(?=[A-Z][a-z]))\s*\S")
_REFERENCE = re.compile(r"(?<=\S) ?(\(\d{1,2}\)|\[\d{1,2}\]|[*†‡]+)|(?<=[A-Za-z%])(\d{1,2})\b")
# Each tier's patterns with the words every match of it begins with (`Scan.finditer`).
_TIERED: tuple[tuple[int, re.Pattern[str], tuple[str, ...]], ...] = (
    (1, _EFFECTIVE, ("effective",)),
    (1, _HEREBY_AMENDED, ("hereby",)),
    (2, _AS_OF, ("as",)),
    (3, _AMENDED_ON, ("amended", "revised", "updated", "restated")),
)
TIER_NAMES = {
    1: "an 'effective' date",
    2: "an 'as of' date",
    3: "the latest amended/revised date",
    4: "a 'Dated' or bare date",
}


def unglue(text: str) -> str:
    """Drop a footnote marker glued to a year ("20201" -> "2020 "), keeping every offset."""
    if "19" not in text and "20" not in text:
        return text  # no year, nothing glued to one (most lines: checked before the regex)
    if len(text) > 200 and not _FIVE_DIGITS.search(text):
        return text  # a long text (the whole flow): a year with a digit glued needs five in a row
    return _GLUED_MARKER.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)


@dataclass(frozen=True)
class DateFinding:
    value: date | None
    line: int | None = None
    tier: int | None = None
    flags: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class DocumentDates:
    effective: DateFinding
    dated: date | None
    dated_line: int | None
    plan_dated: date | None


@dataclass(frozen=True)
class _Hit:
    tier: int
    value: date
    line: int
    own_plan: bool = False
    pos: int = 0  # where in the text: "first stated" is by position


def footnote_lines(lines: Sequence[Line]) -> set[int]:
    """Lines of footnotes: a marker ("(1)", "*", "1" glued to a word) that the text above uses."""
    out: set[int] = set()
    used_markers: set[str] = set()  # markers the text has used so far ("Fund(1)", "0.35%*", "Fund1")
    previous_marker: str | None = None
    in_note = False
    for line in lines:
        text = line.text
        # Both start with a marker ("(1)", "[2]", "1", "*"): most lines start otherwise.
        first = text.lstrip()[:1]
        marked = first != "" and (first in _MARKER_FIRST or first.isdecimal())
        only = _MARKER_ONLY.match(text) if marked else None
        lead = _MARKER_LEAD.match(text) if marked else None
        marker = lead.group(1) if lead else previous_marker
        used = marker is not None and marker in used_markers
        if only:
            previous_marker = only.group(1)
        elif (lead or previous_marker) and used:
            out.add(line.no)
            in_note, previous_marker = True, None
        elif in_note and text[:1].islower():
            out.add(line.no)  # a footnote continued on the next line
        else:
            in_note, previous_marker = False, None
        if not only and _REFERRING.search(text):
            used_markers.update(m.group(1) or m.group(2) for m in _REFERENCE.finditer(text))
    return out


def _has_date_column(lines: Sequence[Line], scan: Scan) -> bool:
    if not scan.mentions("date", "adopt", "inception", "commencement", "effective"):
        return False  # no cell can name a date column
    for line in lines:
        for cell in line.cells:
            text = cell.text.strip(" |*:")
            if (
                len(text) <= 60
                and _DATE_COLUMN.search(text)
                and not V.find_dates(text)
                and not _DATED_LEAD.match(text)
                and not is_sentence(text)
            ):
                return True
    return False


def find_dates(
    doc: Document, flow: Flow, title: Sequence[Line], under_title: Sequence[Line], kind: str
) -> DocumentDates:
    text = unglue(flow.text)
    notes = footnote_lines(doc.lines)
    by_no: dict[int, list[Line]] = {}
    for line in doc.lines:
        by_no.setdefault(line.no, []).append(line)
    title_nos = {line.no for line in (*title, *under_title)}

    def own_plan(start: int) -> bool:
        before = text[max(0, start - 160) : start]
        names = list(_PLAN_NAME.finditer(before))
        return bool(names) and bool(_OWN_GAP.match(before[names[-1].end() :]))

    def per_fund(no: int) -> bool:
        # A table row or a fund's own cell ("Acme Fund (effective May 1, 2020)"), not prose.
        if no in notes:
            return True
        if no in title_nos:
            return False
        return any(
            (len(line.cells) > 1 and any(_FUNDISH.search(c.text) or "%" in c.text for c in line.cells))
            or (not is_sentence(line.text) and _FUNDISH.search(line.text))
            for line in by_no.get(no, ())
        )

    under = {line.no for line in under_title}
    under_dated = {line.no for line in under_title if _DATED_WORD.match(line.text)}
    hits: list[_Hit] = []
    scan = Scan(text)
    for tier, pattern, starts in _TIERED:
        for m in scan.finditer(pattern, *starts):
            found = V.find_dates(m.group(0))
            if not found:
                continue
            no = flow.line_at(m.start() + found[0][1])
            if per_fund(no) or (no in title_nos and no not in under) or no in under_dated:
                continue
            if no in under:
                # A date line under the title dates the document, unless it is the plan itself;
                # a plan's "As amended June 22, 2011" dates its latest amendment, not the plan.
                own = kind == "plan" and tier != 3
            else:
                own = own_plan(m.start()) and not (tier == 1 and ":" in m.group(0)[:20])
            hits.append(_Hit(tier, found[0][0], no, own, m.start()))

    dated: list[_Hit] = []
    for m in scan.finditer(_DATED_INLINE, "dated", "executed"):
        found = V.find_dates(m.group(0))
        no = flow.line_at(m.start())
        if found and no not in notes and no not in title_nos:
            dated.append(_Hit(4, found[0][0], no, own_plan(m.start()), m.start()))
    for line in doc.lines if scan.mentions("date") else ():
        if line.no in notes or line.no in title_nos or not _DATE_WORD_LEAD.match(line.text):
            continue
        plain = unglue(line.text)
        if _DATED_LABEL.match(plain) or _DATE_LABEL.match(plain):
            found = V.find_dates(plain)
            if found:
                dated.append(_Hit(4, found[0][0], line.no))

    plan_named = bool(re.search(r"\b(plan|agreement)\b", " ".join(t.text for t in title), re.I))
    for line in under_title:
        found = V.find_dates(unglue(line.text))
        if not found or any(h.line == line.no for h in hits):
            continue
        # "DISTRIBUTION PLAN ... DATED FEBRUARY 26, 2002": perhaps the plan's own date, perhaps the
        # schedule's; a weak reading of the schedule's date (flagged) and the plan's date.
        is_dated = bool(_DATED_WORD.match(line.text))
        if kind == "plan" or (is_dated and plan_named):
            hits.append(_Hit(4, found[0][0], line.no, own_plan=True))
        if kind != "plan":
            hits.append(_Hit(4, found[0][0], line.no))
    if not _has_date_column(doc.lines, scan):
        skip = notes | title_nos
        for line in doc.lines:
            if len(line.cells) != 1 or line.no in skip:
                continue
            plain = unglue(line.text)
            if _BARE.match(plain):
                found = V.find_dates(plain)
                if found:
                    hits.append(_Hit(4, found[0][0], line.no))

    owned = sorted((h for h in [*hits, *dated] if h.own_plan), key=lambda h: (h.line, h.pos))
    plan_dated = owned[0].value if owned else None
    own_dated = [h for h in dated if not h.own_plan]
    effective = _choose([h for h in hits if not h.own_plan] + own_dated)
    last_dated = own_dated[-1] if own_dated else None
    return DocumentDates(
        effective=effective,
        dated=last_dated.value if last_dated else None,
        dated_line=last_dated.line if last_dated else None,
        plan_dated=plan_dated,
    )


def _choose(hits: list[_Hit]) -> DateFinding:
    for tier in (1, 2, 3, 4):
        group = sorted((h for h in hits if h.tier == tier), key=lambda h: (h.line, h.pos))
        if not group:
            continue
        # Tiers 1-2: the first stated (the opening or the title); tiers 3-4: the latest.
        chosen = group[0] if tier <= 2 else max(group, key=lambda h: (h.value, h.line))
        flags: list[str] = []
        diags: list[Diagnostic] = []
        others = sorted({h.value for h in group if h.value != chosen.value})
        if others and tier <= 2:
            also = ", ".join(d.isoformat() for d in others)
            flags.append("several effective dates")
            diags.append(
                Diagnostic("warning", f"effective date: took the first stated; also {also}", chosen.line)
            )
        if tier >= 3:
            why = f"effective date from {TIER_NAMES[tier]} (no 'effective' or 'as of' date)"
            flags.append(
                "effective date from " + ("amended/revised date" if tier == 3 else "Dated/bare date")
            )
            diags.append(Diagnostic("info" if tier == 3 else "warning", why, chosen.line))
        return DateFinding(chosen.value, chosen.line, tier, tuple(flags), tuple(diags))
    why = "no effective date found"
    return DateFinding(None, None, None, ("no effective date",), (Diagnostic("warning", why, None),))
