"""An independent exact reference for dealer trails: Decimal, plain Python, one day at a time,
written from the issue's rules (not from the engine's expressions)."""

from __future__ import annotations

import bisect
import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from distplan.model import fold_class, fold_name

CENT = Decimal("0.01")


def _key(fund: str, cls: str | None) -> tuple[str, str]:
    return fold_name(fund), fold_class(cls)


def _periods(frequency: str, first: date, last_end: date) -> list[tuple[date, date]]:
    step = 3 if frequency == "quarterly" else 1
    m = (first.month - 1) // step * step
    start = date(first.year, m + 1, 1)
    out = []
    while start < last_end:
        n = start.month - 1 + step
        end = date(start.year + n // 12, n % 12 + 1, 1)
        out.append((start, end))
        start = end
    return out


def _in_force(agreements: list[dict[str, Any]], key: tuple[str, str], day: date) -> dict[str, Any] | None:
    best = None
    for a in agreements:  # the latest effective on or before the day that covers the fund-class
        funds = a["funds"] == "all" or key[0] in {fold_name(f) for f in a["funds"]}
        classes = a["share_classes"] == "all" or key[1] in {fold_class(c) for c in a["share_classes"]}
        if (
            a["effective"] <= day
            and funds
            and classes
            and (best is None or a["effective"] >= best["effective"])
        ):
            best = a
    return best


def _held(
    positions: list[dict[str, Any]],
) -> dict[tuple[date, str, tuple[str, str]], list[tuple[date, Decimal]]]:
    held: dict[tuple[date, str, tuple[str, str]], list[tuple[date, Decimal]]] = {}
    for p in positions:
        k = (p["date"], p["dealer"], _key(p["fund"], p["share_class"]))
        held.setdefault(k, []).append((p["purchase_month"], Decimal(p["net_assets"])))
    return held


def _day(
    held: dict[tuple[date, str, tuple[str, str]], list[tuple[date, Decimal]]],
    dealer: dict[str, Any],
    dk: str,
    key: tuple[str, str],
    coverage: list[tuple[str, str, date, date]],
    sessions: list[date],
    day: date,
) -> tuple[Decimal, Decimal]:
    """(eligible assets, the day's trail rounded half-even to the cent) of one dealer and
    fund-class on one calendar day."""
    a = _in_force(dealer["agreements"], key, day)
    if a is None or not any(_key(f, c) == key and s <= day < e for f, c, s, e in coverage):
        return Decimal(0), Decimal(0)
    session = sessions[bisect.bisect_right(sessions, day) - 1]
    eligible = Decimal(0)
    for month, amount in held.get((session, dk, key), []):
        n = month.month - 1 + a["prepaid_months"]
        if date(month.year + n // 12, n % 12 + 1, 1) <= day:
            eligible += amount
    diy = 366 if calendar.isleap(day.year) else 365
    return eligible, (eligible * a["rate"] / 100 / diy).quantize(CENT, ROUND_HALF_EVEN)


def _accrue(
    held: dict[tuple[date, str, tuple[str, str]], list[tuple[date, Decimal]]],
    dealer: dict[str, Any],
    key: tuple[str, str],
    coverage: list[tuple[str, str, date, date]],
    sessions: list[date],
    span: tuple[date, date],
) -> tuple[Decimal, Decimal, int]:
    """(trail accrued, sum of eligible assets, days with eligible assets) over [start, end)."""
    accrued, esum, days = Decimal(0), Decimal(0), 0
    day, end = span
    while day < end:
        eligible, cents = _day(held, dealer, dealer["id"], key, coverage, sessions, day)
        if eligible:
            accrued += cents
            esum += eligible
            days += 1
        day += timedelta(days=1)
    return accrued, esum, days


def daily_trails(
    positions: list[dict[str, Any]],
    dealers: list[dict[str, Any]],
    coverage: list[tuple[str, str, date, date]],
    sessions: list[date],
    span: tuple[date, date],
) -> dict[tuple[str, str, str], Decimal]:
    """Trails accrued in span = [start, end) per (dealer, folded fund, folded class), any frequency."""
    held = _held(positions)
    keys = sorted({(p["dealer"], _key(p["fund"], p["share_class"])) for p in positions})
    by_id = {d["id"]: d for d in dealers}
    return {
        (dk, *key): _accrue(held, by_id[dk], key, coverage, sessions, span)[0]
        for dk, key in keys
        if dk in by_id
    }


def reference(
    positions: list[dict[str, Any]],
    dealers: list[dict[str, Any]],
    coverage: list[tuple[str, str, date, date]],
    sessions: list[date],
    frequency: str,
    period_end: date,
) -> dict[tuple[str, str, str, str], dict[str, Any]]:
    """{(period label, dealer, folded fund, folded class): figures in Decimal dollars} for
    every period from the first agreement's period to `period_end`."""
    dealers = [d for d in dealers if d["agreements"][0]["frequency"] == frequency]
    first = min(a["effective"] for d in dealers for a in d["agreements"])
    periods = _periods(frequency, first, period_end)
    held = _held(positions)
    keys = sorted({(p["dealer"], _key(p["fund"], p["share_class"])) for p in positions})
    out = {}
    carry: dict[tuple[str, tuple[str, str]], Decimal] = {}
    for start, end in periods:
        label = (
            f"{start.year}-Q{(start.month - 1) // 3 + 1}" if frequency == "quarterly" else f"{start:%Y-%m}"
        )
        last_session = sessions[bisect.bisect_right(sessions, end - timedelta(days=1)) - 1]
        figures = {}
        for dealer in dealers:
            for dk, key in keys:
                if dk != dealer["id"]:
                    continue
                accrued, esum, days = _accrue(held, dealer, key, coverage, sessions, (start, end))
                of_record = any(v > 0 for _, v in held.get((last_session, dk, key), []))
                ci = carry.get((dk, key), Decimal(0))
                if accrued or ci or days:
                    forfeited = Decimal(0) if of_record else accrued
                    figures[(dk, key)] = (ci, accrued, forfeited, esum, days)
        carry = {}
        for dealer in dealers:
            mine = {k: v for k, v in figures.items() if k[0] == dealer["id"]}
            live = [a for a in dealer["agreements"] if a["effective"] < end]
            minimum = max(live, key=lambda a: a["effective"])["minimum_payment"] if live else Decimal(0)
            total = sum((ci + acc - f for ci, acc, f, _, _ in mine.values()), Decimal(0))
            pays = total >= minimum
            for (dk, key), (ci, acc, f, esum, days) in mine.items():
                owed = ci + acc - f
                if not pays and owed:
                    carry[(dk, key)] = owed
                avg = (esum / days).quantize(CENT, ROUND_HALF_EVEN) if days else Decimal("0.00")
                out[(label, dk, *key)] = {
                    "days": days,
                    "average_eligible_assets": avg,
                    "accrued": acc,
                    "carried_in": ci,
                    "paid": owed if pays else Decimal(0),
                    "carried_out": Decimal(0) if pays else owed,
                    "forfeited": f,
                }
    return out
