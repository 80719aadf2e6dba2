"""Which plan an instrument belongs to: its title and share classes, normalized.

The three AIM amendments name "the Amended and Restated Master Plan and Agreement of
Distribution (Investor Class Shares)" in slightly different spellings; they must be one plan.
"""

from __future__ import annotations

import re

from distplan.model import Instrument, fold_class, fold_name

_PARENS = re.compile(r"\(.*?\)")
_AMENDMENT_PREFIX = re.compile(r"^(?:amendment|supplement)(?: no)?(?: \w+)? to ")
_RULE = re.compile(r"\b(?:pursuant to|under) rule 12b 1\b")
# The one class folding (model.fold_class); plan keys use it for their share classes.
class_key = fold_class


def title_key(title: str) -> str:
    text = fold_name(_PARENS.sub(" ", title))
    text = _AMENDMENT_PREFIX.sub("", _RULE.sub(" ", text))
    text = " ".join(text.split())
    return text[4:] if text.startswith("the ") else text


def plan_title(inst: Instrument) -> str:
    """The plan's display title: the plan reference, else the instrument's own title."""
    title = (inst.plan.title or "").strip() or inst.title.strip() or "(untitled plan)"
    # Drop a trailing "(Investor Class Shares)": the share class is kept separately.
    return re.sub(r"\s*\([^)]*\)\s*$", "", title).strip() or title


def plan_classes(inst: Instrument) -> tuple[str, ...]:
    classes = [c.strip() for c in inst.plan.share_classes if c.strip()]
    if not classes and inst.schedule is not None:
        classes = sorted({r.share_class for r in inst.schedule.rows if r.share_class})
    seen: dict[str, str] = {}
    for c in classes:
        seen.setdefault(class_key(c), c)
    return tuple(seen[k] for k in sorted(seen))


def plan_key(title: str, classes: tuple[str, ...]) -> str:
    return title_key(title) + " | " + ", ".join(sorted({class_key(c) for c in classes}))
