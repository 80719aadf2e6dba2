"""The small tables the trail expressions join to (built in Python, loaded as memtables):
payment periods, calendar days with the NYSE session each one uses, and the terms in force
per dealer and fund-class as runs of days (agreement in force x the plan's coverage).

Days are ordinals (days since the range's first day). Everything here is exact: rates in
1e-4 percent (`R`, an integer: the agreements allow at most 4 decimals).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import pyarrow as pa

from distplan.errors import InputError
from distplan.fees.agreements import Dealer
from distplan.fees.calendar import Calendar, due_date, month_index
from distplan.fees.expressions import CENTS_M, RATE_UNITS
from distplan.model import CoveragePeriod, FundClassKey
from distplan.periods import days_in_year

_QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.IGNORECASE)
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class PayPeriod:
    label: str
    start: date
    end: date  # exclusive

    @property
    def last_month_start(self) -> date:
        last = self.end - timedelta(days=1)
        return last.replace(day=1)


def parse_period(text: str) -> tuple[str, PayPeriod]:
    """`2004-Q1` (quarterly dealers) or `2004-01` (monthly dealers)."""
    value = text.strip()
    q, m = _QUARTER.fullmatch(value), _MONTH.fullmatch(value)
    if q:
        return "quarterly", period_of("quarterly", date(int(q.group(1)), 3 * int(q.group(2)) - 2, 1))
    if m and 1 <= int(m.group(2)) <= 12:
        return "monthly", period_of("monthly", date(int(m.group(1)), int(m.group(2)), 1))
    raise InputError(f"--period {text!r}: expected a quarter (2004-Q1) or a month (2004-01)")


def period_of(frequency: str, day: date) -> PayPeriod:
    """The payment period containing `day`."""
    months = 3 if frequency == "quarterly" else 1
    first = (day.month - 1) // months * months + 1
    start = date(day.year, first, 1)
    n = start.month - 1 + months
    end = date(start.year + n // 12, n % 12 + 1, 1)
    label = f"{start.year}-Q{(first - 1) // 3 + 1}" if months == 3 else f"{start.year}-{start.month:02d}"
    return PayPeriod(label, start, end)


def periods_between(frequency: str, start: date, end: date) -> list[PayPeriod]:
    out = []
    day = start
    while day < end:
        p = period_of(frequency, day)
        out.append(p)
        day = p.end
    return out


def days_table(cal: Calendar, periods: list[PayPeriod]) -> pa.Table:
    """One row per calendar day: ordinal, the session whose positions it uses, the month index,
    the payment period, and m = days_in_year * CENTS_M (the accrual divisor in cents mode)."""
    cols: dict[str, list[object]] = {k: [] for k in ("ord", "session", "month", "period_id", "m")}
    for pid, p in enumerate(periods):
        day = p.start
        while day < p.end:
            cols["ord"].append(cal.ordinal(day))
            cols["session"].append(cal.session_for(day))
            cols["month"].append(month_index(day))
            cols["period_id"].append(pid)
            cols["m"].append(days_in_year(day) * CENTS_M)
            day += timedelta(days=1)
    types = {"session": pa.date32()}
    return pa.table({k: pa.array(v, types.get(k, pa.int64())) for k, v in cols.items()})


def last_sessions(cal: Calendar, periods: list[PayPeriod]) -> pa.Table:
    """Each period's last NYSE session (dealer of record is judged on it)."""
    return pa.table(
        {
            "period_id": pa.array(range(len(periods)), pa.int64()),
            "session": pa.array([cal.session_for(p.end - timedelta(days=1)) for p in periods], pa.date32()),
        }
    )


def due(p: PayPeriod, due_days: int) -> date:
    return due_date(p.last_month_start, due_days)


def terms_table(
    dealers: list[Dealer],
    pairs: Iterable[tuple[str, FundClassKey]],
    coverage: list[CoveragePeriod],
    cal: Calendar,
    start: date,
    end: date,
) -> pa.Table:
    """Runs [lo, hi) of day ordinals over which one agreement is in force for a dealer and
    fund-class AND the plan covers the fund-class, with the rate R (1e-4 %) and prepaid months."""
    by_id = {d.id: d for d in dealers}
    covered: dict[FundClassKey, list[tuple[date, date]]] = {}
    for c in coverage:
        covered.setdefault(FundClassKey.of(c.fund, c.share_class), []).append((c.start, c.end or end))
    cols: dict[str, list[object]] = {k: [] for k in ("dealer", "fk", "ck", "lo", "hi", "R", "P")}
    for dealer_id, key in sorted(set(pairs)):
        d = by_id.get(dealer_id)
        spans = covered.get(key)
        if d is None or not spans:
            continue
        cuts = {start, end} | {a.effective for a in d.agreements} | {x for s in spans for x in s}
        edges = sorted(x for x in cuts if start <= x <= end)
        for lo, hi in itertools.pairwise(edges):
            a = d.in_force(key, lo)
            if a is None or not any(s <= lo < e for s, e in spans):
                continue
            cols["dealer"].append(dealer_id)
            cols["fk"].append(key.fund)
            cols["ck"].append(key.share_class)
            cols["lo"].append(cal.ordinal(lo))
            cols["hi"].append(cal.ordinal(hi))
            cols["R"].append(int(a.rate * RATE_UNITS))
            cols["P"].append(a.prepaid_months)
    strings = ("dealer", "fk", "ck")
    return pa.table({k: pa.array(v, pa.string() if k in strings else pa.int64()) for k, v in cols.items()})
