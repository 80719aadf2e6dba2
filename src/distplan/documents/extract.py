"""Extraction: one filed exhibit -> an `Instrument` with provenance, confidence and diagnostics.

The pipeline, one stage a module, each a plain function of the previous stage's result:
layout (`layout.py`, `layouts/`: lines of cells) -> cell classification (`cells.py`) ->
schedule rows (`rows.py` the table structure, `row_cells.py` a row's cells, `row_state.py`;
columns from `headers.py`; `merge.py`, `class_rates.py`) -> context inherited by rows that do not
state it (`context.py`) -> operations (`operations.py`) -> confidence (`confidence.py`); the
document's own facts (title, kind, dates) come from `meta.py`.
Nothing here knows a fund family: only what 12b-1 schedules have in common.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from distplan.documents import confidence, context
from distplan.documents.cells import tokens
from distplan.documents.class_clauses import apply_clauses, read_clauses
from distplan.documents.class_rates import apply_class_rates
from distplan.documents.flow import Flow
from distplan.documents.footnotes import footnotes, unglue_class_marks
from distplan.documents.header_scope import join_wrapped_headers
from distplan.documents.layout import Document, parse_bytes, read_document
from distplan.documents.list_numbers import drop_list_numbers
from distplan.documents.merge import merge_rows
from distplan.documents.meta import read_meta
from distplan.documents.operations import restated_section, schedule_operations
from distplan.documents.prose import prose_rows
from distplan.documents.rows import parse_schedule
from distplan.documents.stacked import unstack
from distplan.documents.truncation import drop_cut_row
from distplan.model import Diagnostic, Instrument, Level, Operation, PlanRef, Schedule, Source


def extract_path(path: Path | str) -> Instrument:
    """Read one exhibit (.txt, text from HTML, .htm/.html) into an Instrument."""
    return extract_document(read_document(Path(path)))


def extract_text(text: str, path: str = "<text>", html: bool | None = None) -> Instrument:
    return extract_document(parse_bytes(text.encode("utf-8"), path, html=html))


def extract_document(doc: Document) -> Instrument:
    diags: list[Diagnostic] = []
    flow = Flow(doc)
    meta = read_meta(doc, flow)
    registrant = context.default_registrant(flow, meta.title_lines)
    # Class rate clauses ("Class A (other than X Fund) 0.25%") are read apart from the row cells.
    clauses, clause_lines = read_clauses(doc.lines)
    toks = unstack(drop_list_numbers(join_wrapped_headers(tokens(doc), doc)), doc)
    if clause_lines:
        toks = [t for t in toks if t.line not in clause_lines]
    parsed = parse_schedule(toks, registrant)
    diags.extend(parsed.diagnostics)
    diags.extend(meta.diagnostics)  # a guessed kind or effective date, or none found

    scope = context.class_scope(meta.plan_classes, parsed.classes_seen, parsed.prose_classes)
    drafts = [r.to_row(scope) for r in parsed.rows if r.fund.strip()]
    drafts = unglue_class_marks(apply_clauses(drafts, clauses, registrant), footnotes(doc.text))
    rows = apply_class_rates(merge_rows(drafts, diags), parsed.class_rates)

    stated = context.prose_rate(parsed.prose_rates)
    if rows and all(r.total_rate is None for r in rows) and stated is not None:
        value, line = stated.value, stated.line
        rows = [confidence.inherit_rate(r, value) for r in rows]
        diags.append(Diagnostic("info", f"rate {value}% stated in prose applied to every row", line))
    elif parsed.prose_rates and any(r.total_rate is None for r in rows):
        # Prose states rates, but not one for all the funds: say so on each row left without one.
        rows = [confidence.flag(r, "rate in prose not applied") if r.total_rate is None else r for r in rows]

    rows = drop_cut_row(rows, doc, diags)
    restated = restated_section(flow)
    if not rows:
        rows = prose_rows(flow, registrant, scope, diags)
    ops = schedule_operations(flow, meta.kind, rows, parsed.label, restated)
    renames = tuple(
        Operation("rename_fund", target=old, new_name=new, lines=(line, line))
        for old, new, line in parsed.renames
    )
    if renames:
        ops = replace(ops, operations=renames + ops.operations)

    if parsed.truncated:
        diags.append(
            Diagnostic("warning", "the document ends inside the schedule (truncated?)", doc.lines[-1].no)
        )
    if not rows:
        # Without a schedule or a restated plan section there is nothing to record.
        level: Level = "warning" if ops.operations else "error"
        diags.append(Diagnostic(level, "no schedule rows found (no funds listed, no rate in prose)", None))
    # Where the document speaks of share classes at all, a row without one is doubtful.
    speaks_of_classes = bool(meta.plan_classes or parsed.classes_seen or parsed.prose_classes) or bool(
        re.search(r"\bclass(es)?\b", meta.title, re.I)
    )
    # A clause's named exceptions are applied (class_clauses), so they are no reason for doubt.
    texts = {line.no: line.text for line in doc.lines if line.no not in clause_lines}
    rows = confidence.exceptions_in_schedule(rows, texts)
    rows, row_diags = confidence.review(rows, speaks_of_classes)
    diags.extend(row_diags)

    schedule = None
    if rows or ops.label:
        schedule = Schedule(
            label=ops.label or "Schedule A",
            replaces_entirely=ops.replaces_entirely,
            rows=tuple(rows),
            lines=(rows[0].lines[0], rows[-1].lines[1])
            if rows and rows[0].lines and rows[-1].lines
            else None,
        )
    classes = list(meta.plan_classes)
    for out_row in rows:
        if out_row.share_class and out_row.share_class not in classes:
            classes.append(out_row.share_class)
    dates = meta.dates
    return Instrument(
        source=Source(path=doc.path, sha256=doc.sha256),
        kind=meta.kind,
        title=meta.title,
        amendment_number=meta.amendment_number,
        plan=PlanRef(title=meta.plan_title, share_classes=tuple(classes), dated=dates.plan_dated),
        effective_date=meta.effective.value,
        dated=dates.dated,
        operations=ops.operations,
        schedule=schedule,
        signatories=meta.signatories,
        diagnostics=tuple(diags),
        effective_date_lines=(meta.effective.line, meta.effective.line) if meta.effective.line else None,
        dated_lines=(dates.dated_line, dates.dated_line) if dates.dated_line else None,
        confidence=confidence.document_confidence(rows, diags),
    )
