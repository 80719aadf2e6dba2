"""The fold: applying instruments in order to the rows in force, with where each value came from."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from distplan.history.events import _Event
from distplan.history.records import _FUND, Ident, Key, Line, Origin, _class_key, fold
from distplan.model import Operation, ScheduleRow


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
    if old.registrant == registrant and s == stated:  # restated as it was (the usual case)
        return o, old.since
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
        for op in ev.ops:
            getattr(self, "_op_" + op.op, self._op_other)(op, ev)

    def _op_replace_schedule(self, op: Operation, ev: _Event) -> None:
        old = self.rows
        self.touched.update(old)
        self.changed.update(row.ident for row in old.values())
        self.rows, self.by_registrant, self.ident_key, self.pending = {}, {}, {}, []
        self.unstated = 0
        # `_put` inlined for the common row (stated once, in force now): restating 10,000 rows
        # is most of a cold query. Any other row goes through `_put` itself.
        rows, by_registrant, ident_key, touched, changed = (
            self.rows,
            self.by_registrant,
            self.ident_key,
            self.touched,
            self.changed,
        )
        day, seq, label, origin, default = ev.date, ev.entry.seq, ev.label, ev.origin, self.default_class
        for r in op.rows:
            key = (fold(r.fund), _class_key(r.share_class or default or ""))
            if key in rows or self.pending or (r.effective_date is not None and r.effective_date > day):
                self._put(r, ev, old)
                continue
            prev = old.get(key)
            stated = (r.distribution_fee, r.service_fee, r.aggregate_fee)
            origins, since = _origins(prev, r.registrant, stated, origin)
            ident = self.new_ident(key) if prev is None else prev.ident
            rows[key] = _Row(
                ident, r.registrant, r.fund, r.share_class or default, stated, seq, label, since, origins
            )
            if stated[0] is None and stated[1] is None and stated[2] is None:
                self.unstated += 1
            registrant = fold(r.registrant or "")
            keys = by_registrant.get(registrant)
            if keys is None:
                by_registrant[registrant] = {key}
            else:
                keys.add(key)
            ident_key[ident] = key
            touched.add(key)
            changed.add(ident)

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
