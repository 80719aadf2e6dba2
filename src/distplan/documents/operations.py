"""What an instrument does to the plan's schedule: replace it, add or remove rows, set rates, restate
a section of text. Read from the schedule's rows and the amendment's prose."""

from __future__ import annotations

import re
from dataclasses import dataclass

from distplan.documents.flow import Flow
from distplan.model import Kind, Operation, ScheduleRow

_ADDS = re.compile(
    r"\bamended\b[^.]{0,100}?\bto\s+add\b|\bby\s+adding\b|\badd(?:ing)?\s+the\s+following", re.I
)
_REMOVES = re.compile(
    r"\bamended\b[^.]{0,100}?\bto\s+(?:delete|remove)\b|\bby\s+(?:deleting|removing)\b"
    r"|\b(?:delete|remove|deleting|removing)\s+the\s+following",
    re.I,
)
_REPLACED = re.compile(
    r"\b(schedule|appendix|exhibit|annex)\s+([A-Z]{1,2}|[IVX]{1,4}|\d{1,2})\b[^.]{0,80}?"
    r"\b(deleted|replaced|amended\s+and\s+restated|restated)\b",
    re.I,
)
_RESTATED = re.compile(
    r"\b(section\s+[\w.()]+)[^.]{0,80}?\b(?:is\s+)?(?:hereby\s+)?amended\s+and\s+restated\s+to\s+read\s+as\s+follows\s*:?\s*"
    r"[\"“]([^\"”]+)[\"”]",
    re.I,
)


def restated_section(flow: Flow) -> Operation | None:
    """ "Section 3 ... is hereby amended and restated to read as follows: "..." "."""
    m = flow.scan.search(_RESTATED, "restated")
    if m is None:
        return None
    return Operation(
        "amend_text",
        section=m.group(1).strip().rstrip(".").title().replace("Of", "of"),
        text=" ".join(m.group(2).split()),
        lines=(flow.line_at(m.start()), flow.line_at(m.end())),
    )


@dataclass(frozen=True)
class Operations:
    operations: tuple[Operation, ...]
    label: str | None
    replaces_entirely: bool


def schedule_operations(
    flow: Flow, kind: Kind, rows: list[ScheduleRow], label: str | None, restated: Operation | None
) -> Operations:
    # Each pattern is searched only where the text has a word every match of it contains.
    replaced = flow.scan.search(_REPLACED, "deleted", "replaced", "restated")
    adds = flow.scan.search(_ADDS, "add")
    removes = flow.scan.search(_REMOVES, "delet", "remov")
    table_label = label
    if replaced and label is None:
        label = f"{replaced.group(1).title()} {replaced.group(2).upper()}"
    ops: list[Operation] = [restated] if restated else []
    replaces_entirely = True
    if (kind == "amendment" and rows and (table_label is not None or adds or removes)) or (replaced and rows):
        if adds and not replaced:
            ops.append(Operation("add_rows", rows=tuple(rows)))
            replaces_entirely = False
        elif removes and not replaced:
            ops.append(Operation("remove_rows", rows=tuple(rows)))
            replaces_entirely = False
        else:
            ops.insert(0, Operation("replace_schedule", target=label or "Schedule A"))
    elif kind in ("schedule", "plan") and rows:
        ops.append(Operation("replace_schedule", target=label or "Schedule A"))
    elif rows and restated:
        ops.append(Operation("set_rates", rows=tuple(rows)))
        replaces_entirely = False
    return Operations(tuple(ops), label, replaces_entirely)
