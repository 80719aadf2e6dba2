"""A plan's legal state on any date: the fold of its recorded instruments in effective order.

Pure functions over ledger entries (no database, no clock). Pass the entries as known at the
moment you care about (`Ledger.entries(known_at=...)`); voids among them are honoured.

Order: instruments apply by effective date, then (same day) plan < schedule < amendment, then
amendment number, then seq. An instrument effective D ends the previous state on D.
A schedule row's rates are the row's own, else plan terms (`terms` entries: the most specific
scope, fund+class > fund > class > plan, then the latest effective); an aggregate that is
stated nowhere is derived as distribution + service when both are known.
"""

from __future__ import annotations

import gc
import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Any

from distplan.errors import InputError
from distplan.ledger.plankey import class_key
from distplan.ledger.records import KIND_INSTRUMENT, KIND_TERMS, KIND_VOID, Entry, Plan
from distplan.model import CoveragePeriod, Instrument, Operation, ScheduleRow, fold_name

FIELDS = ("distribution_fee", "service_fee", "aggregate_fee")
_KIND_ORDER = {"plan": 0, "schedule": 1, "amendment": 2}
_SCHEDULE_OPS = ("replace_schedule", "add_rows", "remove_rows")

Key = tuple[str, str]
# A covered fund-class through renames: (fund key when first covered, class key, serial).
Ident = tuple[str, str, int]
# Where a value of a row took its current form: (effective day, entry seq, instrument label).
Origin = tuple[date, int, str]
# One origin per part of a row that can change: registrant, fund name, then the three rates.
_REGISTRANT, _FUND, _RATES = 0, 1, 2

fold = lru_cache(maxsize=200_000)(fold_name)
_class_key = lru_cache(maxsize=10_000)(class_key)


# --- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """Plan-level rates a schedule does not state, with their provenance."""

    seq: int
    effective: date
    source: str
    rates: dict[str, Decimal]
    fund: str | None = None
    share_class: str | None = None

    @property
    def specificity(self) -> int:
        return (2 if self.fund else 0) + (1 if self.share_class else 0)


def terms_payload(
    *,
    distribution: Decimal | None,
    service: Decimal | None,
    aggregate: Decimal | None,
    source: str,
    fund: str | None = None,
    share_class: str | None = None,
) -> dict[str, Any]:
    """The payload of a `terms` entry (see `Ledger.append`)."""
    rates = {"distribution_fee": distribution, "service_fee": service, "aggregate_fee": aggregate}
    if all(v is None for v in rates.values()):
        raise InputError("terms: give at least one of --distribution, --service, --aggregate")
    for name, value in rates.items():
        if value is not None and (not value.is_finite() or value < 0):
            raise InputError(f"terms: --{name.split('_')[0]} {value}: not a non-negative rate")
    if not source.strip():
        raise InputError("terms: --source is required (where these terms are written)")
    return {
        "rates": {k: str(v) for k, v in rates.items() if v is not None},
        "source": source.strip(),
        "fund": fund,
        "share_class": share_class,
    }


def _terms(entry: Entry) -> Terms | None:
    if entry.effective_date is None:
        return None
    p = entry.payload
    rates = {k: Decimal(v) for k, v in (p.get("rates") or {}).items() if k in FIELDS and v is not None}
    return Terms(
        entry.seq,
        entry.effective_date,
        str(p.get("source") or ""),
        rates,
        p.get("fund"),
        p.get("share_class"),
    )


def instrument_label(entry: Entry) -> str:
    """ "Amendment No. 3 (seq 2)". Read from the payload without decoding the instrument."""
    p = entry.payload
    kind = str(p.get("kind") or "instrument")
    schedule = p.get("schedule")
    if p.get("amendment_number") is not None:
        name = f"Amendment No. {p['amendment_number']}"
    elif kind == "plan":
        name = p.get("title") or "Plan"
    elif isinstance(schedule, dict) and schedule.get("label"):
        name = str(schedule["label"])
    else:
        name = p.get("title") or kind.title()
    return f"{name} (seq {entry.seq})"


@dataclass(frozen=True)
class Line:
    """One schedule row in force, with the rates that apply and where each came from."""

    registrant: str | None
    fund: str
    share_class: str | None
    distribution_fee: Decimal | None
    service_fee: Decimal | None
    aggregate_fee: Decimal | None
    since: date
    instrument: str
    instrument_seq: int
    sources: dict[str, dict[str, Any]] = field(compare=False)
    ident: Ident = field(compare=False, default=("", "", 0))
    # The instrument (or terms) behind each part's current value; `since` is the latest.
    origins: tuple[Origin, ...] = field(compare=False, default=())

    @property
    def key(self) -> Key:
        return (fold(self.fund), _class_key(self.share_class or ""))

    def rates(self) -> dict[str, str | None]:
        return {f: _dec(getattr(self, f)) for f in FIELDS}

    def to_json(self) -> dict[str, Any]:
        return {
            "registrant": self.registrant,
            "fund": self.fund,
            "share_class": self.share_class,
            **self.rates(),
            "since": self.since.isoformat(),
            "instrument": self.instrument,
            "instrument_seq": self.instrument_seq,
            "rate_sources": self.sources,
        }


@dataclass(frozen=True)
class PlanState:
    plan: Plan
    as_of: date
    rows: tuple[Line, ...]
    instruments: tuple[str, ...]  # labels of the instruments applied, in effective order
    first_effective: date | None
    warnings: tuple[str, ...] = ()

    @property
    def in_force(self) -> bool:
        return bool(self.rows)

    def message(self) -> str:
        if self.rows:
            registrants = {fold(r.registrant or "") for r in self.rows}
            return f"{len(self.rows)} funds under {len(registrants)} registrants as of {self.as_of}"
        if self.first_effective is None:
            return f"no schedule in force on {self.as_of}: the plan has no instrument with an effective date"
        if self.first_effective > self.as_of:
            first = self.first_effective
            return f"no schedule in force on {self.as_of}: the first instrument is effective {first}"
        return f"no schedule in force on {self.as_of}: the schedule is empty (terminated or removed)"


@dataclass(frozen=True)
class HistoryItem:
    seq: int
    kind: str
    label: str
    effective_date: date | None
    recorded_at: str
    status: str  # "in force", "superseded", "pending" (effective later), "void", "undated"
    note: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "label": self.label,
            "effective_date": self.effective_date.isoformat() if self.effective_date else None,
            "recorded_at": self.recorded_at,
            "status": self.status,
            "note": self.note,
        }


def _dec(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


# --- the fold -------------------------------------------------------------------------------


@contextmanager
def _no_gc() -> Iterator[None]:
    """A fold makes many small acyclic objects; the cyclic collector re-scanning the (large,
    long-lived) decoded entries meanwhile costs ~40% of the time, so it waits.

    What the fold leaves behind is mostly cache kept for the life of the Ledger (decoded
    entries, snapshots, checkpoints: big dicts and lists of 10,000 rows). Scanning those again
    made later queries pause 50-800 ms now and then, so they are frozen out of the
    collector's view (gc.freeze, O(1)); the garbage made before the fold is collected first
    (young generations only: cheap) so that it is not frozen with them."""
    enabled = gc.isenabled()
    if enabled:
        gc.collect(1)
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


@dataclass(slots=True)
class _Row:
    ident: Ident
    registrant: str | None
    fund: str
    share_class: str | None
    stated: tuple[Decimal | None, Decimal | None, Decimal | None]
    seq: int
    label: str
    since: date
    origins: tuple[Origin, ...]  # registrant, fund, distribution, service, aggregate
    # (terms signature, line, display order) once computed; rows are never changed in place.
    memo: tuple[tuple[int, ...], Line, tuple[str, str, str]] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class _Event:
    date: date
    order: tuple[int, int, int]
    entry: Entry
    label: str

    @property
    def origin(self) -> Origin:
        return (self.date, self.entry.seq, self.label)


@dataclass
class _Checkpoint:
    """A fold reached by an earlier query, with its lines in display order (parallel lists)."""

    fold: _Fold
    day: date | None
    i: int
    applied: list[str]
    signature: tuple[int, ...]
    orders: list[tuple[str, str, str]]
    keys: list[Key]
    lines: list[Line]


_MAX_CHECKPOINTS = 32  # each ~1.5 MB with 10,000 rows
_MAX_SNAPSHOTS = 16  # each ~1.5 MB with 10,000 rows


@dataclass
class _History:
    """A plan's events and terms from one set of entries, worked out once per set."""

    entries: list[Entry]  # held so the ids in the cache key stay theirs
    events: list[_Event]
    terms: list[Terms]
    warnings: list[str]
    # Indexes of events that replace the whole schedule with nothing before them the same
    # day: a sweep can start from the fold right after one (its snapshot).
    starts: list[int]
    start_dates: list[date]
    snapshots: dict[int, _Snapshot] = field(default_factory=dict)
    # Per replacement index: folds reached by earlier queries, so a warm query replays only
    # the amendments since the nearest one and merges its few changed lines.
    checkpoints: dict[int, list[_Checkpoint]] = field(default_factory=dict)
    kept: list[tuple[int, _Checkpoint]] = field(default_factory=list)  # oldest first

    def checkpoint(self, start: int, day: date) -> _Checkpoint | None:
        """The latest checkpoint after replacement `start` that is not past `day`."""
        best = None
        for cp in self.checkpoints.get(start, ()):
            if cp.day is not None and cp.day <= day and (best is None or cp.day > best.day):  # type: ignore[operator]
                best = cp
        return best

    def snapshot(self, at: int, default_class: str | None) -> _Snapshot:
        """The fold right after replacement `at`, from the nearest earlier one kept (each is
        the whole history's fold up to there, so restated rows keep their origins)."""
        found = self.snapshots.get(at)
        if found is not None:
            return found
        k = bisect_left(self.starts, at)
        j = k
        while j > 0 and self.starts[j - 1] not in self.snapshots:
            j -= 1
        prev: _Fold | None = self.snapshots[self.starts[j - 1]].fold if j > 0 else None
        snap = None
        for idx in range(j, k + 1):
            here = self.starts[idx]
            fold = prev.copy() if prev is not None else _Fold(default_class)
            begin = self.starts[idx - 1] + 1 if idx > 0 else 0
            _replay(fold, self.events, begin, here, self.events[here].date)
            fold.apply(self.events[here])
            fold.touched, fold.changed = set(), set()
            snap = _Snapshot(fold)
            if len(self.snapshots) >= _MAX_SNAPSHOTS:
                del self.snapshots[next(iter(self.snapshots))]
            self.snapshots[here] = snap
            prev = fold
        assert snap is not None
        return snap

    def keep(self, start: int, cp: _Checkpoint) -> None:
        if len(self.kept) >= _MAX_CHECKPOINTS:
            old_start, old = self.kept.pop(0)
            self.checkpoints[old_start].remove(old)
        self.checkpoints.setdefault(start, []).append(cp)
        self.kept.append((start, cp))


_HISTORIES: dict[tuple[Any, ...], _History] = {}
_MAX_HISTORIES = 4


def _history_of(entries: Iterable[Entry], plan: Plan) -> _History:
    entries = list(entries)
    key = (plan, tuple(map(id, entries)))
    found = _HISTORIES.get(key)
    if found is None:
        events, terms, warns = _fold_entries(entries, plan)
        starts = [
            i
            for i, ev in enumerate(events)
            if _replaces(ev.entry) and (i == 0 or events[i - 1].date != ev.date)
        ]
        found = _History(entries, events, terms, warns, starts, [events[i].date for i in starts])
        while len(_HISTORIES) >= _MAX_HISTORIES:
            del _HISTORIES[next(iter(_HISTORIES))]
        _HISTORIES[key] = found
    return found


def _plan_entries(entries: Iterable[Entry], plan: Plan) -> tuple[list[_Event], list[Terms], list[str]]:
    h = _history_of(entries, plan)
    return list(h.events), list(h.terms), list(h.warnings)


def _fold_entries(entries: list[Entry], plan: Plan) -> tuple[list[_Event], list[Terms], list[str]]:
    voided = {e.target_seq for e in entries if e.kind == KIND_VOID}
    events: list[_Event] = []
    terms: list[Terms] = []
    warnings: list[str] = []
    for e in entries:
        if e.plan_id != plan.id or e.seq in voided:
            continue
        if e.kind == KIND_INSTRUMENT:
            ev = _event(e)
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
    """The instrument entry as a dated event (worked out once per immutable entry)."""
    if "_history_event" not in e.__dict__:
        # From the payload: decoding every instrument is the cost of a cold query.
        ev = None
        if e.effective_date is not None:
            number = e.payload.get("amendment_number")
            order = (
                _KIND_ORDER.get(e.payload.get("kind") or "", 2),
                number if isinstance(number, int) else 0,
                e.seq,
            )
            ev = _Event(e.effective_date, order, e, instrument_label(e))
        e.__dict__["_history_event"] = ev
    return e.__dict__["_history_event"]


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


def warnings(entries: Iterable[Entry], plan: Plan) -> list[str]:
    """Same-day instruments, gaps in amendment numbering, undated instruments."""
    events, _, out = _plan_entries(entries, plan)
    by_day: dict[date, list[_Event]] = {}
    for ev in events:
        by_day.setdefault(ev.date, []).append(ev)
    for day, evs in by_day.items():
        if len(evs) > 1:
            names = ", ".join(ev.label for ev in evs)
            out.append(f"{len(evs)} instruments effective {day}: applied in amendment-number order ({names})")
    numbers = sorted({n for ev in events if (n := ev.entry.instrument.amendment_number) is not None})
    missing = [n for a, b in itertools.pairwise(numbers) for n in range(a + 1, b)]
    if missing:
        out.append("amendment numbering has gaps: no Amendment No. " + ", ".join(map(str, missing)))
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


def _entry_ops(entry: Entry) -> list[Operation]:
    """`_schedule_ops` of a recorded instrument, worked out once per (immutable) entry."""
    cached = entry.__dict__.get("_history_ops")
    if cached is None:
        cached = entry.__dict__["_history_ops"] = _schedule_ops(entry.instrument)
    return cached


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


def _origins(
    old: _Row | None,
    registrant: str | None,
    stated: tuple[Decimal | None, Decimal | None, Decimal | None],
    origin: Origin,
) -> tuple[tuple[Origin, ...], date]:
    """The origins of a row's parts and its `since` (the latest of them). Each part keeps its
    origin while its value is unchanged, so a schedule that restates a row as it was does not
    move its `since` (names compare folded, as in `diff`)."""
    if old is None:
        return (origin,) * 5, origin[0]
    o, s = old.origins, old.stated
    same = (
        old.registrant == registrant or fold(old.registrant or "") == fold(registrant or ""),
        True,  # a row's key is its folded fund name: only rename_fund changes it
        _same(s[0], stated[0]),
        _same(s[1], stated[1]),
        _same(s[2], stated[2]),
    )
    if all(same):
        return o, old.since
    new = tuple(o[i] if same[i] else origin for i in range(5))
    return new, max(x[0] for x in new)


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    # Decimal == None goes through the numbers ABCs: slow on 10,000-row schedules.
    return a is b or (a is not None and b is not None and a == b)


def _since(origins: tuple[Origin, ...]) -> date:
    return max(o[0] for o in origins)


_UNSTATED = (None, None, None)


class _Keep:
    """Marks an argument not given (None is a value here)."""


_KEEP = _Keep()


class _Fold:
    """Applies instruments in order, keeping the rows in force and those touched per step.

    Indexed by key, by folded registrant and by identity so that an amendment costs what it
    changes, not the size of the schedule."""

    def __init__(self, default_class: str | None) -> None:
        self.rows: dict[Key, _Row] = {}
        self.by_registrant: dict[str, set[Key]] = {}
        self.ident_key: dict[Ident, Key] = {}
        self.pending: list[tuple[date, Key, _Row]] = []  # rows whose own date is later
        self.touched: set[Key] = set()
        self.changed: set[Ident] = set()  # identities added, removed or altered (for periods)
        self.default_class = default_class
        self.serial = 0
        self.unstated = 0  # rows that state no rate of their own (kept for plan_state's warning)

    def copy(self) -> _Fold:
        other = _Fold(self.default_class)
        other.rows = dict(self.rows)
        other.by_registrant = {k: set(v) for k, v in self.by_registrant.items()}
        other.ident_key = dict(self.ident_key)
        other.pending = list(self.pending)
        other.serial = self.serial
        other.unstated = self.unstated
        return other

    # The only two places that change `rows` (keeping the indexes in step).
    def _set(self, key: Key, row: _Row) -> None:
        old = self.rows.get(key)
        if old is not None:
            self._unindex(key, old)
        self.rows[key] = row
        if row.stated == _UNSTATED:
            self.unstated += 1
        self.by_registrant.setdefault(fold(row.registrant or ""), set()).add(key)
        self.ident_key[row.ident] = key
        self.touched.add(key)
        self.changed.add(row.ident)

    def _pop(self, key: Key) -> None:
        old = self.rows.pop(key, None)
        if old is not None:
            self._unindex(key, old)
            self.touched.add(key)

    def _unindex(self, key: Key, row: _Row) -> None:
        self.changed.add(row.ident)
        if row.stated == _UNSTATED:
            self.unstated -= 1
        keys = self.by_registrant.get(fold(row.registrant or ""))
        if keys is not None:
            keys.discard(key)
        if self.ident_key.get(row.ident) == key:
            del self.ident_key[row.ident]

    def new_ident(self, key: Key) -> Ident:
        self.serial += 1
        return (key[0], key[1], self.serial)

    def key(self, fund: str, share_class: str | None) -> Key:
        return (fold(fund), _class_key(share_class or self.default_class or ""))

    def _new(self, r: ScheduleRow, ev: _Event, old: _Row | None, key: Key) -> _Row:
        origin = ev.origin
        if r.effective_date is not None and r.effective_date > ev.date:
            origin = (r.effective_date, ev.entry.seq, ev.label)
        stated = (r.distribution_fee, r.service_fee, r.aggregate_fee)
        origins, since = _origins(old, r.registrant, stated, origin)
        return _Row(
            ident=old.ident if old is not None else self.new_ident(key),
            registrant=r.registrant,
            fund=r.fund,
            share_class=r.share_class or self.default_class,
            stated=stated,
            seq=ev.entry.seq,
            label=ev.label,
            since=since,
            origins=origins,
        )

    def _put(self, r: ScheduleRow, ev: _Event, old_rows: dict[Key, _Row]) -> None:
        key = self.key(r.fund, r.share_class)
        row = self._new(r, ev, old_rows.get(key), key)
        if self.pending:  # a later statement of the row supersedes one waiting for its date
            self.pending = [p for p in self.pending if p[1] != key]
        if r.effective_date is not None and r.effective_date > ev.date:
            self.pending.append((r.effective_date, key, row))
            return
        self._set(key, row)

    def _matching(self, fund: str | None, share_class: str | None) -> list[Key]:
        if fund and (share_class or self.default_class):
            key = self.key(fund, share_class)
            return [key] if key in self.rows else []
        fk = fold(fund) if fund else None
        ck = _class_key(share_class) if share_class else None
        return [k for k in self.rows if (fk is None or k[0] == fk) and (ck is None or k[1] == ck)]

    def activate(self, day: date) -> None:
        """Rows with their own effective date come into force on that date."""
        due = [p for p in self.pending if p[0] <= day]
        if due:
            self.pending = [p for p in self.pending if p[0] > day]
            for _, key, row in due:
                current = self.rows.get(key)
                self._set(key, row if current is None else replace(row, ident=current.ident, memo=None))

    def next_pending(self) -> date | None:
        return min((p[0] for p in self.pending), default=None)

    def apply(self, ev: _Event) -> None:
        for op in _entry_ops(ev.entry):
            getattr(self, "_op_" + op.op, self._op_other)(op, ev)

    def _op_replace_schedule(self, op: Operation, ev: _Event) -> None:
        old = self.rows
        self.touched.update(old)
        self.changed.update(row.ident for row in old.values())
        self.rows, self.by_registrant, self.ident_key, self.pending = {}, {}, {}, []
        self.unstated = 0
        for r in op.rows:
            self._put(r, ev, old)

    def _op_add_rows(self, op: Operation, ev: _Event) -> None:
        for r in op.rows:
            self._put(r, ev, self.rows)

    def _op_remove_rows(self, op: Operation, ev: _Event) -> None:
        for r in op.rows:
            for k in self._matching(r.fund, r.share_class):
                self._pop(k)
            if self.pending:
                fk = fold(r.fund)
                self.pending = [p for p in self.pending if p[1][0] != fk]

    def _touch(
        self,
        key: Key,
        ev: _Event,
        *,
        registrant: str | _Keep | None = _KEEP,
        stated: tuple[Decimal | None, Decimal | None, Decimal | None] | None = None,
    ) -> None:
        row = self.rows[key]
        name = row.registrant if isinstance(registrant, _Keep) else registrant
        new_stated = row.stated if stated is None else stated
        origins, since = _origins(row, name, new_stated, ev.origin)
        new = _Row(
            row.ident, name, row.fund, row.share_class, new_stated, ev.entry.seq, ev.label, since, origins
        )
        self._set(key, new)

    def _op_set_rates(self, op: Operation, ev: _Event) -> None:
        for r in op.rows:
            new = (r.distribution_fee, r.service_fee, r.aggregate_fee)
            for k in self._matching(r.fund, r.share_class):
                old = self.rows[k].stated
                stated = (
                    new[0] if new[0] is not None else old[0],
                    new[1] if new[1] is not None else old[1],
                    new[2] if new[2] is not None else old[2],
                )
                self._touch(k, ev, stated=stated)

    def _op_terminate(self, op: Operation, ev: _Event) -> None:
        if not op.target:
            for k in list(self.rows):
                self._pop(k)
            self.pending = []
            return
        fk = fold(op.target)
        ck = _class_key(op.target)
        keys = [k for k in self.rows if k[0] == fk] or [k for k in self.rows if k[1] == ck]
        for k in keys:
            self._pop(k)

    def _op_rename_registrant(self, op: Operation, ev: _Event) -> None:
        keys = self.by_registrant.get(fold(op.target), set()) if op.target else self.rows.keys()
        for k in list(keys):
            self._touch(k, ev, registrant=op.new_name)

    def _op_rename_fund(self, op: Operation, ev: _Event) -> None:
        if not op.target or not op.new_name:
            return
        fk = fold(op.target)
        for k in [k for k in self.rows if k[0] == fk]:
            row = self.rows[k]
            self._pop(k)
            new_key = (fold(op.new_name), k[1])
            origins = row.origins
            if new_key[0] != k[0]:
                origins = (*origins[:_FUND], ev.origin, *origins[_FUND + 1 :])
            self._set(
                new_key,
                replace(
                    row,
                    fund=op.new_name,
                    seq=ev.entry.seq,
                    label=ev.label,
                    since=_since(origins),
                    origins=origins,
                    memo=None,
                ),
            )

    def _op_other(self, op: Operation, ev: _Event) -> None:
        """Text amendments change no schedule row."""


_NO_SOURCE: dict[str, Any] = {"from": None}
_DERIVED: dict[str, Any] = {"from": "derived", "rule": "distribution_fee + service_fee"}


class _Rates:
    """Plan terms in force on one day, by scope, field by field."""

    def __init__(self, terms: Sequence[Terms]) -> None:
        self.by_scope: dict[tuple[str | None, str | None], dict[str, Terms]] = {}
        ordered = sorted(terms, key=lambda t: (t.effective, t.seq))
        self.signature = tuple(t.seq for t in ordered)
        for t in ordered:
            scope = (fold(t.fund) if t.fund else None, _class_key(t.share_class) if t.share_class else None)
            slot = self.by_scope.setdefault(scope, {})
            for name in t.rates:
                slot[name] = t
        self.fund_scoped = {scope[0] for scope in self.by_scope if scope[0] is not None}
        self._resolved: dict[Key, list[Terms | None]] = {}
        self._sources: dict[int, dict[str, Any]] = {}

    def _resolve(self, key: Key) -> list[Terms | None]:
        """The terms that give each field for a fund-class (cached: most rows share them)."""
        cache_key = key if key[0] in self.fund_scoped else ("", key[1])
        found = self._resolved.get(cache_key)
        if found is None:
            scopes = ((key[0], key[1]), (key[0], None), (None, key[1]), (None, None))
            found = []
            for name in FIELDS:
                hit: Terms | None = None
                for scope in scopes:
                    slot = self.by_scope.get(scope)
                    if slot is not None and name in slot:
                        hit = slot[name]
                        break
                found.append(hit)
            self._resolved[cache_key] = found
        return found

    def _terms_source(self, t: Terms) -> dict[str, Any]:
        src = self._sources.get(t.seq)
        if src is None:
            src = {"from": "terms", "seq": t.seq, "effective": t.effective.isoformat(), "source": t.source}
            self._sources[t.seq] = src
        return src

    def line(self, row: _Row) -> Line:
        key = (fold(row.fund), _class_key(row.share_class or ""))
        resolved = self._resolve(key)
        values: list[Decimal | None] = [None, None, None]
        sources: dict[str, dict[str, Any]] = {}
        since = row.since
        for i, name in enumerate(FIELDS):
            stated = row.stated[i]
            if stated is not None:
                values[i] = stated
                sources[name] = {"from": "schedule", "seq": row.seq, "instrument": row.label}
                continue
            hit = resolved[i]
            if hit is None:
                sources[name] = _NO_SOURCE
                continue
            values[i] = hit.rates[name]
            if hit.effective > since:
                since = hit.effective
            sources[name] = self._terms_source(hit)
        if values[2] is None and values[0] is not None and values[1] is not None:
            values[2] = values[0] + values[1]
            sources["aggregate_fee"] = _DERIVED
        return Line(
            registrant=row.registrant,
            fund=row.fund,
            share_class=row.share_class,
            distribution_fee=values[0],
            service_fee=values[1],
            aggregate_fee=values[2],
            since=since,
            instrument=row.label,
            instrument_seq=row.seq,
            sources=sources,
            ident=row.ident,
            origins=row.origins,
        )


def _default_class(plan: Plan) -> str | None:
    if plan.share_class and "," not in plan.share_class:
        return plan.share_class
    return None


@dataclass
class _Snapshot:
    """The fold right after a full replacement: a later query copies it instead of
    re-applying thousands of rows, and reuses the lines it computed. It is the fold of the
    whole history up to there (a restated row keeps its identity and `since`), so it belongs
    to one set of entries (`_History`)."""

    fold: _Fold
    lines: dict[tuple[Any, ...], tuple[Line, tuple[str, str, str]]] = field(default_factory=dict)


def _replay(fold: _Fold, events: Sequence[_Event], i: int, stop: int, day: date) -> None:
    """Apply events[i:stop] and the rows that come into force through `day`, in the order a
    sweep would."""
    while True:
        pending = fold.next_pending()
        candidates = [pending] if pending is not None and pending <= day else []
        if i < stop:
            candidates.append(events[i].date)
        if not candidates:
            return
        step = min(candidates)
        fold.activate(step)
        while i < stop and events[i].date == step:
            fold.apply(events[i])
            i += 1


class _Sweep:
    """Walks a plan's history forward in time, one change date at a time."""

    def __init__(self, entries: Iterable[Entry], plan: Plan, start_at_last_replacement: date | None = None):
        self.plan = plan
        self.history = h = _history_of(entries, plan)
        self.events, self.terms, self.warnings = list(h.events), h.terms, list(h.warnings)
        self.first_effective = self.events[0].date if self.events else None
        self.fold = _Fold(_default_class(plan))
        self.i = 0
        self.applied: list[str] = []
        self.day: date | None = None
        self.snapshot: _Snapshot | None = None
        self.start: int | None = None  # the replacement the fold starts from (snapshot)
        if start_at_last_replacement is not None:
            # Start from the fold right after the last full replacement (kept once computed).
            n = bisect_right(h.start_dates, start_at_last_replacement)
            if n:
                at = h.starts[n - 1]
                first = self.events[at]
                self.snapshot = h.snapshot(at, self.fold.default_class)
                self.fold = self.snapshot.fold.copy()
                self.i = at + 1
                self.applied.append(first.label)
                self.day = first.date
                self.start = at

    def next_date(self) -> date | None:
        candidates = [d for d in (self.fold.next_pending(),) if d is not None]
        if self.i < len(self.events):
            candidates.append(self.events[self.i].date)
        return min(candidates) if candidates else None

    def step(self) -> date:
        """Apply everything effective on the next change date; return that date."""
        day = self.next_date()
        assert day is not None
        self.fold.activate(day)
        while self.i < len(self.events) and self.events[self.i].date == day:
            ev = self.events[self.i]
            self.fold.apply(ev)
            self.applied.append(ev.label)
            self.i += 1
        self.day = day
        return day

    def advance_to(self, day: date) -> None:
        while (nxt := self.next_date()) is not None and nxt <= day:
            self.step()

    def rates(self, day: date) -> _Rates:
        return _Rates([t for t in self.terms if t.effective <= day])

    def unrated(self, day: date, lines: Sequence[Line]) -> int:
        """How many of these lines (the fold's, on `day`) have no rate at all: counted by the
        fold when no terms apply, none when plan-wide terms do (they give every row a rate)."""
        terms = [t for t in self.terms if t.effective <= day]
        if not terms:
            return self.fold.unstated
        if any(t.fund is None and t.share_class is None and t.rates for t in terms):
            return 0
        return sum(
            1
            for line in lines
            if line.distribution_fee is None and line.service_fee is None and line.aggregate_fee is None
        )

    def terms_dates(self) -> list[date]:
        return sorted({t.effective for t in self.terms})

    def lines(self, day: date) -> list[Line]:
        rates = self.rates(day)
        return [rates.line(row) for row in self.fold.rows.values()]

    def sorted_lines(self, day: date) -> list[Line]:
        """The lines in display order (registrant, fund, class)."""
        return [line for _, _, line in self._ordered(self.rates(day), self.fold.rows.items())]

    def _ordered(
        self, rates: _Rates, rows: Iterable[tuple[Key, _Row]]
    ) -> list[tuple[tuple[str, str, str], Key, Line]]:
        """(display order, key, line) of these rows, sorted."""
        # Replaying the same amendments on the same snapshot gives rows of the same content:
        # their lines (under the same terms) are kept with the snapshot for the next query.
        memo = self.snapshot.lines if self.snapshot is not None else {}
        sig = rates.signature
        out: list[tuple[tuple[str, str, str], Key, Line]] = []
        for key, row in rows:
            cached = row.memo  # the snapshot's own rows carry their line
            if cached is not None and cached[0] == sig:
                out.append((cached[2], key, cached[1]))
                continue
            content = (
                row.ident,
                row.registrant,
                row.fund,
                row.share_class,
                row.stated,
                row.seq,
                row.origins,
                sig,
            )
            hit = memo.get(content)
            if hit is None:
                line = rates.line(row)
                hit = memo[content] = (line, _line_order(line))
            row.memo = (sig, hit[0], hit[1])
            out.append((hit[1], key, hit[0]))
        out.sort(key=itemgetter(0))
        return out

    def _merge(
        self, cp: _Checkpoint, rates: _Rates
    ) -> tuple[list[tuple[str, str, str]], list[Key], list[Line]] | None:
        """The checkpoint's ordered lines with those of the rows changed since it taken out and
        put back in place: a few list moves rather than 10,000 new objects for the collector.
        None when too much changed (sorting afresh is then as cheap)."""
        touched, rows, old_rows = self.fold.touched, self.fold.rows, cp.fold.rows
        if len(touched) * 8 > len(cp.keys) + 64:
            return None
        orders, keys, lines = list(cp.orders), list(cp.keys), list(cp.lines)
        gone = []
        for k in touched:
            old = old_rows.get(k)
            if old is not None:
                i = bisect_left(cp.orders, _row_order(old))
                if i >= len(keys) or cp.keys[i] != k:  # orders are unique; never expected
                    return None
                gone.append(i)
        for i in sorted(gone, reverse=True):
            del orders[i], keys[i], lines[i]
        for order, key, line in self._ordered(rates, [(k, rows[k]) for k in touched if k in rows]):
            i = bisect_left(orders, order)
            orders.insert(i, order)
            keys.insert(i, key)
            lines.insert(i, line)
        return orders, keys, lines

    def lines_as_of(self, day: date) -> list[Line]:
        """`advance_to(day)` then `sorted_lines(day)`, the last use of this sweep. After a
        replacement, starts from the nearest earlier query's fold and merges only the lines of
        the rows changed since."""
        if self.start is None:
            self.advance_to(day)
            return self.sorted_lines(day)
        h, start = self.history, self.start
        cp = h.checkpoint(start, day)
        if cp is not None:
            self.fold = cp.fold.copy()
            self.i, self.day, self.applied = cp.i, cp.day, list(cp.applied)
        reached = self.day
        self.advance_to(day)
        rates = self.rates(day)
        merged = None
        if cp is not None and cp.signature == rates.signature:
            if self.day == reached:
                return list(cp.lines)
            merged = self._merge(cp, rates)
        if merged is None:
            ordered = self._ordered(rates, self.fold.rows.items())
            merged = [t[0] for t in ordered], [t[1] for t in ordered], [t[2] for t in ordered]
        orders, keys, lines = merged
        # The fold and lists now belong to the checkpoint: the sweep ends here.
        h.keep(
            start,
            _Checkpoint(self.fold, self.day, self.i, self.applied, rates.signature, orders, keys, lines),
        )
        return list(lines)


def plan_state(
    entries: Iterable[Entry], plan: Plan, as_of: date, *, known_at: object | None = None
) -> PlanState:
    """The schedule in force on `as_of` (given the entries known), rates resolved. `known_at`
    (the entry seq or time the entries were read as of, if not now) only words the warnings."""
    with _no_gc():
        sweep = _Sweep(entries, plan, start_at_last_replacement=as_of)
        rows = sweep.lines_as_of(as_of)
    warns = list(sweep.warnings)
    unrated = sweep.unrated(as_of, rows)
    if unrated:
        if known_at is not None:
            moment = f"entry {known_at}" if isinstance(known_at, int) else _moment(known_at)
            warns.append(
                f"rates not yet known at {moment}: {unrated} of {len(rows)} rows have no rate "
                "(neither their schedule nor any plan terms recorded by then state one)"
            )
        else:
            warns.append(
                f"{unrated} of {len(rows)} rows have no rate: neither their schedule nor any recorded "
                "plan terms state one (record them with `distplan terms set`)"
            )
    return PlanState(plan, as_of, tuple(rows), tuple(sweep.applied), sweep.first_effective, tuple(warns))


def _moment(known_at: object) -> str:
    return known_at.isoformat() if isinstance(known_at, datetime) else str(known_at)


def _line_order(line: Line) -> tuple[str, str, str]:
    return (fold(line.registrant or ""), fold(line.fund), _class_key(line.share_class or ""))


def _row_order(row: _Row) -> tuple[str, str, str]:
    """`_line_order` of the row's line (names only: the same under any terms)."""
    return (fold(row.registrant or ""), fold(row.fund), _class_key(row.share_class or ""))


def schedule_rows(entries: Iterable[Entry], plan: Plan, as_of: date) -> list[dict[str, Any]]:
    """The `rows` of `distplan schedule --json`."""
    return [line.to_json() for line in plan_state(entries, plan, as_of).rows]


# --- diff -----------------------------------------------------------------------------------


def _content(line: Line) -> dict[str, Any]:
    return {
        "registrant": fold(line.registrant or ""),
        "fund": fold(line.fund),
        "share_class": _class_key(line.share_class or ""),
        **{f: getattr(line, f) for f in FIELDS},
    }


def _added(line: Line) -> dict[str, Any]:
    """An added row as `schedule` shows it, naming the instrument that added it (the earliest
    origin: every part of a row starts there) rather than the latest one restating it."""
    row = line.to_json()
    if line.origins:
        row["instrument"] = min(line.origins)[2]
    return row


def _shown(line: Line) -> dict[str, Any]:
    return {"registrant": line.registrant, "fund": line.fund, "share_class": line.share_class, **line.rates()}


def _origin_of(line: Line, name: str) -> Origin:
    """What gave a line's field its current value: the instrument that last changed it (not
    one that merely restated it), or for a rate from plan terms, the terms entry (or the
    instrument that dropped the row's own rate, if later)."""
    if not line.origins:
        return (line.since, line.instrument_seq, line.instrument)
    if name == "registrant":
        return line.origins[_REGISTRANT]
    if name not in FIELDS:
        return line.origins[_FUND]
    source = line.sources.get(name) or {}
    if source.get("from") == "derived":
        return max(_origin_of(line, FIELDS[0]), _origin_of(line, FIELDS[1]))
    stated = line.origins[_RATES + FIELDS.index(name)]
    if source.get("from") == "terms":
        seq = int(source["seq"])
        return max(stated, (date.fromisoformat(source["effective"]), seq, f"terms (seq {seq})"))
    return stated


def diff(entries: Iterable[Entry], plan: Plan, from_date: date, to_date: date) -> dict[str, Any]:
    """Rows added, removed and changed between two dates. Names compare folded (case,
    punctuation, spacing); a renamed registrant or fund is a change, not remove + add. Each
    change names what made it (`changed_by`, per field; `instrument`, the latest of them);
    each added row, the instrument that added it."""
    with _no_gc():
        sweep = _Sweep(entries, plan)
        first, second = sorted((from_date, to_date))
        sweep.advance_to(first)
        early = {line.ident: line for line in sweep.lines(first)}
        sweep.advance_to(second)
        late = {line.ident: line for line in sweep.lines(second)}
    before, after = (early, late) if from_date <= to_date else (late, early)
    added = [_added(after[k]) for k in after if k not in before]
    removed = [before[k].to_json() for k in before if k not in after]
    changed = []
    for k in after:
        if k not in before:
            continue
        old, new = _content(before[k]), _content(after[k])
        fields = [f for f in old if old[f] != new[f]]
        if fields:
            by = {f: _origin_of(late[k], f) for f in fields}
            changed.append(
                {
                    "fund": after[k].fund,
                    "share_class": after[k].share_class,
                    "fields": fields,
                    "from": {f: _shown(before[k])[f] for f in fields},
                    "to": {f: _shown(after[k])[f] for f in fields},
                    "instrument": max(by.values())[2],
                    "changed_by": {f: o[2] for f, o in by.items()},
                }
            )
    order: Callable[[dict[str, Any]], tuple[str, str]] = lambda r: (fold(r["fund"]), r["share_class"] or "")  # noqa: E731
    return {
        "from": from_date.isoformat(),
        "to": to_date.isoformat(),
        "added": sorted(added, key=order),
        "removed": sorted(removed, key=order),
        "changed": sorted(changed, key=order),
    }


# --- periods: coverage and timeline ---------------------------------------------------------


def _signature(line: Line) -> tuple[Any, ...]:
    return (
        fold(line.registrant or ""),
        fold(line.fund),
        line.distribution_fee,
        line.service_fee,
        line.aggregate_fee,
        line.instrument_seq,
    )


def _periods(entries: Iterable[Entry], plan: Plan) -> list[tuple[Ident, Line, date, date | None]]:
    """Every maximal stretch over which a row's registrant, name, rates and instrument hold."""
    with _no_gc():
        return _sweep_periods(entries, plan)


def _sweep_periods(entries: Iterable[Entry], plan: Plan) -> list[tuple[Ident, Line, date, date | None]]:
    sweep = _Sweep(entries, plan)
    terms_days = sweep.terms_dates()
    open_: dict[Ident, tuple[Line, date]] = {}
    out: list[tuple[Ident, Line, date, date | None]] = []
    while True:
        nxt = sweep.next_date()
        nxt_terms = next((d for d in terms_days if sweep.day is None or d > sweep.day), None)
        if nxt is None and nxt_terms is None:
            break
        if nxt is None or (nxt_terms is not None and nxt_terms < nxt):
            day, dirty_all = nxt_terms, True
            assert day is not None
            sweep.day = day
        else:
            sweep.fold.changed = set()
            day = sweep.step()
            dirty_all = day in terms_days
        rates = sweep.rates(day)
        fold_ = sweep.fold
        check = set(open_) | set(fold_.ident_key) if dirty_all else set(fold_.changed)
        for ident in check:
            key = fold_.ident_key.get(ident)
            row = fold_.rows[key] if key is not None else None
            line = rates.line(row) if row is not None else None
            current = open_.get(ident)
            if current is not None and line is not None and _signature(current[0]) == _signature(line):
                continue
            if current is not None:
                out.append((ident, current[0], current[1], day))
                del open_[ident]
            if line is not None:
                open_[ident] = (line, day)
    for ident, (line, start) in open_.items():
        out.append((ident, line, start, None))
    out.sort(key=lambda p: (p[0], p[2]))
    return out


def coverage(entries: Iterable[Entry], plan: Plan) -> list[CoveragePeriod]:
    """One period per maximal stretch where a covered fund-class's registrant, rates (row
    rates, else plan terms) and instrument are constant. Half-open; `end` None when open."""
    return [
        CoveragePeriod(
            plan=plan.label,
            registrant=line.registrant,
            fund=line.fund,
            share_class=line.share_class,
            start=start,
            end=end,
            rate_distribution=line.distribution_fee,
            rate_service=line.service_fee,
            rate_aggregate=line.aggregate_fee,
            instrument=line.instrument,
        )
        for _, line, start, end in _periods(entries, plan)
    ]


def merge(periods: Iterable[tuple[date, date | None]]) -> list[tuple[date, date | None]]:
    """Union of half-open periods; touching periods join."""
    out: list[tuple[date, date | None]] = []
    for start, end in sorted(periods, key=lambda p: p[0]):
        if out and (out[-1][1] is None or start <= out[-1][1]):
            last_start, last_end = out[-1]
            joined = None if last_end is None or end is None else max(last_end, end)
            out[-1] = (last_start, joined)
        else:
            out.append((start, end))
    return out


def timeline(
    entries: Iterable[Entry], plan: Plan, fund: str, share_class: str | None = None
) -> dict[str, Any]:
    """A fund's periods under the plan (split at every change) and its merged coverage."""
    periods = _periods(entries, plan)
    want = fold(fund)
    names = {fold(line.fund) for _, line, _, _ in periods}
    if want not in names:
        close = sorted({line.fund for _, line, _, _ in periods if want in fold(line.fund)})
        if len(close) == 1:
            want = fold(close[0])
        elif close:
            raise InputError(f"fund {fund!r}: matches several funds ({'; '.join(close)}); give the full name")
        else:
            raise InputError(f"fund {fund!r}: not in any schedule of plan {plan.id} ({plan.label})")
    idents = {ident for ident, line, _, _ in periods if fold(line.fund) == want}
    if share_class is not None:
        ck = _class_key(share_class)
        idents = {i for i in idents if i[1] == ck}
        if not idents:
            raise InputError(f"fund {fund!r}: no class {share_class!r} in plan {plan.id}")
    chosen = [(line, start, end) for ident, line, start, end in periods if ident in idents]
    chosen.sort(key=lambda p: (p[1], p[0].share_class or ""))
    shown = next((line.fund for line, _, _ in reversed(chosen)), fund)
    return {
        "fund": shown,
        "share_class": share_class,
        "plan": plan.to_json(),
        "coverage": [
            {"start": s.isoformat(), "end": e.isoformat() if e else None}
            for s, e in merge((s, e) for _, s, e in chosen)
        ],
        "periods": [
            {
                "start": start.isoformat(),
                "end": end.isoformat() if end else None,
                "registrant": line.registrant,
                "fund": line.fund,
                "share_class": line.share_class,
                "rates": line.rates(),
                "instrument": line.instrument,
            }
            for line, start, end in chosen
        ],
    }


# --- the instrument history -----------------------------------------------------------------


def history(entries: Iterable[Entry], plan: Plan, as_of: date) -> list[HistoryItem]:
    """The plan's instruments and terms in effective order, each in force, superseded,
    pending (effective after `as_of`) or void."""
    entries = list(entries)
    voids = {e.target_seq: e for e in entries if e.kind == KIND_VOID}
    state = plan_state(entries, plan, as_of)
    used_instruments = {line.instrument_seq for line in state.rows}
    used_terms = {s["seq"] for line in state.rows for s in line.sources.values() if s.get("from") == "terms"}
    events, _, _ = _plan_entries(entries, plan)
    # The latest schedule-changing instrument stays "in force" even if it removed every row.
    changing = [ev.entry.seq for ev in events if ev.date <= as_of and _entry_ops(ev.entry)]
    last_schedule = changing[-1] if changing else None
    items: list[HistoryItem] = []
    for e in entries:
        if e.plan_id != plan.id or e.kind not in (KIND_INSTRUMENT, KIND_TERMS):
            continue
        if e.kind == KIND_INSTRUMENT:
            label = instrument_label(e)
            changes_schedule = bool(_entry_ops(e))
            in_force = e.seq in used_instruments or e.seq == last_schedule or not changes_schedule
        else:
            t = _terms(e)
            label = f"terms (seq {e.seq}): " + ", ".join(
                f"{k.split('_')[0]} {v}%" for k, v in (t.rates.items() if t else [])
            )
            in_force = e.seq in used_terms or not state.rows
        if e.seq in voids:
            status, note = "void", f"voided by entry {voids[e.seq].seq}: {voids[e.seq].payload.get('reason')}"
        elif e.effective_date is None:
            status, note = "undated", "no effective date: left out of the plan's state"
        elif e.effective_date > as_of:
            status, note = "pending", None
        else:
            status, note = ("in force" if in_force else "superseded"), None
        items.append(
            HistoryItem(e.seq, e.kind, label, e.effective_date, e.recorded_at.isoformat(), status, note)
        )
    items.sort(key=lambda it: (it.effective_date or date.max, it.seq))
    return items
