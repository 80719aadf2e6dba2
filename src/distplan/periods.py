"""Half-open date periods, day counts, the NYSE calendar and money rounding.

A period is `[start, end)`; `end=None` is open-ended. Money is `Decimal`; rounding to the
cent is always explicit and half-even unless a policy says otherwise.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

CENT = Decimal("0.01")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date | None = None  # exclusive; None = open-ended

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"period ends before it starts: {self.start} .. {self.end}")

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, date):
            return False
        return self.start <= day and (self.end is None or day < self.end)

    @property
    def empty(self) -> bool:
        return self.end is not None and self.end <= self.start

    def days(self) -> int:
        if self.end is None:
            raise ValueError("an open-ended period has no day count")
        return (self.end - self.start).days

    def intersect(self, other: Period) -> Period | None:
        start = max(self.start, other.start)
        ends = [e for e in (self.end, other.end) if e is not None]
        end = min(ends) if ends else None
        if end is not None and end <= start:
            return None
        return Period(start, end)

    def to_json(self) -> dict[str, str | None]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat() if self.end else None}


def days_in_year(day: date) -> int:
    """Actual/actual: 366 in a leap year, else 365."""
    return 366 if calendar.isleap(day.year) else 365


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    return Period(start, end)


def each_day(period: Period) -> list[date]:
    return [period.start + timedelta(days=i) for i in range(period.days())]


def round_cents(amount: Decimal) -> Decimal:
    """Round money to the cent, half-even (banker's rounding)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)


@lru_cache(maxsize=1)
def _nyse():  # type: ignore[no-untyped-def]
    import exchange_calendars as xcals

    # exchange_calendars defaults to ~20 years back; the NYSE calendar is needed from 1990.
    return xcals.get_calendar("XNYS", start="1990-01-01", end="2045-12-31")


def nyse_sessions(period: Period) -> list[date]:
    """NYSE trading days (the days a NAV is struck) in a bounded period."""
    if period.end is None:
        raise ValueError("nyse_sessions needs a bounded period")
    if period.empty:
        return []
    last = period.end - timedelta(days=1)
    sessions = _nyse().sessions_in_range(period.start.isoformat(), last.isoformat())
    return [ts.date() for ts in sessions]
