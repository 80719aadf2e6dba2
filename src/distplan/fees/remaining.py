"""The FINRA Rule 2341(d) remaining amount (NASD Conduct Rule 2830(d) before 2016), per
fund-class with an asset-based sales charge, day by day from the first sale to `as_of`:

* cap: + 6.25% of the day's new gross sales, or 7.25% on a day the class pays no service fee
  (per the plan's rates that day, under the cap rule), rounded half-even to the cent per sale;
* charges: + the day's asset-based (distribution) accrual, from the fee engine's daily accruals
  (`fees.accrue`, the same computation as `distplan fees accrue`), + front-end loads retained
  + CDSCs collected;
* interest: + the remaining amount at the previous day's end x (prime + 1%) / days in the year
  (366 in a leap year: actual/actual, the fee accruals' day count), only while that amount is
  positive; prime is the rate in force that day. Credited daily, so it compounds daily;
  rounded half-even to the cent per day (policy `daily-cents-half-even`).

remaining = cap + interest - charges. The first day it is below zero is reported (the
compliance finding cites the rule). The calculation starts at the sales file's first date:
sales and charges before it are not counted, so the file should start at the class's
inception (or the rule's effective date, 1993-07-07). These conventions are choices: DOMAIN.md
leaves the day count, compounding and start to be settled against NASD NTM 93-12.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from distplan.errors import InputError
from distplan.fees.engine import Engine
from distplan.fees.navsource import NavSource
from distplan.fees.prime import PrimeRates
from distplan.fees.run import FeeOptions, accrue
from distplan.fees.sales import Sale
from distplan.model import CoveragePeriod, FundClassKey, suggest
from distplan.periods import days_in_year

CAP_WITH_SERVICE = Decimal("6.25")
CAP_WITHOUT_SERVICE = Decimal("7.25")
INTEREST_OVER_PRIME = Decimal("1")
POLICY = "daily-cents-half-even; interest actual/actual, credited daily"
MONEY = (
    "gross_sales",
    "cap",
    "interest",
    "asset_based",
    "loads_retained",
    "cdsc_collected",
    "charges",
    "remaining",
)


@dataclass(frozen=True)
class RemainingResult:
    rows: list[dict[str, Any]]  # money as Decimal dollars; first_negative a date or None
    start: date
    warnings: list[str]


def _cents(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), ROUND_HALF_EVEN))


def _dollars(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def _asset_based(coverage: list[CoveragePeriod]) -> dict[FundClassKey, list[CoveragePeriod]]:
    by: dict[FundClassKey, list[CoveragePeriod]] = {}
    for p in coverage:
        by.setdefault(FundClassKey.of(p.fund, p.share_class), []).append(p)
    out = {}
    for key, periods in by.items():
        charged = [p.rates.charged() for p in periods]
        if any(c is not None and c.distribution > 0 for c in charged):
            out[key] = periods
    return out


def _service_paid(periods: list[CoveragePeriod], day: date) -> bool:
    for p in periods:
        if p.start <= day and (p.end is None or day < p.end):
            charged = p.rates.charged()
            return charged is not None and charged.service > 0
    return False  # not covered that day: no 12b-1 service fee is paid


def remaining(
    engine: Engine,
    nav: NavSource,
    sales: list[Sale],
    prime: PrimeRates,
    coverage: list[CoveragePeriod],
    as_of: date,
    options: FeeOptions | None = None,
) -> RemainingResult:
    start = min(s.day for s in sales)
    if start > as_of:
        raise InputError(f"--as-of {as_of}: before the first sale ({start})")
    end = as_of + timedelta(days=1)
    classes = _asset_based(coverage)
    warnings: list[str] = []
    if not classes:
        raise InputError("no fund-class the plan covers has an asset-based (distribution) charge")
    per_day: dict[FundClassKey, dict[date, list[int]]] = {k: {} for k in classes}
    plan_funds = sorted({p.fund for p in coverage})
    for s in sales:
        key = FundClassKey.of(s.fund, s.share_class)
        if key not in classes:
            covered = any(FundClassKey.of(p.fund, p.share_class) == key for p in coverage)
            hint = None if covered else suggest(s.fund, plan_funds)
            why = "has no asset-based charge" if covered else "is not covered by the plan"
            did = f" (did you mean {hint!r}?)" if hint else ""
            warnings.append(
                f"sales: {s.fund!r} ({s.share_class or 'no class'}) {why}; its sales are ignored{did}"
            )
        elif s.day <= as_of:
            day = per_day[key].setdefault(s.day, [0, 0, 0, 0])
            for i, c in enumerate(s.cents):
                day[i] += c
    absent = sorted(k for k in classes if not per_day[k])
    if absent:
        names = ", ".join(
            f"{classes[k][-1].fund} ({classes[k][-1].share_class or 'no class'})" for k in absent[:3]
        )
        more = f" and {len(absent) - 3} more" if len(absent) > 3 else ""
        warnings.append(
            f"sales: no rows for {len(absent)} fund-class(es) with an asset-based charge: {names}{more}; "
            "their remaining amount is not computed"
        )
        for k in absent:
            del classes[k], per_day[k]
    if not classes:
        raise InputError(
            "the sales file has no rows for a fund-class with an asset-based charge (as of then)"
        )
    chosen = [p for ps in classes.values() for p in ps]
    daily = accrue(chosen, nav, start, end, engine=engine, options=options).table
    for r in daily.select(["fund", "share_class", "date", "accrual_distribution"]).to_pylist():
        key = FundClassKey.of(r["fund"], r["share_class"])
        if key in per_day:
            per_day[key].setdefault(r["date"], [0, 0, 0, 0])[3] += int(r["accrual_distribution"] * 100)
    rows = [_walk(key, classes[key], per_day[key], prime, start, end) for key in sorted(classes)]
    return RemainingResult(rows, start, list(dict.fromkeys(warnings)))


def _walk(
    key: FundClassKey,
    periods: list[CoveragePeriod],
    days: dict[date, list[int]],
    prime: PrimeRates,
    start: date,
    end: date,
) -> dict[str, Any]:
    t = dict.fromkeys(MONEY, 0)
    balance = 0
    first_negative: date | None = None
    day = start
    while day < end:
        gross, loads, cdsc, asset = days.get(day, (0, 0, 0, 0))
        if balance > 0:
            rate = prime.on(day) + INTEREST_OVER_PRIME
            interest = _cents(Decimal(balance) * rate / 100 / days_in_year(day))
            t["interest"] += interest
            balance += interest
        pct = CAP_WITH_SERVICE if _service_paid(periods, day) else CAP_WITHOUT_SERVICE
        cap = _cents(Decimal(gross) * pct / 100)
        balance += cap - asset - loads - cdsc
        for name, v in zip(
            ("gross_sales", "cap", "asset_based", "loads_retained", "cdsc_collected"),
            (gross, cap, asset, loads, cdsc),
            strict=True,
        ):
            t[name] += v
        if balance < 0 and first_negative is None:
            first_negative = day
        day += timedelta(days=1)
    t["charges"] = t["asset_based"] + t["loads_retained"] + t["cdsc_collected"]
    t["remaining"] = balance
    last = periods[-1]
    return {
        "fund": last.fund,
        "share_class": last.share_class or "",
        "from": start,
        "as_of": end - timedelta(days=1),
        **{m: _dollars(v) for m, v in t.items()},
        "first_negative": first_negative,
    }
