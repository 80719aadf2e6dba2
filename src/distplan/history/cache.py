"""HistoryCache: what one ledger's history queries work out and keep for the next query.

One per opened ledger (the Workspace owns one; a caller without one gets a fresh instance per
query, which keeps nothing). Entry seqs are unique only within one ledger, so a cache must
never see two ledgers' entries.

A query names its entries (`Ledger.entries(known_at=...)`): the cache keys what it keeps on
the plan and on the seqs of those entries plus the last one's chain hash, so a ledger that
grew (by this process or another: the Ledger reads the entries past the last one it saw on
each call) gives a new key, and what still holds of the older set is carried over
(`_History.inherit`). Queries run under one lock (snapshots, checkpoints and line memos grow
as they are read); what they return (PlanState, Line, ...) is immutable and may be shared.
"""

from __future__ import annotations

import gc
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from distplan.history.events import _Event, _event, _fold_entries, _replaces, _schedule_ops
from distplan.history.snapshots import _History
from distplan.ledger.records import Entry, Plan
from distplan.model import Operation

_MAX_HISTORIES = 4  # entry sets kept: the current head and a few known-at views


class HistoryCache:
    def __init__(self, max_histories: int = _MAX_HISTORIES) -> None:
        self._lock = threading.RLock()
        self._max = max_histories
        self._histories: OrderedDict[tuple[object, ...], _History] = OrderedDict()
        self._events: dict[int, _Event | None] = {}  # by entry seq (unique in one ledger)
        self.builds = 0  # entry sets worked out from scratch or inherited (for tests)

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold while a query reads or grows what is kept (re-entrant). The cyclic collector
        waits meanwhile: a query makes many small acyclic objects, and a collection during it
        re-scans the (large, long-lived) folds kept here, which made warm queries ~2x slower.
        Nothing is frozen; the collector runs again as soon as the query ends."""
        with self._lock:
            enabled = gc.isenabled()
            gc.disable()
            try:
                yield
            finally:
                if enabled:
                    gc.enable()

    def history(self, entries: Iterable[Entry], plan: Plan) -> _History:
        """The plan's events and terms from these entries, worked out once per set."""
        entries = list(entries)
        key = (plan, tuple(e.seq for e in entries), entries[-1].hash if entries else None)
        with self._lock:
            found = self._histories.get(key)
            if found is not None:
                self._histories.move_to_end(key)
                return found
            found = self._build(entries, plan)
            older = next((h for k, h in reversed(self._histories.items()) if k[0] == plan), None)
            if older is not None:
                found.inherit(older)
            while len(self._histories) >= self._max:
                self._histories.popitem(last=False)
            self._histories[key] = found
            self.builds += 1
            return found

    def _event(self, entry: Entry) -> _Event | None:
        if entry.seq not in self._events:
            self._events[entry.seq] = _event(entry)
        return self._events[entry.seq]

    def _build(self, entries: list[Entry], plan: Plan) -> _History:
        events, terms, warns = _fold_entries(entries, plan, self._event)
        starts = [
            i
            for i, ev in enumerate(events)
            if _replaces(ev.entry) and (i == 0 or events[i - 1].date != ev.date)
        ]
        return _History(events, terms, warns, starts, [events[i].date for i in starts])

    def ops_of(self, entry: Entry) -> list[Operation]:
        """The schedule operations of an instrument entry (dated or not)."""
        with self._lock:
            ev = self._event(entry)
            if ev is not None:
                return list(ev.ops)
        return list(_schedule_ops(entry.instrument))
