"""The plan an exhibit belongs to: its title (from the plan's defined name in prose, else the
title block) and the share classes the title is for."""

from __future__ import annotations

import re

from distplan.documents import values as V
from distplan.documents.doc_kind import Found
from distplan.documents.flow import Flow
from distplan.documents.names import QUOTES, words
from distplan.documents.title import SCHEDULE_HEADING, TitleBlock, is_class_line
from distplan.model import PlanRef

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
        while first > 0 and not is_class_line(lines[first - 1].text):
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
