"""The rows of a redline: the schedule in force the day before a draft takes effect against the
schedule it makes, matched by identity through renames (history's `Line.ident`), rates as they
apply (plan terms included), removed rows kept where they stood."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from distplan import history as H
from distplan.documents.render.redline import Cells, RedlineRow, redline_docx
from distplan.documents.render.words import class_label, rate_text
from distplan.drafting.preview import draft_entry
from distplan.history import Line
from distplan.ledger import Entry, Plan
from distplan.model import Instrument


def _cells(line: Line) -> Cells:
    rates = [
        rate_text(v) if v is not None else ""
        for v in (line.distribution_fee, line.service_fee, line.aggregate_fee)
    ]
    return (
        line.fund,
        class_label(line.share_class) if line.share_class else "",
        rates[0],
        rates[1],
        rates[2],
    )


def redline_rows(old: Sequence[Line], new: Sequence[Line]) -> list[RedlineRow]:
    before = {line.ident: line for line in old}
    after = {line.ident for line in new}
    rows = [
        RedlineRow(
            line.registrant or "", _cells(before[line.ident]) if line.ident in before else None, _cells(line)
        )
        for line in new
    ]
    idents = [line.ident for line in new]
    for i, line in enumerate(old):
        if line.ident in after:
            continue
        # After the nearest earlier row that stays (and the removed rows already put after it).
        kept = next((o.ident for o in reversed(old[:i]) if o.ident in after), None)
        at = idents.index(kept) + 1 if kept is not None else 0
        while at < len(rows) and rows[at].new is None:
            at += 1
        rows.insert(at, RedlineRow(line.registrant or "", _cells(line), None))
        idents.insert(at, line.ident)
    return rows


def redline(entries: list[Entry], plan: Plan, draft: Instrument, *, author: str, when: datetime) -> bytes:
    """The draft's DOCX with Schedule A as tracked changes against the schedule in force."""
    if draft.effective_date is None:
        from distplan.app.errors import Invalid

        raise Invalid("the draft has no effective_date: nothing to compare it with", "effective_date")
    copy = [*entries, draft_entry(draft, plan, entries)]
    cache = H.HistoryCache()
    old = H.plan_state(copy, plan, draft.effective_date - timedelta(days=1), cache=cache).rows
    new = H.plan_state(copy, plan, draft.effective_date, cache=cache).rows
    return redline_docx(draft, redline_rows(old, new), author=author, when=when)
