"""The records of a plan's history: terms, schedule lines, plan states, history items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property, lru_cache
from typing import Any

from distplan.errors import InputError
from distplan.ledger.plankey import class_key
from distplan.ledger.records import Entry, Plan
from distplan.model import fold_name

FIELDS = ("distribution_fee", "service_fee", "aggregate_fee")
Key = tuple[str, str]
# A covered fund-class through renames: (fund key when first covered, class key, serial).
Ident = tuple[str, str, int]
# Where a value of a row took its current form: (effective day, entry seq, instrument label).
Origin = tuple[date, int, str]
# One origin per part of a row that can change: registrant, fund name, then the three rates.
_REGISTRANT, _FUND, _RATES = 0, 1, 2

fold = lru_cache(maxsize=200_000)(fold_name)
_class_key = lru_cache(maxsize=10_000)(class_key)


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

    # Worked out once per state (the app layer keeps states: every page of one asks again).
    @cached_property
    def registrants(self) -> int:
        """How many registrants the rows are under (names folded)."""
        return len({fold(name) for name in {r.registrant or "" for r in self.rows}})  # few names, many rows

    @cached_property
    def fund_keys(self) -> tuple[str, ...]:
        """Each row's fund name folded, in row order (what a fund filter matches)."""
        return tuple(fold(r.fund) for r in self.rows)

    def message(self) -> str:
        if self.rows:
            return f"{len(self.rows)} funds under {self.registrants} registrants as of {self.as_of}"
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
