"""Plan terms in force on one day, and the lines they give rows."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from distplan.history.fold import _Row
from distplan.history.records import FIELDS, Key, Line, Terms, _class_key, fold
from distplan.ledger.records import Plan

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
