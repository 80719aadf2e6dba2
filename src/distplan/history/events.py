"""A plan's instrument entries as dated events, and what each does to the schedule."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from distplan.history.records import Origin, Terms, _terms, fold, instrument_label
from distplan.ledger.records import KIND_INSTRUMENT, KIND_TERMS, KIND_VOID, Entry, Plan
from distplan.model import Instrument, Operation

_KIND_ORDER = {"plan": 0, "schedule": 1, "amendment": 2}
_SCHEDULE_OPS = ("replace_schedule", "add_rows", "remove_rows")


@dataclass(slots=True, eq=False)
class _Event:
    """An instrument entry as a dated event. Owned by one HistoryCache (the entry itself is
    never written to); its operations are worked out on first use, under the cache's lock."""

    date: date
    order: tuple[int, int, int]
    entry: Entry
    label: str
    _ops: list[Operation] | None = field(default=None, repr=False)

    @property
    def origin(self) -> Origin:
        return (self.date, self.entry.seq, self.label)

    @property
    def ops(self) -> list[Operation]:
        if self._ops is None:
            self._ops = _schedule_ops(self.entry.instrument)
        return self._ops


def _fold_entries(
    entries: list[Entry], plan: Plan, event_of: Callable[[Entry], _Event | None]
) -> tuple[list[_Event], list[Terms], list[str]]:
    voided = {e.target_seq for e in entries if e.kind == KIND_VOID}
    events: list[_Event] = []
    terms: list[Terms] = []
    warnings: list[str] = []
    for e in entries:
        if e.plan_id != plan.id or e.seq in voided:
            continue
        if e.kind == KIND_INSTRUMENT:
            ev = event_of(e)
            if ev is None:
                warnings.append(f"{instrument_label(e)}: no effective date; left out of the plan's state")
                continue
            events.append(ev)
        elif e.kind == KIND_TERMS:
            t = _terms(e)
            if t is not None:
                terms.append(t)
    events.sort(key=lambda ev: (ev.date, ev.order))
    return events, terms, warnings


def _event(e: Entry) -> _Event | None:
    """The instrument entry as a dated event, from the payload (decoding every instrument is
    the cost of a cold query). None when it has no effective date."""
    if e.effective_date is None:
        return None
    number = e.payload.get("amendment_number")
    order = (_KIND_ORDER.get(e.payload.get("kind") or "", 2), number if isinstance(number, int) else 0, e.seq)
    return _Event(e.effective_date, order, e, instrument_label(e))


def named_funds(entries: Iterable[Entry]) -> set[str]:
    """Folded names of every fund any of these instrument entries names."""
    out: set[str] = set()
    for e in entries:
        if e.kind != KIND_INSTRUMENT:
            continue
        inst = e.instrument
        rows = [r for op in inst.operations for r in op.rows]
        rows += list(inst.schedule.rows) if inst.schedule is not None else []
        out.update(fold(r.fund) for r in rows)
        out.update(fold(op.new_name) for op in inst.operations if op.op == "rename_fund" and op.new_name)
    return out


def _schedule_ops(inst: Instrument) -> list[Operation]:
    """The instrument's operations; a bare schedule counts as a replacement (or additions).
    A schedule operation that carries no rows of its own (`{"op": "replace_schedule",
    "target": "Schedule A"}`) takes the instrument's schedule rows."""
    ops = list(inst.operations)
    if inst.schedule is not None:
        ops = [
            replace(op, rows=inst.schedule.rows)
            if op.op in ("replace_schedule", "add_rows") and not op.rows
            else op
            for op in ops
        ]
    if inst.schedule is not None and not any(op.op in _SCHEDULE_OPS for op in ops):
        replaces = inst.schedule.replaces_entirely or inst.kind in ("plan", "schedule")
        ops.insert(0, Operation("replace_schedule" if replaces else "add_rows", rows=inst.schedule.rows))
    return ops


def _replaces(entry: Entry) -> bool:
    """Whether the instrument replaces the whole schedule (as `_schedule_ops` would say),
    read from the payload without decoding the instrument."""
    p = entry.payload
    ops = [op.get("op") for op in p.get("operations") or [] if isinstance(op, dict)]
    if "replace_schedule" in ops:
        return True
    schedule = p.get("schedule")
    if not isinstance(schedule, dict) or any(op in _SCHEDULE_OPS for op in ops):
        return False
    return bool(schedule.get("replaces_entirely", True)) or p.get("kind") in ("plan", "schedule")
