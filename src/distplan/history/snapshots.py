"""What one set of a plan's entries gives, worked out once: its events and terms, and the
folds earlier queries reached (snapshots after each full replacement, checkpoints after
them). Belongs to a HistoryCache, which holds its lock while any of this is read or grown."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from distplan.history.events import _Event
from distplan.history.fold import _Fold
from distplan.history.records import Key, Line, Terms


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

    def inherit(self, older: _History) -> None:
        """Take over what an older set of the same plan's entries worked out, where it still
        holds: a snapshot depends only on the events up to its replacement, a checkpoint on
        those it applied and on no new event by its day. So recording an amendment effective
        after the rest keeps every fold; one effective earlier keeps those before it."""
        common = 0
        for a, b in zip(self.events, older.events, strict=False):
            if a.entry.seq != b.entry.seq:
                break
            common += 1
        for at, snap in older.snapshots.items():
            if at < common:
                self.snapshots[at] = snap
        for start, cp in older.kept:
            nxt = self.events[cp.i] if cp.i < len(self.events) else None
            if cp.i <= common and (nxt is None or cp.day is None or nxt.date > cp.day):
                self.keep(start, cp)

    def keep(self, start: int, cp: _Checkpoint) -> None:
        if len(self.kept) >= _MAX_CHECKPOINTS:
            old_start, old = self.kept.pop(0)
            self.checkpoints[old_start].remove(old)
        self.checkpoints.setdefault(start, []).append(cp)
        self.kept.append((start, cp))


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
