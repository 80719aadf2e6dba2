"""Document-level facts: title, kind, amendment number, the plan referred to, dates, signatories.

(Owned by the document-metadata work; rows and tables live in the other stages.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from distplan.documents import values as V
from distplan.documents.flow import Flow
from distplan.documents.headers import header_fields
from distplan.documents.layout import Document, Line, is_sentence
from distplan.documents.names import (
    CORP_SUFFIX,
    EXHIBIT_INDEX,
    HEADING,
    ORG_WORD,
    QUOTES,
    clean_name,
    is_caps,
    words,
)
from distplan.model import Kind

_PLAN_REF = re.compile(r"\(\s*(?:the\s+)?[\"“”']{1,2}(?:[A-Z][a-z]+\s+)?Plan[\"“”']{1,2}\s*\)", re.I)
_CONNECTORS = frozenset({"of", "and", "to", "pursuant", "under", "for", "&"})


def plan_title_before(text: str, end: int) -> tuple[str | None, str | None]:
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
class Dates:
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


def find_dates(flow: Flow, title_end: int) -> Dates:
    text = flow.text
    out = Dates()

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


def signatories(doc: Document) -> list[str]:
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
            name = clean_name(cell.text)
            if ":" in name or name.startswith("/s/") or not name:
                continue
            entity = (is_caps(name) and ORG_WORD.search(name) and len(words(name)) >= 2) or (
                CORP_SUFFIX.search(name) and re.search(r",?\s+(inc|corp|llc|l\.p)\b", name, re.I)
            )
            if entity and name not in found:
                found.append(name)
    return found


def title_block(doc: Document) -> list[Line]:
    block: list[Line] = []
    for line in doc.lines[:14]:
        text = line.text.strip()
        if not block and (EXHIBIT_INDEX.match(text) or re.match(r"^form\s+of\s*$", text, re.I)):
            continue
        if is_sentence(text) or len(line.cells) > 1 or len(block) >= 9:
            break
        if block and (
            header_fields(text) is not None or (V.find_dates(text) and not re.match(r"^dated\b", text, re.I))
        ):
            break
        block.append(line)
    return block


@dataclass(frozen=True)
class Meta:
    title: str
    title_lines: tuple[Line, ...]
    kind: Kind
    amendment_number: int | None
    plan_title: str | None
    plan_classes: tuple[str, ...]
    dates: Dates
    signatories: tuple[str, ...]


def document_kind(title: str, first_title: str, number: int | None) -> Kind:
    if number is not None or re.match(r"^(\w+\s+)?amendment\b", title, re.I):
        return "amendment"
    if HEADING.match(first_title) or re.match(r"^(fee\s+)?schedule\b", first_title, re.I):
        return "schedule"
    if re.search(r"\bplan\b", title, re.I):
        return "plan"
    return "schedule"


def read_meta(doc: Document, flow: Flow) -> Meta:
    """Title, kind, amendment number, plan reference and dates of one document."""
    lines = title_block(doc)
    title = " ".join(" ".join(line.text.split()) for line in lines).strip(QUOTES + " ")
    title_end = len(" ".join(line.text for line in lines)) + 1
    head = " ".join(line.text for line in doc.lines[:12])
    number = V.amendment_number(title) or V.amendment_number(head[:400])
    first_title = lines[0].text.strip(QUOTES + " ") if lines else ""
    # A title block whose own line is "SCHEDULE A" (after the trust and plan names) is a schedule.
    for line in lines[1:]:
        if HEADING.match(line.text.strip(QUOTES + " ")) and not HEADING.match(first_title):
            first_title = line.text.strip(QUOTES + " ")
            break
    kind = document_kind(title, first_title, number)

    plan_title: str | None = None
    plan_classes: list[str] = []
    m = _PLAN_REF.search(flow.text)
    if m:
        plan_title, cls = plan_title_before(flow.text, m.start())
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
    return Meta(
        title=title,
        title_lines=tuple(lines),
        kind=kind,
        amendment_number=number if kind == "amendment" else None,
        plan_title=plan_title,
        plan_classes=tuple(plan_classes),
        dates=find_dates(flow, title_end),
        signatories=tuple(signatories(doc)),
    )
