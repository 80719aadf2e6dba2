"""Document-level fields: title, kind, amendment number, the plan referred to, dates, signatories.

Each field is a plain function over the document's lines returning the value, the source lines
it was read from and diagnostics; `read_meta` runs them all. The rules are those of the corpus
labelling (tests/corpus/README.md): the kind comes from the title ("Amendment No. 2 to ...",
"Schedule A to ...", the plan itself), the amendment number only from "Amendment No. N", and the
effective date by a fixed precedence (`documents/effective.py`). Nothing here knows a fund family.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from distplan.documents import values as V
from distplan.documents.effective import DateFinding, DocumentDates, find_dates, unglue
from distplan.documents.flow import Flow
from distplan.documents.layout import Document, Line, is_sentence
from distplan.documents.names import CORP_SUFFIX, ORG_WORD, QUOTES, clean_name, is_caps, words
from distplan.model import Diagnostic, Kind, PlanRef

# Exhibit-index lines printed above the title: "Exhibit (m)(2)", "EX-99.(m)(ii)", "(m)(1)(i)",
# "Exhibit 99.B(m)(4)(b)", "Exhibit M(2)" -- never "Exhibit A", which is a schedule's own heading.
_EXHIBIT_INDEX = re.compile(
    r"^(?:ex-|ex(?:hibit)?[-.\s]*\d|ex(?:hibit)?[-.\s]*\(|exhibit\s+[a-z]{1,2}\s*\(|\(?[a-z]{1,4}\)\s*\()",
    re.I,
)
SCHEDULE_HEADING = re.compile(
    r"^[\"“”']?\s*(?:form\s+of\s+)?(?:(?:amended\s+and\s+restated|amended|restated|revised)\s+)?"
    r"(?:(schedule|appendix|exhibit|annex|attachment)\s+([A-Z]{1,2}|[IVX]{1,4}|\d{1,2})(?![\w(])"
    r"|fee\s+(?:schedule|appendix)\b|schedule\s+(?:of\s+fees|to)\b)",
    re.I,
)
_AMENDMENT_TITLE = re.compile(r"^[\"“”']?\s*(?:[a-z]+\s+)?amendment\b(?!\s+and\s+restatement)", re.I)
_ORDINAL_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_AMENDMENT_NO = re.compile(
    r"\bamendment\s+(?:no\.?|number|#)\s*\[?\s*(\d{1,3}|" + "|".join(_ORDINAL_WORDS) + r")\s*\]?(?![\w.])",
    re.I,
)
_FORM_OF = re.compile(r"^form\s+of\s*$", re.I)
# Words of a column-header line ("Name of Series", "Rule 12b-1 Fees", "Fund", "Class"); the title
# block ends there. An anchor word must be present: "DISTRIBUTION PLAN" is a title.
_HEADER_WORDS = frozenset(
    [
        "fund",
        "funds",
        "series",
        "portfolio",
        "portfolios",
        "name",
        "names",
        "of",
        "the",
        "fee",
        "fees",
        "rate",
        "rates",
        "rule",
        "12b-1",
        "class",
        "classes",
        "share",
        "shares",
        "maximum",
        "annual",
        "distribution",
        "service",
        "services",
        "servicing",
        "shareholder",
        "aggregate",
        "total",
        "combined",
        "and",
        "effective",
        "date",
        "dates",
        "adoption",
        "adopted",
        "trust",
        "registrant",
        "percentage",
        "average",
        "daily",
        "net",
        "assets",
        "as",
        "a",
        "per",
        "annum",
        "asset",
        "based",
        "sales",
        "charge",
        "limitation",
    ]
)
_HEADER_ANCHORS = frozenset("fund funds series portfolio portfolios name names fee fees rate rates".split())  # noqa: SIM905
_CLASS_LINE_WORDS = frozenset("class classes share shares for of the and".split())  # noqa: SIM905
_TITLE_MAX_LINES = 10


@dataclass(frozen=True)
class TitleBlock:
    """The heading lines at the top of the document (exhibit-index lines skipped)."""

    lines: tuple[Line, ...]
    date_lines: tuple[Line, ...]  # dates printed within or right under the title
    form_of: bool = False  # "Form of" above the title: a form, not an executed instrument

    @property
    def text(self) -> str:
        return " ".join(" ".join(line.text.split()) for line in self.lines).strip(QUOTES + " ")

    @property
    def span(self) -> tuple[int, int] | None:
        return (self.lines[0].no, self.lines[-1].no) if self.lines else None

    @property
    def last_line(self) -> int:
        lines = self.lines + self.date_lines
        return max((line.no for line in lines), default=0)


@dataclass(frozen=True)
class Found:
    """A document-level value with where it was read and what was doubtful about it."""

    value: object
    lines: tuple[int, int] | None = None
    flags: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class Meta:
    """What the document says about itself; `plan_classes` is the class scope its title states."""

    title: str
    title_lines: tuple[Line, ...]
    kind: Kind
    amendment_number: int | None
    plan_title: str | None
    plan_classes: tuple[str, ...]
    dates: DocumentDates
    signatories: tuple[str, ...]
    title_block: TitleBlock
    flags: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)

    @property
    def effective(self) -> DateFinding:
        return self.dates.effective

    @property
    def plan(self) -> PlanRef:
        return PlanRef(self.plan_title, self.plan_classes, self.dates.plan_dated)


def is_header_line(text: str) -> bool:
    """A column-header line: only header words, with at least one anchor ("fund", "fee", ...)."""
    found = {w.lower() for w in words(V.CLASS_AFTER.sub(" ", text))}
    return bool(found) and found <= _HEADER_WORDS and bool(found & _HEADER_ANCHORS)


def _is_class_line(text: str) -> bool:
    """ "(CLASS C SHARES)", "INVESTOR CLASS", "C CLASS": the class the whole document is for."""
    if not V.find_classes(text):
        return False
    rest = V.CLASS_BEFORE.sub(" ", V.CLASS_AFTER.sub(" ", text))
    return all(w.lower() in _CLASS_LINE_WORDS for w in words(rest))


def _is_date_line(text: str) -> bool:
    """A line that is a date phrase ("As of May 1, 2015", "Dated August 22, 2013"), not a title."""
    text = unglue(text)
    if not V.find_dates(text):
        return False
    rest = V.ANY_DATE.sub(" ", text)
    return len(words(rest)) <= 6 and not is_sentence(text)


def title_block(lines: Sequence[Line]) -> TitleBlock:
    """The title: the single-cell, non-prose lines at the top, up to the first column header."""
    block: list[Line] = []
    dates: list[Line] = []
    form_of = False
    for line in lines[:16]:
        text = line.text.strip()
        if not block and not dates and (_EXHIBIT_INDEX.match(text) or _FORM_OF.match(text)):
            form_of = form_of or bool(_FORM_OF.match(text))
            continue
        if is_sentence(text) or len(line.cells) > 1 or len(block) >= _TITLE_MAX_LINES or len(text) > 200:
            break
        if _is_date_line(text):
            dates.append(line)
            continue
        if dates:
            break  # the dates under the title end it
        if is_header_line(text) and not _is_class_line(text):
            break
        if block and SCHEDULE_HEADING.match(text) and any(SCHEDULE_HEADING.match(b.text) for b in block):
            break  # "Fee Schedule" under "APPENDIX A to the ... Plan": a section of the schedule
        block.append(line)
    return TitleBlock(tuple(block), tuple(dates), form_of)


def document_kind(title: TitleBlock, lines: Sequence[Line]) -> Found:
    """amendment / schedule / plan, from the title; the first of its lines that says wins."""
    for i, line in enumerate(title.lines):
        text = line.text.strip()
        if len(words(text)) == 1 and i + 1 < len(title.lines):
            text += " " + title.lines[i + 1].text.strip()  # "SCHEDULE" / "A": a heading broken over lines
        if _AMENDMENT_TITLE.match(text):
            return Found("amendment", (line.no, line.no))
        if SCHEDULE_HEADING.match(text):
            return Found("schedule", (line.no, line.no))
    if re.search(r"\bplan\b", title.text, re.I):
        return Found("plan", title.span)
    # No title that says: the opening sentence may ("This Amendment No. 3 to the Plan ...").
    for line in lines[:8]:
        if is_sentence(line.text) and re.match(r"^\s*this\s+amendment\b", line.text, re.I):
            why = "kind read from the opening sentence (no title)"
            return Found("amendment", (line.no, line.no), (why,), (Diagnostic("info", why, line.no),))
    why = "no title names the kind; taken as a schedule"
    where = title.span[0] if title.span else None
    return Found("schedule", title.span, (why,), (Diagnostic("warning", why, where),))


def amendment_number(title: TitleBlock, lines: Sequence[Line]) -> Found:
    """N of "Amendment No. N" (also "No. [2]"), from the title, else the opening sentence."""
    candidates = list(title.lines) + [line for line in lines[:12] if is_sentence(line.text)][:2]
    for line in candidates:
        m = _AMENDMENT_NO.search(line.text)
        if m:
            token = m.group(1).lower()
            number = int(token) if token.isdigit() else _ORDINAL_WORDS[token]
            return Found(number, (line.no, line.no))
    return Found(None)


# '(the "Plan")', '(the “12b-1 Plan”)', '(the "Distribution Plan")': the plan's defined name.
_PLAN_REF = re.compile(r"\(\s*(?:the\s+)?[\"“”']{1,2}(?:[\w-]+\s+)?Plan[\"“”']{1,2}\s*\)", re.I)
_CONNECTORS = frozenset({"of", "and", "to", "pursuant", "under", "for", "&"})
# The plan's name in the title: the line naming a plan, with the lines before it that lead into it
# ("with respect to the" / "FOURTH AMENDED AND RESTATED ... PLAN"); the heading prefix, trailing
# parentheticals ("(REIMBURSEMENT)", '(the "Plan")'), a " – CFST II" suffix and "Pursuant to Rule
# 12b-1 ..." are left out, as a sentence naming the plan would leave them out.
_TITLE_PREFIX = re.compile(
    r"^.*?\b(?:schedule|appendix|exhibit|annex|amendment)\b.*?\b(?:to|of)\s+(?:the\s+)?"
    r"|^(?:with\s+respect\s+)?(?:to|of)\s+(?:the\s+)?",
    re.I,
)
_PLAN_WORD = re.compile(r"\b(plan|agreement)\b", re.I)
_LEADS_IN = re.compile(r"\b(to|the|of|and|for|&)\s*$", re.I)
_NAME_TAIL = re.compile(
    r"\s+(?:[-–—]\s.*|(?:pursuant\s+to|under)\s+(?:rule\b|the\s+investment\s+company\b).*)$", re.I
)


def _plan_in_title(title: TitleBlock) -> tuple[str | None, tuple[int, int] | None]:
    lines = title.lines
    for k, line in enumerate(lines):
        if not _PLAN_WORD.search(line.text):
            continue
        first = k
        while first > 0 and not _is_class_line(lines[first - 1].text):
            before = lines[first - 1].text
            # "with respect to the" / "PLAN"; "DISTRIBUTION" / "PLAN" (a heading broken into words)
            if not (_LEADS_IN.search(before) or len(words(before)) == 1) or SCHEDULE_HEADING.match(before):
                break
            first -= 1
        text = " ".join(" ".join(x.text.split()) for x in lines[first : k + 1]).strip(QUOTES + " ")
        name = _TITLE_PREFIX.sub("", text)
        while re.search(r"\([^()]*\)\s*$", name):
            name = re.sub(r"\s*\([^()]*\)\s*$", "", name)
        name = _NAME_TAIL.sub("", name).strip(" ,.:;-–")
        if _PLAN_WORD.search(name) and not SCHEDULE_HEADING.match(name):
            return name, (lines[first].no, line.no)
    return None, None


def _plan_title_before(text: str, end: int) -> tuple[str | None, list[str]]:
    """The plan's title and classes written just before '(the "Plan")'."""
    window = text[max(0, end - 300) : end].rstrip()
    cls: list[str] = []
    m = re.search(r"\(([^()]*\bclass\b[^()]*)\)\s*$", window, re.I)
    if m:
        found = V.find_classes(m.group(1))
        cls = found
        window = window[: m.start()].rstrip()
    taken: list[str] = []
    for w in reversed(window.split()):
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


def plan_reference(title: TitleBlock, flow: Flow) -> Found:
    """The plan this document belongs to: its title and the share classes the title is for.

    `share_classes` holds the classes the document's title (or the plan's defined name) states:
    the class in scope for rows that name none ("FOR CLASS R2 SHARES")."""
    plan_title: str | None = None
    classes: list[str] = []
    where: tuple[int, int] | None = None
    m = _PLAN_REF.search(flow.text)
    if m:
        plan_title, named = _plan_title_before(flow.text, m.start())
        classes.extend(named)
        if plan_title:
            line = flow.line_at(m.start())
            where = (line, line)
    if plan_title is None:
        plan_title, where = _plan_in_title(title)
    for cls in V.find_classes(title.text):
        if cls not in classes:
            classes.append(cls)
    return Found(PlanRef(title=plan_title, share_classes=tuple(classes)), where)


_SIGNATURE_START = re.compile(r"^(dated?\s*:|in\s+witness|by\s*:|attest)", re.I)


def signatories(doc: Document) -> list[str]:
    found: list[str] = []
    started = False
    for line in doc.lines:
        text = line.text.strip()
        if _SIGNATURE_START.match(text):
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


def read_meta(doc: Document, flow: Flow | None = None) -> Meta:
    """Every document-level field of one exhibit."""
    flow = flow or Flow(doc)
    title = title_block(doc.lines)
    kind = document_kind(title, doc.lines)
    number = amendment_number(title, doc.lines) if kind.value == "amendment" else Found(None)
    plan = plan_reference(title, flow)
    assert isinstance(plan.value, PlanRef)
    kind_value: Kind = (
        "amendment" if kind.value == "amendment" else "plan" if kind.value == "plan" else "schedule"
    )
    dates = find_dates(doc, flow, title.lines, title.date_lines, kind_value)
    return Meta(
        title=title.text,
        title_lines=title.lines,
        kind=kind_value,
        amendment_number=number.value if isinstance(number.value, int) else None,
        plan_title=plan.value.title,
        plan_classes=plan.value.share_classes,
        dates=dates,
        signatories=tuple(signatories(doc)),
        title_block=title,
        flags=(*kind.flags, *dates.effective.flags),
        diagnostics=(*kind.diagnostics, *dates.effective.diagnostics),
    )
