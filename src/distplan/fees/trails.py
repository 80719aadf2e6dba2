"""Dealer trails: what the distributor owes each broker-dealer for a payment period.

The daily accrual runs as Ibis expressions (DuckDB by default; nothing engine-specific, so the
Spark engine runs the same): per dealer, fund-class and calendar day, the eligible assets are
the positions of the latest NYSE session on or before the day whose purchase month M is past
the prepaid window (M + prepaid_months <= the day's month), under the agreement in force that
day, on days the plan covers the fund-class. Accrual = eligible x rate% / days_in_year, in
cents exactly (`expressions.idiv`), rounded half-even per day (the plan's daily policy).

Per payment period (small, in Python): a fund-class's accrual is paid only if the dealer is
dealer of record (net assets above zero on the period's last NYSE session), else forfeited;
the minimum payment applies to the dealer's total due (carried in + accrued - forfeited) and
an amount below it is carried, per fund-class row, to the next period. Carries start at the
first period of the dealers' agreements, so one period's figures equal running every period
in turn. Row identity: carried_in + accrued = forfeited + paid + carried_out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, TypeAlias

import ibis
import pyarrow as pa

from distplan.errors import InputError
from distplan.fees.agreements import Dealer
from distplan.fees.calendar import Calendar
from distplan.fees.engine import Engine
from distplan.fees.expressions import half_even, idiv
from distplan.fees.positionscan import Scanned
from distplan.fees.trailterms import (
    PayPeriod,
    days_table,
    due,
    last_sessions,
    period_of,
    periods_between,
    terms_table,
)
from distplan.model import CoveragePeriod, FundClassKey, suggest

COLUMNS = (
    "period",
    "dealer",
    "dealer_name",
    "fund",
    "share_class",
    "days",
    "average_eligible_assets",
    "accrued",
    "carried_in",
    "paid",
    "carried_out",
    "forfeited",
    "due_date",
)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class TrailResult:
    rows: list[dict[str, Any]]  # money as Decimal dollars
    totals: list[dict[str, Any]]  # per dealer
    warnings: list[str]


def _dollars(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


# The columns of positions.SCHEMA: in memory, an engine table, or a file scanned and checked.
Positions: TypeAlias = pa.Table | ibis.Table | Scanned


def trails(
    engine: Engine,
    positions: Positions,
    dealers: list[Dealer],
    coverage: list[CoveragePeriod],
    frequency: str,
    period: PayPeriod,
    *,
    due_days: int = 10,
) -> TrailResult:
    paid_so = [d for d in dealers if d.frequency == frequency]
    if not paid_so:
        raise InputError(f"--period {period.label}: no dealer is paid {frequency}")
    first = min(a.effective for d in paid_so for a in d.agreements)
    if first >= period.end:
        raise InputError(f"--period {period.label}: before the first agreement ({first})")
    periods = periods_between(frequency, period_of(frequency, first).start, period.end)
    warnings: list[str] = []
    other = frozenset(d.id for d in dealers if d.frequency != frequency)  # paid in the other periods
    run = _accrual(engine, positions, paid_so, coverage, periods, warnings, other)
    agg = run.rows(engine, run.daily)
    of_record = {(r["dealer"], r["fk"], r["ck"], r["period_id"]) for r in run.rows(engine, run.of_record)}
    rows, totals = _settle(agg, of_record, paid_so, coverage, periods, due_days)
    return TrailResult(rows, totals, warnings)


def accrued_between(
    engine: Engine,
    positions: Positions,
    dealers: list[Dealer],
    coverage: list[CoveragePeriod],
    start: date,
    end: date,
) -> tuple[dict[tuple[str, str, str], int], list[str]]:
    """Trail cents accrued in [start, end) per (dealer, folded fund, folded class), every
    dealer whatever its payment frequency: what the distributor owes before forfeits, carries
    and minimums (those are settled per payment period by `trails`)."""
    warnings: list[str] = []
    run = _accrual(engine, positions, dealers, coverage, [PayPeriod("", start, end)], warnings)
    return {(r["dealer"], r["fk"], r["ck"]): int(r["accrued"]) for r in run.rows(engine, run.daily)}, warnings


@dataclass(frozen=True)
class _Accrual:
    """The engine's expressions, keyed by `kid` (an integer per dealer and folded fund-class:
    the engine joins and groups on it, not on text): `daily` per kid and period, `of_record`
    the kids and periods of record; `keys[kid]` = (dealer, fk, ck)."""

    daily: ibis.Table
    of_record: ibis.Table
    keys: list[tuple[str, str, str]]

    def rows(self, engine: Engine, expr: ibis.Table) -> list[dict[str, Any]]:
        out = engine.to_arrow(expr).to_pylist()
        for r in out:
            r["dealer"], r["fk"], r["ck"] = self.keys[r.pop("kid")]
        return _exact(out)


def _accrual(
    engine: Engine,
    positions: Positions,
    dealers: list[Dealer],
    coverage: list[CoveragePeriod],
    periods: list[PayPeriod],
    warnings: list[str],
    other: frozenset[str] = frozenset(),
) -> _Accrual:
    start, end = periods[0].start, periods[-1].end
    cal = Calendar.build(start, end)
    pos, keys = keyed(engine, positions, coverage, {d.id for d in dealers}, warnings, other)
    kid = {k: i for i, k in enumerate(keys)}
    terms = terms_table(dealers, [(d, FundClassKey(f, c)) for d, f, c in keys], coverage, cal, start, end)
    terms = terms.append_column(
        "kid",
        pa.array(
            [kid[k] for k in zip(*(terms[c].to_pylist() for c in ("dealer", "fk", "ck")), strict=True)],
            pa.int64(),
        ),
    ).drop_columns(["dealer", "fk", "ck"])
    daily, dor = _expressions(pos, days_table(cal, periods), terms, last_sessions(cal, periods))
    return _Accrual(daily, dor, keys)


def keyed(
    engine: Engine,
    positions: Positions,
    coverage: list[CoveragePeriod],
    dealer_ids: set[str],
    warnings: list[str],
    other: frozenset[str] = frozenset(),
) -> tuple[ibis.Table, list[tuple[str, str, str]]]:
    """Positions with `kid` (an integer per dealer, folded fund and folded class: the index
    into the list returned), the purchase month index `pm`, `date` and `cents`; rows of unknown
    dealers or funds are dropped, each named once with a suggestion (dealers in `other`, paid
    at the other frequency, silently). Names are folded once per distinct (dealer, fund,
    class) in Python, then joined back in the engine."""
    if isinstance(positions, Scanned):
        table, distinct = positions.table, positions.names
    else:
        table = ibis.memtable(positions) if isinstance(positions, pa.Table) else positions
        distinct = engine.to_arrow(table.select("dealer", "fund", "share_class").distinct())
    plan_keys = {FundClassKey.of(c.fund, c.share_class) for c in coverage}
    plan_funds = sorted({c.fund for c in coverage})
    cols: dict[str, list[Any]] = {k: [] for k in ("dealer", "fund", "share_class", "kid")}
    kids: dict[tuple[str, str, str], int] = {}
    for dealer, fund, cls in sorted(
        zip(*(distinct[c].to_pylist() for c in ("dealer", "fund", "share_class")), strict=True),
        key=lambda n: tuple(x or "" for x in n),
    ):
        key = FundClassKey.of(fund, cls)
        if dealer in dealer_ids and key in plan_keys:
            kid = kids.setdefault((dealer, key.fund, key.share_class), len(kids))
            for k, v in zip(cols, (dealer, fund, cls, kid), strict=True):
                cols[k].append(v)
        elif dealer in other:
            continue
        elif dealer not in dealer_ids:
            hint = suggest(dealer, sorted(dealer_ids))
            warnings.append(
                f"positions: dealer {dealer!r}: no agreement; its rows earn no trail" + _did(hint)
            )
        else:
            hint = suggest(fund, plan_funds)
            warnings.append(
                f"positions: fund {fund!r} ({cls or 'no class'}): not covered by the plan; its rows earn no trail"
                + _did(hint)
            )
    warnings[:] = sorted(dict.fromkeys(warnings))
    types = {"kid": pa.int64()}
    keys = ibis.memtable(pa.table({k: pa.array(v, types.get(k, pa.string())) for k, v in cols.items()}))
    joined = table.join(keys, ["dealer", "fund", "share_class"])
    pm = joined.purchase_month.year().cast("int64") * 12 + joined.purchase_month.month().cast("int64") - 1
    return joined.select("kid", "date", "cents", pm=pm), list(kids)


def _exact(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The accrual's integer arithmetic is exact while a day's eligible cents stay below 2**53
    (about $90 trillion for one dealer and fund-class): beyond, refuse rather than round."""
    if any(r.get("emax") is not None and r["emax"] >= 2**53 for r in rows):
        raise InputError(
            "positions: one dealer's eligible assets in one fund-class exceed $90 trillion on a day"
        )
    return rows


def _did(hint: str | None) -> str:
    return f" (did you mean {hint!r}?)" if hint else ""


def _expressions(pos: ibis.Table, days: pa.Table, terms: pa.Table, last: pa.Table) -> tuple[Any, Any]:
    p, d, t, ls = pos, ibis.memtable(days), ibis.memtable(terms), ibis.memtable(last)
    j = p.join(d, p.date == d.session)
    j = j.join(t, (j.kid == t.kid) & (t.lo <= j.ord) & (j.ord < t.hi))
    j = j.filter(j.pm + j.P <= j.month)
    per_day = j.group_by(["kid", "ord", "period_id", "m", "R"]).aggregate(e=j.cents.sum().cast("int64"))
    # exact (for e < 2**53, checked by the caller on emax): e * R / m cents as q + rem/m, by two int64 long divisions (see expressions.py)
    a1, a0 = idiv(per_day.e, per_day.m)
    t1, t0 = idiv(a0 * per_day.R, per_day.m)
    per_day = per_day.mutate(c=half_even((a1 * per_day.R + t1).cast("int64"), t0, per_day.m))
    daily = per_day.group_by(["kid", "period_id"]).aggregate(
        accrued=per_day.c.sum().cast("int64"),
        esum=per_day.e.sum().cast("int64"),
        days=per_day.count(),
        emax=per_day.e.max(),
    )
    on_last = p.join(ls, p.date == ls.session).filter(lambda r: r.cents > 0)
    dor = on_last.select("kid", "period_id").distinct()
    return daily, dor


def _settle(
    agg: list[dict[str, Any]],
    of_record: set[tuple[str, str, str, int]],
    dealers: list[Dealer],
    coverage: list[CoveragePeriod],
    periods: list[PayPeriod],
    due_days: int,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    display = {FundClassKey.of(c.fund, c.share_class): (c.fund, c.share_class or "") for c in coverage}
    by_period: dict[int, dict[tuple[str, str, str], dict[str, Any]]] = {}
    for r in agg:
        by_period.setdefault(r["period_id"], {})[(r["dealer"], r["fk"], r["ck"])] = r
    carry: dict[tuple[str, str, str], int] = {}
    rows: list[dict[str, Any]] = []
    last = len(periods) - 1
    for pid, p in enumerate(periods):
        here = by_period.get(pid, {})
        keys = sorted(set(here) | set(carry))
        lines = {}
        for k in keys:
            r = here.get(k, {"accrued": 0, "esum": 0, "days": 0})
            forfeited = 0 if (*k, pid) in of_record else int(r["accrued"])
            lines[k] = (carry.get(k, 0), int(r["accrued"]), forfeited, int(r["esum"]), int(r["days"]))
        carry = {}
        per_dealer: dict[str, list[tuple[str, str, str]]] = {}
        for k in keys:  # sorted, so each dealer's keys stay sorted
            per_dealer.setdefault(k[0], []).append(k)
        for d in dealers:
            mine = per_dealer.get(d.id, [])
            due_total = sum(ci + acc - f for ci, acc, f, _, _ in (lines[k] for k in mine))
            pays = due_total >= _minimum(d, p) * 100
            for k in mine:
                ci, acc, f, esum, days = lines[k]
                owed = ci + acc - f
                if not pays and owed:
                    carry[k] = owed
                if pid == last:
                    fund, cls = display.get(FundClassKey(k[1], k[2]), (k[1], k[2]))
                    avg = (
                        (Decimal(esum) / days / 100).quantize(CENT, ROUND_HALF_EVEN)
                        if days
                        else Decimal("0.00")
                    )
                    rows.append(
                        {
                            "period": p.label,
                            "dealer": d.id,
                            "dealer_name": d.name,
                            "fund": fund,
                            "share_class": cls,
                            "days": days,
                            "average_eligible_assets": avg,
                            "accrued": _dollars(acc),
                            "carried_in": _dollars(ci),
                            "paid": _dollars(owed if pays else 0),
                            "carried_out": _dollars(0 if pays else owed),
                            "forfeited": _dollars(f),
                            "due_date": due(p, due_days),
                        }
                    )
    return rows, _totals(rows)


def _minimum(d: Dealer, p: PayPeriod) -> Decimal:
    """The minimum of the dealer's latest agreement in force on the period's last day."""
    last_day = date.fromordinal(p.end.toordinal() - 1)
    live = [a for a in d.agreements if a.effective <= last_day]
    return live[-1].minimum_payment if live else Decimal(0)


def _totals(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    money = ("accrued", "carried_in", "paid", "carried_out", "forfeited")
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        t = out.setdefault(
            r["dealer"],
            {"dealer": r["dealer"], "dealer_name": r["dealer_name"], **{m: Decimal("0.00") for m in money}},
        )
        for m in money:
            t[m] += r[m]
    return list(out.values())
