"""A plan's legal state on any date: the fold of its recorded instruments in effective order.

Pure functions over ledger entries (no database, no clock). Pass the entries as known at the
moment you care about (`Ledger.entries(known_at=...)`); voids among them are honoured. Pass
the ledger's `HistoryCache` (`cache=`) to reuse what earlier queries worked out; without one
each query works everything out afresh and keeps nothing.

Order: instruments apply by effective date, then (same day) plan < schedule < amendment, then
amendment number, then seq. An instrument effective D ends the previous state on D.
A schedule row's rates are the row's own, else plan terms (`terms` entries: the most specific
scope, fund+class > fund > class > plan, then the latest effective); an aggregate that is
stated nowhere is derived as distribution + service when both are known.

Modules: records (the result types), events (entries as dated events), fold (applying them),
rates (plan terms), snapshots (what one entry set keeps), cache (HistoryCache), sweep (walking
forward in time), queries (schedule, diff, history, warnings), periods (coverage, timeline).
"""

from distplan.history.cache import HistoryCache
from distplan.history.events import named_funds
from distplan.history.periods import coverage, merge, timeline, tracked_coverage
from distplan.history.queries import diff, history, plan_state, schedule_rows, warnings
from distplan.history.records import (
    FIELDS,
    HistoryItem,
    Line,
    PlanState,
    Terms,
    fold,
    instrument_label,
    terms_payload,
)
from distplan.history.sweep import _Sweep
from distplan.model import CoveragePeriod

__all__ = [
    "FIELDS",
    "CoveragePeriod",
    "HistoryCache",
    "HistoryItem",
    "Line",
    "PlanState",
    "Terms",
    "_Sweep",
    "coverage",
    "diff",
    "fold",
    "history",
    "instrument_label",
    "merge",
    "named_funds",
    "plan_state",
    "schedule_rows",
    "terms_payload",
    "timeline",
    "tracked_coverage",
    "warnings",
]
