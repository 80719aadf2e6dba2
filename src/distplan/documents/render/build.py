"""Instrument -> document model (`build_document`).

The three writers only lay this model out, so the text, DOCX and PDF always say the same thing.
The model follows the reference filing (AIM Investor Class Amendment No. 2, and the AIM Class C
fee table) so the extractor reads the text back into the same Instrument.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from distplan.documents.render.blocks import (
    Block,
    Column,
    Document,
    FundGroup,
    Heading,
    ListHeader,
    Para,
    Renames,
    Signature,
)
from distplan.documents.render.clean import clean
from distplan.documents.render.words import (
    class_heading,
    class_label,
    classes_phrase,
    fill,
    long_date,
    rate_text,
    reads_in_prose,
    unique,
    upper,
    wrap_heading,
)
from distplan.model import Instrument, Operation, ScheduleRow, fold_name

_REPLACED = "replaced with the following:"
_NO_CLASS = "(none)"
_CLOSING = (
    "All other terms and provisions of the Plan not amended herein shall remain in full force and effect."
)


# --- building the model ---------------------------------------------------------------------


def _schedule_rows(inst: Instrument) -> tuple[ScheduleRow, ...]:
    if inst.schedule is not None and inst.schedule.rows:
        return inst.schedule.rows
    for op in inst.operations:
        if op.op == "replace_schedule" and op.rows:
            return op.rows
    return ()


def _plan_classes(inst: Instrument, rows: Sequence[ScheduleRow]) -> list[str]:
    return list(inst.plan.share_classes)


def _fee_columns(rows: Sequence[ScheduleRow], per_row_class: bool) -> list[tuple[str, Column]]:
    """The columns the rows carry: (row attribute, header). Null rates are absent columns."""
    cols: list[tuple[str, Column]] = []
    if per_row_class:
        cols.append(("share_class", Column(("Share", "Class"))))
    if any(r.distribution_fee is not None for r in rows):
        cols.append(("distribution_fee", Column(("Maximum", "Asset Based", "Sales Charge"))))
    if any(r.service_fee is not None for r in rows):
        cols.append(("service_fee", Column(("Maximum", "Service", "Fee"))))
    if any(r.aggregate_fee is not None for r in rows):
        cols.append(("aggregate_fee", Column(("Maximum", "Aggregate", "Fee"))))
    if any(r.effective_date is not None for r in rows):
        cols.append(("effective_date", Column(("Effective", "Date"))))
    return cols


def _cell(row: ScheduleRow, attr: str) -> str:
    value = getattr(row, attr)
    if value is None:
        # A blank class cell would read as the class above it; a dash says "no class".
        return _NO_CLASS if attr == "share_class" else ""
    if attr == "share_class":
        return class_label(value)
    if attr == "effective_date":
        return long_date(value)
    return rate_text(value)


def _runs(rows: Sequence[ScheduleRow], per_row_class: bool) -> list[list[ScheduleRow]]:
    """Consecutive rows of one registrant whose stated values fill the same columns. Row order
    is kept, and no table has an empty cell: a blank would read as the value above it, or
    shift the next value into its column."""
    runs: list[list[ScheduleRow]] = []
    last: tuple[object, ...] | None = None
    for row in rows:
        key = (fold_name(row.registrant or ""), tuple(a for a, _ in _fee_columns([row], per_row_class)))
        if key != last:
            runs.append([])
            last = key
        runs[-1].append(row)
    return runs


def _group_blocks(rows: Sequence[ScheduleRow], quoted: bool) -> list[Block]:
    """The rows in runs (see `_runs`): fund lists, or fee tables when the rows carry rates,
    share classes that differ, or their own effective dates."""
    row_classes = unique(r.share_class for r in rows)
    per_row_class = len(row_classes) > 1 or (
        len(row_classes) == 1 and any(r.share_class is None for r in rows)
    )
    single = row_classes[0] if len(row_classes) == 1 and not per_row_class else None
    stub = "PORTFOLIO" + (f" - {class_label(single).upper()} SHARES" if single else "")

    blocks: list[Block] = []
    for members in _runs(rows, per_row_class):
        columns = _fee_columns(members, per_row_class)
        if not columns and not (blocks and isinstance(blocks[-1], FundGroup) and not blocks[-1].columns):
            blocks.append(ListHeader("REGISTERED INVESTMENT COMPANY", "FUNDS"))
        cells = tuple((r.fund, *(_cell(r, attr) for attr, _ in columns)) for r in members)
        blocks.append(FundGroup(members[0].registrant, stub, tuple(c for _, c in columns), cells))
    if quoted and rows:
        last = blocks[-1]
        assert isinstance(last, FundGroup)
        final = (*last.rows[-1][:-1], last.rows[-1][-1] + '"')
        blocks[-1] = FundGroup(last.registrant, last.stub, last.columns, (*last.rows[:-1], final))
    return blocks


def _schedule_blocks(inst: Instrument, rows: Sequence[ScheduleRow], quoted: bool) -> list[Block]:
    """Heading plus the registrant groups of a schedule; quoted when an amendment restates it."""
    label = inst.schedule.label if inst.schedule is not None else "Schedule A"
    classes = _plan_classes(inst, rows)
    # A standalone schedule names its plan in the sentence below; the heading does only when the
    # sentence cannot (a title line under "SCHEDULE A" would otherwise be read as a fund).
    title = inst.plan.title
    restated = quoted or not (title and reads_in_prose(title))
    heading = [label.upper(), *(_to_the(title) if restated else [])]
    if classes:
        heading += class_heading(classes, "")
    if quoted:
        heading[0] = '"' + heading[0]
    blocks: list[Block] = [Heading(tuple(heading), level=1)]
    if inst.kind == "schedule":
        blocks.append(
            Para(f"This {label} forms part of the {_plan_clause(inst, rows)}, pursuant to Rule 12b-1.")
        )
    if inst.kind != "amendment" and inst.effective_date is not None:
        blocks.append(Para(f"Effective: {long_date(inst.effective_date)}"))

    blocks.extend(_group_blocks(rows, quoted))
    return blocks


def _to_the(title: str | None) -> list[str]:
    """'TO THE' + the plan title as heading lines: in capitals when a sentence names it too,
    else in its own case (the heading is then the only place that states it)."""
    if not title:
        return []
    return wrap_heading("TO THE", upper(title) if reads_in_prose(title) else title)


def _plan_name(inst: Instrument, rows: Sequence[ScheduleRow]) -> str:
    classes = _plan_classes(inst, rows)
    # Without a title the plan is named in lower case, so no reader takes words for a title.
    title = inst.plan.title
    name = title if title and reads_in_prose(title) else "distribution plan"
    return f"{name} ({classes_phrase(classes)} Shares)" if classes else name


def _plan_clause(inst: Instrument, rows: Sequence[ScheduleRow], with_registrant: bool = True) -> str:
    """'Master Plan (Class A Shares) (the "Plan"), dated as of July 1, 2003, adopted by X (the
    "Trust")': the plan's own date follows "(the "Plan")" directly (so it reads as the plan's, not
    the document's), and the one registrant of every row is named as the trust."""
    dated = f", dated as of {long_date(inst.plan.dated)}" if inst.plan.dated else ""
    registrants = unique(r.registrant for r in rows)
    single = len(registrants) == 1 and all(r.registrant for r in rows)
    by = f', adopted by {registrants[0]} (the "Trust")' if with_registrant and single else ""
    return f'{_plan_name(inst, rows)} (the "Plan"){dated}{by}'


def _operation_blocks(inst: Instrument, op: Operation, number: int | None) -> list[Block]:
    """Clauses for operations other than the schedule replacement."""
    prefix = f"{number}. " if number is not None else ""
    section = op.section or "Section"
    if op.op == "amend_text":
        return [
            Para(f"{prefix}{section} of the Plan is hereby amended and restated to read as follows:"),
            Para(f'"{(op.text or "").strip()}"', quoted=True),
        ]
    label = inst.schedule.label if inst.schedule is not None else "Schedule A"
    verbs = {
        "add_rows": "add the following",
        "remove_rows": "delete the following",
        "set_rates": "state these rates",
    }
    if op.op in verbs and op.rows:
        # Rates restated in an amend_text clause are already written there.
        restated = " ".join(o.text or "" for o in inst.operations if o.op == "amend_text")
        if (
            op.op == "set_rates"
            and restated
            and all(
                all(f"{v}%" in restated or f"{str(v).lstrip('0')}%" in restated for v in _rates(r))
                for r in op.rows
            )
        ):
            return []
        clause = f"{prefix}{label} to the Plan is hereby amended to {verbs[op.op]}:"
        return [Para(clause), *_group_blocks(op.rows, quoted=False)]
    if op.op == "terminate":
        what = op.target or "the Plan"
        return [Para(f"{prefix}The Plan is hereby terminated with respect to {what}.")]
    if op.op in ("rename_registrant", "rename_fund") and op.target and op.new_name:
        return [Para(f'{prefix}All references in the Plan to "{op.target}" shall mean "{op.new_name}".')]
    return []


def _rename_blocks(renames: Sequence[Operation]) -> list[Block]:
    """The renames of an amendment that restates its schedule: a FUND NAME / NEW FUND NAME
    table ahead of the new schedule (the layout of Invesco's 2020 name-change amendments)."""
    cells = tuple((op.target or "", op.new_name or "") for op in renames)
    return [
        Para(
            "WHEREAS, the parties desire to amend the Plan to change the following Funds' names:", indent=True
        ),
        Renames(None, "FUND NAME", (Column(("NEW FUND NAME",)),), cells),
    ]


def _rates(row: ScheduleRow) -> list[Decimal]:
    return [v for v in (row.distribution_fee, row.service_fee, row.aggregate_fee) if v is not None]


def _signature_blocks(signatories: Sequence[str]) -> list[Block]:
    """The registrants sign together, the distributor on its own (as in the reference)."""
    parties = [s for s in signatories if "distributor" not in fold_name(s)]
    distributors = [s for s in signatories if "distributor" in fold_name(s)]
    blocks: list[Block] = []
    if parties:
        blocks.append(Signature(tuple(parties)))
    blocks.extend(Signature((d,)) for d in distributors)
    return blocks


def build_document(inst: Instrument) -> Document:
    """The structure every writer lays out, from the instrument with unprintable characters
    removed (each removal is one of the document's warnings)."""
    inst, warnings = clean(inst)
    rows = _schedule_rows(inst)
    classes = _plan_classes(inst, rows)
    blocks: list[Block] = []
    if inst.kind == "amendment":
        title = [f"AMENDMENT NO. {inst.amendment_number}" if inst.amendment_number else "AMENDMENT"]
        title += _to_the(inst.plan.title)
        if classes:
            title += class_heading(classes, " SHARES")
        blocks.append(Heading(tuple(title)))
        renames = [op for op in inst.operations if op.op == "rename_fund" and op.target and op.new_name]
        replaces = any(op.op == "replace_schedule" for op in inst.operations)
        text_ops = [
            op
            for op in inst.operations
            if op.op != "replace_schedule"
            and not (replaces and rows and op in renames)
            and _operation_blocks(inst, op, None)
        ]
        replaces = replaces or (
            inst.schedule is not None and inst.schedule.replaces_entirely and not text_ops
        )
        effective = f", effective {long_date(inst.effective_date)}" if inst.effective_date else ""
        # Without a schedule the rows' one registrant is named where filings name it: in the preamble.
        plan = _plan_clause(inst, rows, with_registrant=not replaces)
        blocks.append(
            Para(
                f"The {plan}, pursuant to Rule 12b-1, is hereby amended{effective}, as follows:", indent=True
            )
        )
        numbered = len(text_ops) + (1 if replaces and rows else 0) > 1
        number = 1
        if replaces and rows:
            label = inst.schedule.label if inst.schedule is not None else "Schedule A"
            prefix = "1. " if numbered else ""
            if renames:  # as filings that rename and restate do: the names first, in a table
                blocks.extend(_rename_blocks(renames))
                prefix = "NOW THEREFORE, " if not numbered else prefix
            blocks.append(
                Para(f"{prefix}{label} to the Plan is hereby deleted in its entirety and {_REPLACED}")
            )
            blocks.extend(_schedule_blocks(inst, rows, quoted=True))
            number += 1
        for op in text_ops:
            blocks.extend(_operation_blocks(inst, op, number if numbered else None))
            number += 1
        blocks.append(Para(_CLOSING))
        doc_title = title[0]
    else:
        if inst.kind == "plan":
            name = upper(inst.plan.title or inst.title or "Distribution Plan")
            blocks.append(Heading(tuple(fill(name.split()))))
            # A sentence ends the title block and states what the title cannot: classes, date.
            blocks.append(Para(f"This {_plan_clause(inst, rows)} is adopted pursuant to Rule 12b-1."))
        blocks.extend(_schedule_blocks(inst, rows, quoted=False))
        for op in inst.operations:
            blocks.extend(_operation_blocks(inst, op, None))
        doc_title = inst.title or (inst.schedule.label if inst.schedule else inst.kind.title())
    if inst.dated is not None:
        blocks.append(Para(f"Dated: {long_date(inst.dated)}"))
    elif inst.signatories:
        blocks.append(Para("IN WITNESS WHEREOF, the parties have executed this instrument.", indent=True))
    blocks.extend(_signature_blocks(inst.signatories))
    return Document(doc_title, tuple(blocks), warnings)
