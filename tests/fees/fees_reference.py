"""A plain-Python reference for the fee engine: exact rationals, one calendar day at a time.

Deliberately naive and independent of the engine's tricks (segments, integer long division,
completeness proofs): for every day, find the coverage, the latest struck NAV, and accrue.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from distplan.fees.coverage import CoverageLike
from distplan.model import fold_name
from distplan.periods import Period, nyse_sessions

NavRow = tuple[str, str, date, Decimal]  # fund, share_class, date, net_assets


class Gap(Exception):
    pass


def half_even_cents(amount: Fraction) -> Decimal:
    """Round an exact amount of cents to a whole cent, ties to even; return dollars."""
    floor = amount.numerator // amount.denominator
    rest = amount - floor
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and floor % 2 == 1):
        floor += 1
    return Decimal(floor) / 100


@dataclass
class Payable:
    month: str
    fund: str
    share_class: str | None
    days: int = 0
    sum_na: Fraction = Fraction(0)
    cents_d: Fraction = Fraction(0)
    cents_s: Fraction = Fraction(0)
    posted_d: Decimal = Decimal("0.00")
    posted_s: Decimal = Decimal("0.00")


def _key(fund: str, share_class: str | None) -> tuple[str, str]:
    return fold_name(fund), fold_name(share_class or "")


def _rates(c: CoverageLike) -> tuple[Decimal, Decimal]:
    if c.rate_distribution is None and c.rate_service is None:
        assert c.rate_aggregate is not None
        return c.rate_aggregate, Decimal(0)
    return c.rate_distribution or Decimal(0), c.rate_service or Decimal(0)


def payables(
    coverage: Sequence[CoverageLike],
    nav: Iterable[NavRow],
    start: date,
    end: date,
    rounding: str = "daily-cents-half-even",
    carry_missing: bool = False,
) -> dict[tuple[str, tuple[str, str]], Payable]:
    """{(month, fund-class key): Payable}; raises Gap on a missing NAV unless carrying."""
    sessions = nyse_sessions(Period(start - timedelta(days=15), end))
    session_set = set(sessions)
    struck: dict[tuple[str, str], dict[date, Decimal]] = {}
    for fund, share_class, day, na in nav:
        if day in session_set:
            struck.setdefault(_key(fund, share_class), {})[day] = na
    out: dict[tuple[str, tuple[str, str]], Payable] = {}
    day = start
    while day < end:
        session = max(s for s in sessions if s <= day)
        diy = 366 if calendar.isleap(day.year) else 365
        month = f"{day.year:04d}-{day.month:02d}"
        for c in coverage:
            if not (c.start <= day and (c.end is None or day < c.end)):
                continue
            key = _key(c.fund, c.share_class)
            navs = struck.get(key, {})
            if session not in navs:
                if not carry_missing:
                    raise Gap(f"{c.fund} {session}")
                earlier = [d for d in navs if d <= day]
                if not earlier:
                    raise Gap(f"{c.fund} {session} (nothing to carry)")
                na = navs[max(earlier)]
            else:
                na = navs[session]
            rd, rs = _rates(c)
            p = out.setdefault((month, key), Payable(month, c.fund, c.share_class))
            p.fund, p.share_class = c.fund, c.share_class
            p.days += 1
            p.sum_na += Fraction(na)
            exact_d = Fraction(na) * Fraction(rd) / diy  # cents: /100 for percent, x100 for cents
            exact_s = Fraction(na) * Fraction(rs) / diy
            p.cents_d += exact_d
            p.cents_s += exact_s
            p.posted_d += half_even_cents(exact_d)
            p.posted_s += half_even_cents(exact_s)
        day += timedelta(days=1)
    if rounding == "monthly-cents-half-even":
        for p in out.values():
            p.posted_d = half_even_cents(p.cents_d)
            p.posted_s = half_even_cents(p.cents_s)
    return out


def average_net_assets(p: Payable) -> Decimal:
    return half_even_cents(p.sum_na * 100 / p.days)
