"""Questions about a plan's history: the schedule on a date, diff, the instrument history, warnings."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from distplan.history.cache import HistoryCache
from distplan.history.events import _Event
from distplan.history.records import (
    _FUND,
    _RATES,
    _REGISTRANT,
    FIELDS,
    HistoryItem,
    Line,
    Origin,
    PlanState,
    _class_key,
    _terms,
    fold,
    instrument_label,
)
from distplan.history.sweep import _Sweep
from distplan.ledger.records import KIND_INSTRUMENT, KIND_TERMS, KIND_VOID, Entry, Plan


def plan_state(
    entries: Iterable[Entry],
    plan: Plan,
    as_of: date,
    *,
    known_at: object | None = None,
    cache: HistoryCache | None = None,
) -> PlanState:
    """The schedule in force on `as_of` (given the entries known), rates resolved. `known_at`
    (the entry seq or time the entries were read as of, if not now) only words the warnings.
    `cache`: the ledger's HistoryCache (none: work it all out for this query alone)."""
    cache = cache or HistoryCache()
    with cache.reading():
        sweep = _Sweep(entries, plan, start_at_last_replacement=as_of, cache=cache)
        rows = sweep.lines_as_of(as_of)
        unrated = sweep.unrated(as_of, rows)
    warns = list(sweep.warnings)
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


def schedule_rows(
    entries: Iterable[Entry], plan: Plan, as_of: date, *, cache: HistoryCache | None = None
) -> list[dict[str, Any]]:
    """The `rows` of `distplan schedule --json`."""
    return [line.to_json() for line in plan_state(entries, plan, as_of, cache=cache).rows]


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


def diff(
    entries: Iterable[Entry],
    plan: Plan,
    from_date: date,
    to_date: date,
    *,
    cache: HistoryCache | None = None,
) -> dict[str, Any]:
    """Rows added, removed and changed between two dates. Names compare folded (case,
    punctuation, spacing); a renamed registrant or fund is a change, not remove + add. Each
    change names what made it (`changed_by`, per field; `instrument`, the latest of them);
    each added row, the instrument that added it."""
    cache = cache or HistoryCache()
    with cache.reading():
        sweep = _Sweep(entries, plan, cache=cache)
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


def warnings(entries: Iterable[Entry], plan: Plan, *, cache: HistoryCache | None = None) -> list[str]:
    """Same-day instruments, gaps in amendment numbering, undated instruments."""
    cache = cache or HistoryCache()
    with cache.reading():
        h = cache.history(entries, plan)
        events, out = list(h.events), list(h.warnings)
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


# --- the instrument history -----------------------------------------------------------------


def history(
    entries: Iterable[Entry], plan: Plan, as_of: date, *, cache: HistoryCache | None = None
) -> list[HistoryItem]:
    """The plan's instruments and terms in effective order, each in force, superseded,
    pending (effective after `as_of`) or void."""
    entries = list(entries)
    voids = {e.target_seq: e for e in entries if e.kind == KIND_VOID}
    cache = cache or HistoryCache()
    state = plan_state(entries, plan, as_of, cache=cache)
    used_instruments = {line.instrument_seq for line in state.rows}
    used_terms = {s["seq"] for line in state.rows for s in line.sources.values() if s.get("from") == "terms"}
    with cache.reading():
        events = list(cache.history(entries, plan).events)
        # The latest schedule-changing instrument stays "in force" even if it removed every row.
        changing = [ev.entry.seq for ev in events if ev.date <= as_of and ev.ops]
    last_schedule = changing[-1] if changing else None
    items: list[HistoryItem] = []
    for e in entries:
        if e.plan_id != plan.id or e.kind not in (KIND_INSTRUMENT, KIND_TERMS):
            continue
        if e.kind == KIND_INSTRUMENT:
            label = instrument_label(e)
            changes_schedule = bool(cache.ops_of(e))
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
