"""Words and heading lines the writers share: dates, rates, class labels, centred headings."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from distplan.model import fold_name


def long_date(value: date) -> str:
    """'November 3, 2003'."""
    return f"{value:%B} {value.day}, {value.year}"


def rate_text(value: Decimal) -> str:
    """The rate as stated, with a percent sign: Decimal('0.25') -> '0.25%'."""
    return f"{value}%"


_LETTER_CLASS = re.compile(r"[A-Z]{1,3}\d*")


def class_label(share_class: str) -> str:
    """'C' -> 'Class C', 'R2' -> 'Class R2', 'Investor' -> 'Investor Class'."""
    if _LETTER_CLASS.fullmatch(share_class):
        return f"Class {share_class}"
    return f"{share_class} Class"


def join_words(items: Sequence[str]) -> str:
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def classes_phrase(classes: Sequence[str]) -> str:
    """'Investor Class', 'Class A and Class C' (without 'Shares')."""
    return join_words([class_label(c) for c in classes])


def unique(items: Iterable[str | None]) -> list[str]:
    """The distinct non-empty names, first spelling kept, compared folded."""
    seen: dict[str, str] = {}
    for item in items:
        if item and fold_name(item) not in seen:
            seen[fold_name(item)] = item
    return list(seen.values())


HEADING_WIDTH = 50
_SMALL_WORDS = frozenset(
    "the of to and a an in as is be by for or with that this under from on at".split()  # noqa: SIM905
)


_TITLE_CONNECTORS = frozenset({"of", "and", "to", "pursuant", "under", "for", "&"})


def reads_in_prose(title: str) -> bool:
    """Whether a plan title can be named in a sentence and read back whole: its words capitalized
    (or connectors such as "of", "and"), so a reader can tell where it begins. Others are
    written in a heading line in their own case."""
    words = [w.strip(",;:") for w in title.split()]
    if not words or words[0].lower() in _TITLE_CONNECTORS or words[-1].lower() in _TITLE_CONNECTORS:
        return False
    if words[0] in ("The", "This", "That"):
        return False
    named = any(w.lower() in ("plan", "agreement") for w in words)
    return named and all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _TITLE_CONNECTORS for w in words)


def upper(text: str) -> str:
    """Headings in capitals, except the rule's own name."""
    return text.upper().replace("12B-1", "12b-1")


def class_heading(classes: Sequence[str], suffix: str) -> list[str]:
    """'(INVESTOR CLASS SHARES)'; several classes comma-separated (a capital 'AND' would read as
    a class name), and left out when too many to read as a heading (the table has a class column)."""
    line = f"({', '.join(class_label(c) for c in classes).upper()}{suffix})"
    return [line] if reads_as_heading(line) else []


def reads_as_heading(line: str) -> bool:
    """A heading line must not read as a wrapped sentence (few words, or few small words), or a
    reader that reflows fixed-width prose would join the heading into a paragraph."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", line)
    small = sum(1 for w in words if w.lower() in _SMALL_WORDS)
    return len(words) < 6 or (small < 3 and len(words) <= 12)


_UNBROKEN = ("PURSUANT", "TO", "RULE", "12B-1")  # a heading line "RULE 12b-1" reads as a label


def _keep_together(words: Sequence[str]) -> list[str]:
    out: list[str] = []
    n = len(_UNBROKEN)
    i = 0
    while i < len(words):
        if tuple(w.upper() for w in words[i : i + n]) == _UNBROKEN:
            out.append(" ".join(words[i : i + n]))
            i += n
        else:
            out.append(words[i])
            i += 1
    return out


def fill(words: Sequence[str]) -> list[str]:
    lines: list[str] = []
    for word in _keep_together(words):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and len(candidate) <= HEADING_WIDTH and reads_as_heading(candidate):
            lines[-1] = candidate
        else:
            lines.append(word)
    if len(lines) > 1 and " " not in lines[-1] and " " in lines[-2]:
        # No word stands alone on the last line ("SCHEDULE" / "A"): a lone letter reads as a mark.
        head, _, last = lines[-2].rpartition(" ")
        lines[-2:] = [head, f"{last} {lines[-1]}"]
    return lines


def wrap_heading(prefix: str, title: str) -> list[str]:
    """'TO THE' + a plan title as centred heading lines; 'AMENDED AND RESTATED' ends a line, as
    filed, and 'TO THE' stands alone when the first line would otherwise read as prose."""
    head, sep, tail = title.partition(" RESTATED ")
    if not sep:
        head, tail = "", title
    else:
        head += " RESTATED"
    first = f"{prefix} {head}".strip()
    lines = (
        [first] if reads_as_heading(first) and len(first) <= HEADING_WIDTH else [prefix, *fill(head.split())]
    )
    return [x for x in lines if x] + fill(tail.split()) if head else fill(f"{prefix} {tail}".split())
