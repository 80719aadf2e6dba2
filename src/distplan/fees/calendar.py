"""The accrual calendar: which struck NAV every calendar day uses, as small Arrow tables.

Days are carried in the engine as integer ordinals (days since `base`) so period arithmetic is
plain integer arithmetic on both engines. A NYSE session `k` (its index) supplies the net assets
for the calendar days `[session k, session k+1)`; a *segment* is such a run cut at month
boundaries (granularity "month", for payables) or a single day (granularity "day", for daily
rows). Days before the range's first session use the last session before the range.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

import pyarrow as pa

from distplan.errors import InputError
from distplan.fees import nyse_closed
from distplan.fees.expressions import CENTS_M
from distplan.periods import Period, days_in_year, month_period, nyse_sessions

Granularity = Literal["month", "day"]
# The NYSE is never closed for longer than this, so the session before a range start is in it.
_LOOKBACK = timedelta(days=15)
NYSE_FIRST = date(1990, 1, 1)
NYSE_END = date(2045, 12, 31)  # exchange_calendars' XNYS schedule (periods._nyse) stops here


def month_label(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_period_of(year: int, month: int) -> tuple[date, date]:
    """[first day, first day of the next month) of a calendar month."""
    period = month_period(year, month)
    assert period.end is not None
    return period.start, period.end


def due_date(month_start: date, due_days: int) -> date:
    """The `due_days`-th day after the month's last day (10 -> the 10th of the next month)."""
    nxt = month_period(month_start.year, month_start.month).end
    assert nxt is not None
    return nxt - timedelta(days=1) + timedelta(days=due_days)


@dataclass(frozen=True)
class Calendar:
    start: date
    end: date
    base: date
    sessions: tuple[date, ...]

    @classmethod
    def build(cls, start: date, end: date) -> Calendar:
        if end <= start:
            raise InputError(f"empty date range: {start} .. {end} (the end is exclusive)")
        if start < NYSE_FIRST + _LOOKBACK:  # (start - _LOOKBACK overflows for year 1)
            raise InputError(f"the NYSE calendar starts {NYSE_FIRST}; accruals start {start}")
        if end > NYSE_END:
            raise InputError(f"the NYSE calendar distplan knows ends {NYSE_END}; the range ends {end}")
        lo = start - _LOOKBACK
        if lo >= nyse_closed.FIRST and end <= nyse_closed.END:
            sessions = nyse_closed.sessions(lo, end)  # the same days, without the calendar's set-up
        else:
            sessions = nyse_sessions(Period(lo, end))
        first = bisect.bisect_right(sessions, start) - 1
        sessions = sessions[first:]
        return cls(start, end, sessions[0], tuple(sessions))

    def ordinal(self, day: date) -> int:
        return (day - self.base).days

    def idx_le(self, day: date) -> int:
        """Index of the latest session on or before `day` (-1 if none)."""
        return bisect.bisect_right(self.sessions, day) - 1

    def idx_lt(self, day: date) -> int:
        """Index of the latest session strictly before `day` (-1 if none)."""
        return bisect.bisect_left(self.sessions, day) - 1

    def session_for(self, day: date) -> date:
        return self.sessions[self.idx_le(day)]

    def closed_days(self) -> list[date]:
        """Days from the first session to the end on which the NYSE was closed."""
        sessions = set(self.sessions)
        out = []
        day = self.sessions[0]
        while day < self.end:
            if day not in sessions:
                out.append(day)
            day += timedelta(days=1)
        return out

    def weekday_holidays(self) -> list[date]:
        """Weekdays from the first session to the end on which the NYSE was closed."""
        return [d for d in self.closed_days() if d.weekday() < 5]

    def months(self) -> list[Period]:
        out = []
        day = self.start
        while day < self.end:
            month = month_period(day.year, day.month)
            assert month.end is not None
            hi = min(month.end, self.end)
            out.append(Period(day, hi))
            day = hi
        return out

    def month_table(self, due_days: int) -> pa.Table:
        rows: dict[str, list[object]] = {
            k: [] for k in ("month_id", "month", "m_start", "m_end", "m_k_lo", "m_k_hi", "diy", "due_date")
        }
        for m in self.months():
            assert m.end is not None
            rows["month_id"].append(month_index(m.start))
            rows["month"].append(month_label(m.start))
            rows["m_start"].append(self.ordinal(m.start))
            rows["m_end"].append(self.ordinal(m.end))
            rows["m_k_lo"].append(self.idx_le(m.start))
            rows["m_k_hi"].append(self.idx_lt(m.end))
            rows["diy"].append(days_in_year(m.start))
            rows["due_date"].append(due_date(m.start, due_days))
        return pa.table(
            rows,
            schema=pa.schema(
                [
                    ("month_id", pa.int64()),
                    ("month", pa.string()),
                    ("m_start", pa.int64()),
                    ("m_end", pa.int64()),
                    ("m_k_lo", pa.int64()),
                    ("m_k_hi", pa.int64()),
                    ("diy", pa.int64()),
                    ("due_date", pa.date32()),
                ]
            ),
        )

    def segment_table(self, granularity: Granularity) -> pa.Table:
        """One row per (session, month) run of calendar days in range, or per day."""
        cols: dict[str, list[object]] = {
            k: [] for k in ("session", "k", "sig", "seg_start", "seg_end", "day", "month_id", "diy", "m")
        }
        one = timedelta(days=1)
        for k, session in enumerate(self.sessions):
            lo = max(session, self.start)
            hi = self.sessions[k + 1] if k + 1 < len(self.sessions) else self.end
            hi = min(hi, self.end)
            while lo < hi:
                if granularity == "day":
                    cut = lo + one
                else:
                    month_end = month_period(lo.year, lo.month).end
                    assert month_end is not None
                    cut = min(hi, month_end)
                cols["session"].append(session)
                cols["k"].append(k)
                # Completeness evidence (expressions.checked): 2**k, k the session's index
                # from the first session of the month as clipped to the range (= m_k_lo); for
                # daily rows the day's index from that month's first day in range.
                first = max(date(lo.year, lo.month, 1), self.start)
                k_rel = (lo - first).days if granularity == "day" else k - self.idx_le(first)
                cols["sig"].append(1 << k_rel)
                cols["seg_start"].append(self.ordinal(lo))
                cols["seg_end"].append(self.ordinal(cut))
                cols["day"].append(lo)
                cols["month_id"].append(month_index(lo))
                cols["diy"].append(days_in_year(lo))
                cols["m"].append(days_in_year(lo) * CENTS_M)
                lo = cut
        return pa.table(
            cols,
            schema=pa.schema(
                [
                    ("session", pa.date32()),
                    ("k", pa.int64()),
                    ("sig", pa.int64()),
                    ("seg_start", pa.int64()),
                    ("seg_end", pa.int64()),
                    ("day", pa.date32()),
                    ("month_id", pa.int64()),
                    ("diy", pa.int64()),
                    ("m", pa.int64()),
                ]
            ),
        )
