"""Distributor retention: what the distributor keeps of a month's 12b-1 fees after the trails.

Per fund-class and month: the fund's distribution and service fees come from the payables
(`fees.payables`, the same computation `distplan fees payables` runs, never recomputed here);
the trails are what every dealer accrued on that fund-class in the month
(`trails.accrued_between`, before forfeits, carries and minimums, which are settled per payment
period: a trail forfeited at a period's end stays with the distributor, and `distplan fees
trails` reports it). retained = fee - trails accrued, exact to the cent; a warning when the
trails exceed the fund's fee (the distributor pays out more than it receives).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from distplan.errors import InputError
from distplan.fees.agreements import Dealer
from distplan.fees.engine import Engine
from distplan.fees.navsource import NavSource
from distplan.fees.run import FeeOptions, FeeResult, payables
from distplan.fees.trails import Positions, accrued_between
from distplan.model import CoveragePeriod, Diagnostic, FundClassKey

COLUMNS = (
    "month",
    "plan",
    "registrant",
    "fund",
    "share_class",
    "fee_distribution",
    "fee_service",
    "fee",
    "trails_accrued",
    "dealers",
    "retained",
)
_MONEY = ("fee_distribution", "fee_service", "fee")


@dataclass(frozen=True)
class RetentionResult:
    rows: list[dict[str, Any]]  # money as Decimal dollars
    total: dict[str, Decimal]
    warnings: list[Diagnostic]


def retention(
    engine: Engine,
    nav: NavSource,
    positions: Positions,
    dealers: list[Dealer],
    coverage: list[CoveragePeriod],
    start: date,
    end: date,
    options: FeeOptions | None = None,
    *,
    fees: FeeResult | None = None,
) -> RetentionResult:
    """Retention for the month(s) in [start, end): one row per fund-class and month. `fees`:
    the payables of those months when the caller has them (as `fees.payables` computes them
    with `options`), else computed here; their warnings are the caller's then."""
    if fees is None:
        fees = payables(coverage, nav, start, end, engine=engine, options=options)
    warnings = list(fees.warnings)
    if not dealers:
        raise InputError("no dealer agreements recorded (as known then): distplan dealers record FILE")
    rows: dict[tuple[str, FundClassKey], dict[str, Any]] = {}
    for r in fees.table.to_pylist():
        key = (r["month"], FundClassKey.of(r["fund"], r["share_class"]))
        row = rows.get(key)
        if row is None:
            rows[key] = {c: r.get(c) for c in COLUMNS[:8]}
        else:  # one fund-class under two registrants in a month: one retention line
            for c in _MONEY:
                row[c] += r[c]
    months = sorted({m for m, _ in rows})
    for month in months:
        first = date.fromisoformat(f"{month}-01")
        lo, hi = max(first, start), min(_next_month(first), end)
        cents, more = accrued_between(engine, positions, dealers, coverage, lo, hi)
        warnings.extend(Diagnostic("warning", w) for w in more)
        per_fc: dict[FundClassKey, list[int]] = {}
        for (_dealer, fk, ck), owed_cents in cents.items():
            per_fc.setdefault(FundClassKey(fk, ck), []).append(owed_cents)
        for key, row in rows.items():
            if key[0] != month:
                continue
            owed = per_fc.pop(key[1], [])
            row["trails_accrued"] = (Decimal(sum(owed)) / 100).quantize(Decimal("0.01"))
            row["dealers"] = sum(1 for c in owed if c)
            row["retained"] = row["fee"] - row["trails_accrued"]
            if row["retained"] < 0:
                warnings.append(
                    Diagnostic(
                        "warning",
                        f"{row['fund']} ({row['share_class'] or 'no class'}) {month}: trails accrued "
                        f"{row['trails_accrued']} exceed the fund's fee {row['fee']} by {-row['retained']}",
                    )
                )
        for fc, owed in per_fc.items():  # cannot happen: trails accrue only where the plan covers
            warnings.append(
                Diagnostic("warning", f"{fc.fund} {month}: trails {sum(owed)} cents with no fee row")
            )
    out = sorted(rows.values(), key=lambda r: (r["month"], r["fund"], r["share_class"] or ""))
    total = {c: sum((r[c] for r in out), Decimal("0.00")) for c in (*_MONEY, "trails_accrued", "retained")}
    return RetentionResult(out, total, list(dict.fromkeys(warnings)))


def _next_month(first: date) -> date:
    n = first.month
    return date(first.year + n // 12, n % 12 + 1, 1)
