"""The fee computation as Ibis expressions: the same expressions run on DuckDB and on Spark.

Exactness. Amounts are DECIMAL: net assets DECIMAL(38, 10), rates (percent) DECIMAL(38, 10),
products DECIMAL(38, 20). Neither engine divides decimals exactly (DuckDB returns a DOUBLE,
Spark rounds to a scale), so every division is `round_half_even(N / D)` for a decimal N >= 0 and
an integer D > 0, done as: a floating-point estimate of the quotient, corrected with exact
decimal multiplications and comparisons, then half-even on the exact remainder. The estimate
is only a starting point; the answer is exact while the quotient fits in an int64 and the
estimate's error is below 1 (both hold under the input limits checked in `run.py`).

Cents. A day's accrual in cents is `net_assets * rate% / days_in_year`: the /100 of the
percentage and the x100 of the cents cancel.

Shapes. `rows` joins NAV rows to calendar segments (runs of days using one struck NAV, see
`calendar.py`) and to coverage periods; `w` is the number of covered days in the row. Daily
output uses one-day segments (w = 1); payables aggregate month segments, which is the same sum
with far fewer rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import ibis
import ibis.expr.datatypes as dt
from ibis.expr.types import BooleanValue, IntegerValue, Table, Value

Rounding = Literal["daily-cents-half-even", "monthly-cents-half-even"]
ROUNDINGS: tuple[str, ...] = ("daily-cents-half-even", "monthly-cents-half-even")

MONEY = dt.Decimal(38, 10)
WIDE = dt.Decimal(38, 20)
CENTS = dt.Decimal(38, 2)
MICROS = dt.Decimal(38, 6)
INT = dt.int64


def _i(expr: BooleanValue) -> IntegerValue:
    return expr.cast(INT)  # type: ignore[return-value]


def _wide(expr: Value) -> Value:
    return expr.cast(WIDE)


def rhe_div(n: Value, d: Value, *, robust: bool = False) -> IntegerValue:
    """round_half_even(n / d) as int64, exactly. n: decimal >= 0, d: int64 > 0.

    The float estimate x' of x = n/d has |x' - x| < 1 when x < 2**50 (the fast form, used per
    row); `robust` adds one exact correction round so x may approach 2**62 (per group)."""
    nw = _wide(n)
    dw = _wide(d)
    q0 = (nw.cast("float64") / d).floor().cast(INT)
    if robust:
        # A first estimate, then the float quotient of the (exact, now small) remainder.
        r0 = nw - _wide(q0 * d)
        q0 = q0 + (r0.cast("float64") / d).floor().cast(INT)
    q0 = q0 - 1
    q = q0 + _i(_wide((q0 + 1) * d) <= nw) + _i(_wide((q0 + 2) * d) <= nw)
    rem = nw - _wide(q * d)
    twice = _wide(rem + rem)
    up = (twice > dw) | ((twice == dw) & (q % 2 == 1))
    return q + _i(up)  # type: ignore[return-value]


def from_units(units: Value, scale: int) -> Value:
    """int64 count of 10**-scale dollars -> DECIMAL(38, scale) dollars, exactly."""
    # Ibis multiplies decimals of one type only; both sides DECIMAL(38, scale), product exact.
    target = dt.Decimal(38, scale)
    factor = ibis.literal(Decimal(1).scaleb(-scale), type=target)
    return (units.cast(target) * factor).cast(target)


def rows(nav: Table, seg: Table, cov: Table) -> Table:
    """NAV rows x the calendar segments using them x the coverage periods covering them.

    nav: fc_id, strike (session date the row stands for), nav_date, na
    seg: session, k, seg_start, seg_end, day, month_id, diy
    cov: period_id, cov_fc, plan, registrant, fund, share_class, p_start, p_end, p_k_lo,
         p_k_hi, rate_d, rate_s, instrument
    """
    j1 = nav.join(seg, nav.strike == seg.session)
    j = j1.join(cov, j1.fc_id == cov.cov_fc)
    w = ibis.least(j.seg_end, j.p_end) - ibis.greatest(j.seg_start, j.p_start)
    j = j.mutate(w=w)
    j = j.filter(j.w > 0)
    return j.mutate(
        nd=_wide(j.na * j.rate_d),
        ns=_wide(j.na * j.rate_s),
    )


def daily(rows_: Table, rounding: Rounding) -> Table:
    """One row per covered calendar day (rows_ built from one-day segments)."""
    r = rows_
    if rounding == "daily-cents-half-even":
        ad = from_units(rhe_div(r.nd, r.diy), 2)
        as_ = from_units(rhe_div(r.ns, r.diy), 2)
        total = (ad + as_).cast(CENTS)
    else:
        # Full precision is kept for the month; the daily rows show it to 10**-6 dollars.
        ad = from_units(rhe_div(_wide(r.nd * 10_000), r.diy, robust=True), 6)
        as_ = from_units(rhe_div(_wide(r.ns * 10_000), r.diy, robust=True), 6)
        total = (ad + as_).cast(MICROS)
    return r.select(
        date=r.day,
        plan=r.plan,
        registrant=r.registrant,
        fund=r.fund,
        share_class=r.share_class,
        nav_date=r.nav_date,
        net_assets=r.na,
        rate_distribution=r.rate_d,
        rate_service=r.rate_s,
        days_in_year=r.diy,
        accrual_distribution=ad,
        accrual_service=as_,
        accrual=total,
        instrument=r.instrument,
    )


def period_months(rows_: Table, rounding: Rounding) -> Table:
    """Aggregate per (coverage period, month), with the evidence `checked` needs: how many NAV
    rows were used and which session indices (min, max, sum, sum of squares)."""
    r = rows_
    metrics = {
        "days": r.w.sum().cast(INT),
        "n": r.count().cast(INT),
        "kmin": r.k.min().cast(INT),
        "kmax": r.k.max().cast(INT),
        "ksum": r.k.sum().cast(INT),
        "ksq": (r.k * r.k).sum().cast(INT),
        "sna": (r.na * r.w).sum().cast(MONEY),
        "nav_min": r.na.min().cast(MONEY),
        "nav_max": r.na.max().cast(MONEY),
    }
    if rounding == "daily-cents-half-even":
        metrics["cd"] = (rhe_div(r.nd, r.diy) * r.w).sum().cast(INT)
        metrics["cs"] = (rhe_div(r.ns, r.diy) * r.w).sum().cast(INT)
    else:
        metrics["sd"] = _wide(r.nd * r.w).sum().cast(WIDE)
        metrics["ss"] = _wide(r.ns * r.w).sum().cast(WIDE)
    return r.group_by(["period_id", "month_id"]).aggregate(**metrics)


def checked(pm: Table, cov: Table, months: Table) -> Table:
    """Mark each (period, month) whose NAV rows are not exactly one per required session.

    Required are the sessions k in [lo, hi] whose runs overlap the covered days. Equal count,
    min, max, sum and sum of squares of k leave no room for a duplicate hiding a gap short of
    three of each in a rare arrangement."""
    j1 = pm.join(cov, pm.period_id == cov.period_id)
    j = j1.join(months, j1.month_id == months.month_id)
    lo = ibis.greatest(j.p_k_lo, j.m_k_lo)
    hi = ibis.least(j.p_k_hi, j.m_k_hi)
    exp_days = ibis.least(j.p_end, j.m_end) - ibis.greatest(j.p_start, j.m_start)
    ok = (
        (j.n == hi - lo + 1)
        & (j.kmin == lo)
        & (j.kmax == hi)
        & (j.ksum * 2 == (lo + hi) * (hi - lo + 1))
        & (j.ksq * 6 == hi * (hi + 1) * (hi * 2 + 1) - (lo - 1) * lo * (lo * 2 - 1))
        & (j.days == exp_days)
    )
    return j.mutate(bad=_i(~ok))


def payables(pmc: Table, rounding: Rounding) -> Table:
    """One row per (plan, fund-class, month) from checked period-months.

    The registrant and names are those of the month's last coverage period (a rename within
    the month reports under the new name); `instruments` lists every instrument behind a rate."""
    g = pmc.group_by(["plan", "cov_fc", "month_id", "month", "due_date", "diy"])
    metrics: dict[str, Value] = {
        "registrant": pmc.registrant.argmax(pmc.p_start),
        "fund": pmc.fund.argmax(pmc.p_start),
        "share_class": pmc.share_class.argmax(pmc.p_start),
        "days": pmc.days.sum().cast(INT),
        "sna": pmc.sna.sum().cast(MONEY),
        "instruments": pmc.instrument.collect(distinct=True).sort().join("; "),
        "n_periods": pmc.count().cast(INT),
        "bad": pmc.bad.sum().cast(INT),
        "nav_max": pmc.nav_max.max().cast(MONEY),
        "nav_min": pmc.nav_min.min().cast(MONEY),
    }
    if rounding == "daily-cents-half-even":
        metrics["cd"] = pmc.cd.sum().cast(INT)
        metrics["cs"] = pmc.cs.sum().cast(INT)
    else:
        metrics["sd"] = pmc.sd.sum().cast(WIDE)
        metrics["ss"] = pmc.ss.sum().cast(WIDE)
    a = g.aggregate(**metrics)
    if rounding == "daily-cents-half-even":
        cd, cs = a.cd, a.cs
    else:
        cd = rhe_div(a.sd, a.diy, robust=True)
        cs = rhe_div(a.ss, a.diy, robust=True)
    fee_d = from_units(cd, 2)
    fee_s = from_units(cs, 2)
    return a.select(
        month=a.month,
        plan=a.plan,
        registrant=a.registrant,
        fund=a.fund,
        share_class=a.share_class,
        days=a.days,
        average_net_assets=from_units(rhe_div(_wide(a.sna * 100), a.days, robust=True), 2),
        fee_distribution=fee_d,
        fee_service=fee_s,
        fee=from_units(cd + cs, 2),
        due_date=a.due_date,
        instruments=a.instruments,
        fc_id=a.cov_fc,
        month_id=a.month_id,
        n_periods=a.n_periods,
        bad=a.bad,
        nav_max=a.nav_max,
        nav_min=a.nav_min,
    ).order_by(["month", "plan", "registrant", "fund", "share_class"])
