"""Periods: every stretch over which a row holds, as coverage and as a fund's timeline."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from distplan.errors import InputError
from distplan.history.cache import HistoryCache
from distplan.history.records import Ident, Line, _class_key, fold
from distplan.history.sweep import _Sweep
from distplan.ledger.records import Entry, Plan
from distplan.model import CoveragePeriod

# --- periods: coverage and timeline ---------------------------------------------------------


def _signature(line: Line) -> tuple[Any, ...]:
    # Exact spellings: a period reports its registrant and fund names, so a rename that only
    # changes case ("t1" -> "T1") must start a new period, or the period would show the old one.
    return (
        line.registrant,
        line.fund,
        line.distribution_fee,
        line.service_fee,
        line.aggregate_fee,
        line.instrument_seq,
    )


Period = tuple[Ident, Line, date, date | None]


def _periods(entries: Iterable[Entry], plan: Plan, cache: HistoryCache | None) -> list[Period]:
    """Every maximal stretch over which a row's registrant, name, rates and instrument hold."""
    cache = cache or HistoryCache()
    with cache.reading():
        return _sweep_periods(_Sweep(entries, plan, cache=cache))


def _sweep_periods(sweep: _Sweep) -> list[Period]:
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


def coverage(
    entries: Iterable[Entry], plan: Plan, *, cache: HistoryCache | None = None
) -> list[CoveragePeriod]:
    """One period per maximal stretch where a covered fund-class's registrant, rates (row
    rates, else plan terms) and instrument are constant. Half-open; `end` None when open."""
    return [period for _, period in tracked_coverage(entries, plan, cache=cache)]


def tracked_coverage(
    entries: Iterable[Entry], plan: Plan, *, cache: HistoryCache | None = None
) -> list[tuple[Ident, CoveragePeriod]]:
    """`coverage` with each period's fund-class identity, which `rename_fund` keeps: the
    periods of one identity are one fund-class under each name it had."""
    return [
        (ident, _coverage_period(plan, line, start, end))
        for ident, line, start, end in _periods(entries, plan, cache)
    ]


def _coverage_period(plan: Plan, line: Line, start: date, end: date | None) -> CoveragePeriod:
    rates = (line.distribution_fee, line.service_fee, line.aggregate_fee)
    return CoveragePeriod(
        plan.label, line.registrant, line.fund, line.share_class, start, end, *rates, line.instrument
    )


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
    entries: Iterable[Entry],
    plan: Plan,
    fund: str,
    share_class: str | None = None,
    *,
    cache: HistoryCache | None = None,
) -> dict[str, Any]:
    """A fund's periods under the plan (split at every change) and its merged coverage."""
    periods = _periods(entries, plan, cache)
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
