"""Walking a plan's history forward in time, from the nearest fold an earlier query kept."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from datetime import date
from operator import itemgetter

from distplan.history.cache import HistoryCache
from distplan.history.fold import _Fold, _Row
from distplan.history.rates import _default_class, _Rates
from distplan.history.records import Key, Line, _class_key, fold
from distplan.history.snapshots import _Checkpoint, _Snapshot
from distplan.ledger.records import Entry, Plan


class _Sweep:
    """Walks a plan's history forward in time, one change date at a time."""

    def __init__(
        self,
        entries: Iterable[Entry],
        plan: Plan,
        start_at_last_replacement: date | None = None,
        cache: HistoryCache | None = None,
    ):
        """Run under `cache.reading()` when the cache is shared (the sweep grows what it keeps)."""
        self.plan = plan
        self.history = h = (cache or HistoryCache()).history(entries, plan)
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


def _line_order(line: Line) -> tuple[str, str, str]:
    return (fold(line.registrant or ""), fold(line.fund), _class_key(line.share_class or ""))


def _row_order(row: _Row) -> tuple[str, str, str]:
    """`_line_order` of the row's line (names only: the same under any terms)."""
    return (fold(row.registrant or ""), fold(row.fund), _class_key(row.share_class or ""))
