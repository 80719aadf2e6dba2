"""The fee computation as Ibis expressions: the same expressions run on DuckDB and on Spark.

Cents. A day's accrual in cents is `net_assets * rate% / days_in_year` (the /100 of the
percentage and the x100 of the cents cancel). Each row carries that quotient exactly, as an
integer part `q` and a remainder `rem` over a divisor `m`: accrual = q + rem/m cents. Rounding
half-even is then `q + (2*rem > m or (2*rem == m and q odd))`, and a month's exact total is
(sum of q) + (sum of rem)/m, rounded once (monthly policy) — no division of money ever happens
in floating point.

Two arithmetic modes produce (q, rem, m); everything downstream is shared.

* "cents" (the fast path): net assets in whole cents `a` (int64) and rates in 1e-4 percent
  `R` (int64), so the accrual is a*R / m with m = days_in_year * 10**6, evaluated by integer
  long division in int64 (`idiv`). Neither engine has exact integer division in Ibis (`//`
  compiles to FLOOR(a / b) in floating point), so `idiv` divides `n - n % d`, a multiple of d,
  which is exact while n < 2**53. Bounds: a < 2**50 (net assets below $10 trillion), R <= 10**6.
  "small" is the same with one division instead of two, when every a*R < 2**53 (the caller
  knows the largest net assets and rate).
* "exact" (any decimal input): N = net_assets * rate as DECIMAL(38, 20), q = floor(N / diy) from
  a floating-point estimate corrected by exact decimal comparisons, rem = N - q*diy (a decimal).
  DECIMAL -> DOUBLE is slow on DuckDB, so this is used only when a NAV has sub-cent digits or a
  rate has more than four decimal places.

Shapes. `rows` joins NAV rows to calendar segments (runs of days using one struck NAV, see
`calendar.py`) and to coverage periods; `w` is the number of covered days in the row. Daily
output uses one-day segments (w = 1); payables aggregate month segments: the same sums, far
fewer rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import ibis
import ibis.expr.datatypes as dt
from ibis.expr.types import BooleanValue, IntegerValue, Table, Value

Rounding = Literal["daily-cents-half-even", "monthly-cents-half-even"]
ROUNDINGS: tuple[str, ...] = ("daily-cents-half-even", "monthly-cents-half-even")
Mode = Literal["cents", "small", "exact"]  # see the module docstring

MONEY = dt.Decimal(38, 10)
WIDE = dt.Decimal(38, 20)
CENTS = dt.Decimal(38, 2)
MICROS = dt.Decimal(38, 6)
INT = dt.int64
RATE_UNITS = 10_000  # rates in the cents mode: 1e-4 percent
CENTS_M = 100 * RATE_UNITS  # m = diy * CENTS_M in the cents mode


def _i(expr: BooleanValue | Value) -> IntegerValue:
    return expr.cast(INT)


def idiv(n: Value, d: Value) -> tuple[IntegerValue, IntegerValue]:
    """(n // d, n % d) for int64 0 <= n < 2**53, d > 0, exactly (see the module docstring)."""
    r = n % d
    return _i((n - r) / d), _i(r)


def idiv_big(n: Value, d: Value) -> tuple[IntegerValue, IntegerValue]:
    """(n // d, n % d) for int64 0 <= n < 2**62 and 0 < d < 2**10, exactly."""
    b = 1 << 20
    lo = n % b
    hi = _i((n - lo) / b)  # n - lo is a multiple of 2**20: exact in a double
    h1, h0 = idiv(hi, d)
    q2, r = idiv(h0 * b + lo, d)
    return _i(h1 * b + q2), r


def half_even(q: Value, rem: Value, m: Value) -> IntegerValue:
    """Round q + rem/m (0 <= rem < m) to an integer, ties to even."""
    twice = rem + rem
    return _i(q + _i((twice > m) | ((twice == m) & (q % 2 == 1))))


def _wide(expr: Value) -> Value:
    return expr.cast(WIDE)


def floor_div_dec(n: Value, d: Value) -> tuple[IntegerValue, Value]:
    """(floor(n / d), n - floor*d) for a decimal n >= 0 and an int64 d > 0, exactly: a float
    estimate, one exact correction round, then a +-1 fix by exact decimal comparisons."""
    nw = _wide(n)
    q0 = _i((nw.cast("float64") / d).floor())
    r0 = nw - _wide(q0 * d)
    q0 = q0 + _i((r0.cast("float64") / d).floor()) - 1
    q = q0 + _i(_wide((q0 + 1) * d) <= nw) + _i(_wide((q0 + 2) * d) <= nw)
    return _i(q), _wide(nw - _wide(q * d))


def from_units(units: Value, scale: int) -> Value:
    """int64 count of 10**-scale dollars -> DECIMAL(38, scale) dollars, exactly."""
    # DECIMAL(38, 0) x DECIMAL(38, scale): the engines' product has the target scale itself (a
    # DECIMAL(38, scale) x DECIMAL(38, scale) product has twice it, and Ibis drops the final
    # cast as a no-op: files written by the engine would say DECIMAL(38, 2 * scale)).
    target = dt.Decimal(38, scale)
    factor = ibis.literal(Decimal(1).scaleb(-scale), type=target)
    return (units.cast(dt.Decimal(38, 0)) * factor).cast(target)


# The completeness evidence of a NAV row is `sig` = 2**k, k = its session's index from the
# month's first (k <= 23, see `checked`), summed per period-month beside the row count.


def joined(nav: Table, seg: Table, navcov: Table) -> Table:
    """NAV rows x the coverage periods of their fund-class x the calendar segments using them.

    nav: fund, share_class, strike (session date the row stands for), nav_date, na, a (cents)
    seg: session, k, sig, seg_start, seg_end, day, month_id, diy, m (diy * CENTS_M)
    navcov: nav_fund, nav_class (names as in the NAV file) x period_id, cov_fc, plan,
         registrant, fund, share_class, p_start, p_end, p_k_lo, p_k_hi, rate_d, rate_s, r_d, r_s
         (rates in 1e-4 %, cents mode), instrument
    """
    nc = navcov.rename(cov_fund="fund", cov_class="share_class")
    j1 = nav.join(nc, (nav.fund == nc.nav_fund) & (nav.share_class == nc.nav_class))
    j = j1.join(seg, j1.strike == seg.session)
    j = j.mutate(w=ibis.least(j.seg_end, j.p_end) - ibis.greatest(j.seg_start, j.p_start))
    return j.filter(j.w > 0)


def rejoin(core: Table, seg: Table, cov: Table) -> Table:
    """Daily rows kept by the engine as (period_id, seg_start, nav_date, a | na), back to the
    columns `joined` gives: the period's names and rates, the day's calendar. The rows were
    joined and filtered (w > 0) before they were kept; a day segment is one day, so w = 1."""
    c = cov.rename(cov_fund="fund", cov_class="share_class")
    j = core.join(c, "period_id").join(seg, "seg_start")
    extra: dict[str, Value] = {"w": ibis.literal(1, type=INT)}
    if "na" not in core.columns:  # the cents modes keep whole cents only
        extra["na"] = from_units(j.a, 2).cast(MONEY)
    return j.mutate(**extra)


def accruals(j: Table, mode: Mode) -> Table:
    """Each component's exact daily accrual in cents as (q_*, rem_*) over `m`, on rows from
    `joined` or `rejoin`."""
    parts: dict[str, Value] = {}
    if mode == "small":
        for c, rate in (("d", j.r_d), ("s", j.r_s)):
            parts[f"q_{c}"], parts[f"rem_{c}"] = idiv(j.a * rate, j.m)
        return j.mutate(**parts)
    if mode != "exact":
        a1, a0 = idiv(j.a, j.m)
        for c, rate in (("d", j.r_d), ("s", j.r_s)):
            t1, t0 = idiv(a0 * rate, j.m)
            parts[f"q_{c}"] = _i(a1 * rate + t1)
            parts[f"rem_{c}"] = t0
        return j.mutate(**parts)
    qd, rd = floor_div_dec(j.na * j.rate_d, j.diy)
    qs, rs = floor_div_dec(j.na * j.rate_s, j.diy)
    return j.mutate(m=j.diy, q_d=qd, rem_d=rd, q_s=qs, rem_s=rs)  # the exact mode divides by diy


def rows(nav: Table, seg: Table, navcov: Table, mode: Mode) -> Table:
    """`joined` with the accruals: what payables aggregate and daily rows show."""
    return accruals(joined(nav, seg, navcov), mode)


def daily(rows_: Table, rounding: Rounding, mode: Mode) -> Table:
    """One row per covered calendar day (rows_ built from one-day segments)."""
    r = rows_
    if rounding == "daily-cents-half-even":
        ad = from_units(half_even(r.q_d, r.rem_d, r.m), 2)
        as_ = from_units(half_even(r.q_s, r.rem_s, r.m), 2)
        total = (ad + as_).cast(CENTS)
    else:
        # Full precision is kept for the month; the daily rows show it to 10**-6 dollars.
        shown = []
        for q, rem in ((r.q_d, r.rem_d), (r.q_s, r.rem_s)):
            if mode != "exact":
                u1, u0 = idiv(rem * 10_000, r.m)
            else:
                u1, u0 = floor_div_dec(_wide(rem * 10_000), r.m)
            shown.append(from_units(half_even(q * 10_000 + u1, u0, r.m), 6))
        ad, as_ = shown
        total = (ad + as_).cast(MICROS)
    return r.select(
        date=r.day,
        plan=r.plan,
        registrant=r.registrant,
        fund=r.cov_fund,
        share_class=r.cov_class,
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


def period_months(rows_: Table, rounding: Rounding, mode: Mode) -> Table:
    """Aggregate per (coverage period, month), with the evidence `checked` needs: how many NAV
    rows were used and which session indices (min, max, sum, sum of squares)."""
    r = rows_
    metrics: dict[str, Value] = {
        "days": _i(r.w.sum()),
        "sig": _i(r.sig.sum()),
        "n_rows": _i(r.count()),
    }
    if mode != "exact":
        metrics["sna_c"] = _i((r.a * r.w).sum())
    else:
        metrics["sna"] = (r.na * r.w).sum().cast(MONEY)
    if rounding == "daily-cents-half-even":
        metrics["cd"] = _i((half_even(r.q_d, r.rem_d, r.m) * r.w).sum())
        metrics["cs"] = _i((half_even(r.q_s, r.rem_s, r.m) * r.w).sum())
    else:
        for c in ("d", "s"):
            metrics[f"q_{c}"] = _i((r[f"q_{c}"] * r.w).sum())
            rem = r[f"rem_{c}"] * r.w
            metrics[f"rem_{c}"] = _i(rem.sum()) if mode != "exact" else _wide(rem).sum().cast(WIDE)
    return r.group_by(["period_id", "month_id"]).aggregate(**metrics)


def checked(pm: Table, cov: Table, months: Table, by: Literal["month", "day"] = "month") -> Table:
    """Mark each (period, month) whose NAV rows are not exactly one per required session.

    Required are the sessions k in [lo, hi] whose runs overlap the covered days: one row each.
    The proof is exact: the rows' sum of 2**k must be 2**lo + ... + 2**hi and their count
    hi - lo + 1. A sum of powers of two has at least as many terms as its binary digits, and
    exactly as many only when no power repeats (two equal powers could merge into one), so
    that count and sum admit no duplicate, hence no gap. The covered days must add up too.

    `by="day"`: the rows are daily rows (one-day segments), and k counts days from the month's
    first: exactly one row per covered day is the same as one NAV row per required session
    (a session's days all have its row, or all lack it, or all have it twice).
    """
    j1 = pm.join(cov, pm.period_id == cov.period_id)
    j = j1.join(months, j1.month_id == months.month_id)
    exp_days = ibis.least(j.p_end, j.m_end) - ibis.greatest(j.p_start, j.m_start)
    if by == "day":
        lo = ibis.greatest(j.p_start, j.m_start) - j.m_start
        hi = lo + exp_days - 1
    else:
        lo = ibis.greatest(j.p_k_lo, j.m_k_lo) - j.m_k_lo
        hi = ibis.least(j.p_k_hi, j.m_k_hi) - j.m_k_lo
    n = hi - lo + 1
    two = ibis.literal(2, type=INT)
    mask = _i(two ** (hi + 1)) - _i(two**lo)  # powers of two below 2**32: exact in a double
    ok = (j.n_rows == n) & (j.sig == mask) & (j.days == exp_days)
    return j.mutate(bad=_i(~ok))


def payables(
    pmc: Table, cov: Table, months: Table, rounding: Rounding, mode: Mode, *, single: bool = False
) -> Table:
    """One row per (fund-class, month) from checked period-months; money in int64 cents (the
    caller makes them Arrow decimals: cheaper there than as DECIMAL arithmetic here).

    Plan, registrant and names are those of the month's last coverage period (period ids
    ascend with start within a fund-class; a rename within the month reports under the new
    name). `instruments` is the last period's; `first`..`last` are the month's period ids, from
    which the caller lists every instrument when there are several (a list aggregate per row
    would cost more than the rest of this step).

    `single`: the caller knows no fund-class has two coverage periods in one month, so the
    period-months are the payables already (no second aggregation; `checked` joined the names).
    """
    if single:
        a = pmc.mutate(first=pmc.period_id, last=pmc.period_id, n_periods=ibis.literal(1, type=INT))
    else:
        a = _by_fund_class(pmc, cov, months, rounding, mode)
    return _payable_rows(a, rounding, mode)


def _by_fund_class(pmc: Table, cov: Table, months: Table, rounding: Rounding, mode: Mode) -> Table:
    g = pmc.group_by(["cov_fc", "month_id"])
    metrics: dict[str, Value] = {
        "first": _i(pmc.period_id.min()),
        "last": _i(pmc.period_id.max()),
        "days": _i(pmc.days.sum()),
        "n_periods": _i(pmc.count()),
        "bad": _i(pmc.bad.sum()),
    }
    if mode != "exact":
        metrics["sna_c"] = _i(pmc.sna_c.sum())
    else:
        metrics["sna"] = pmc.sna.sum().cast(MONEY)
    if rounding == "daily-cents-half-even":
        metrics["cd"] = _i(pmc.cd.sum())
        metrics["cs"] = _i(pmc.cs.sum())
    else:
        for c in ("d", "s"):
            metrics[f"q_{c}"] = _i(pmc[f"q_{c}"].sum())
            rem = pmc[f"rem_{c}"].sum()
            metrics[f"rem_{c}"] = _i(rem) if mode != "exact" else rem.cast(WIDE)
    agg = g.aggregate(**metrics)
    names = cov.select("period_id", "plan", "registrant", "fund", "share_class", "instrument")
    j1 = agg.join(names, agg["last"] == names.period_id)
    return j1.join(months.select("month_id", "month", "due_date", "diy"), j1.month_id == months.month_id)


def _payable_rows(a: Table, rounding: Rounding, mode: Mode) -> Table:
    m = a.diy * CENTS_M if mode != "exact" else a.diy
    if rounding == "daily-cents-half-even":
        cd, cs = a.cd, a.cs
    else:
        fees = []
        for c in ("d", "s"):
            if mode != "exact":
                extra, left = idiv(a[f"rem_{c}"], m)
            else:
                extra, left = floor_div_dec(a[f"rem_{c}"], m)
            fees.append(half_even(a[f"q_{c}"] + extra, left, m))
        cd, cs = fees
    if mode != "exact":
        aq, ar = idiv_big(a.sna_c, a.days)
    else:
        aq, ar = floor_div_dec(_wide(a.sna * 100), a.days)
    return a.select(
        month=a.month,
        plan=a.plan,
        registrant=a.registrant,
        fund=a.fund,
        share_class=a.share_class,
        days=a.days,
        average_net_assets=half_even(aq, ar, a.days),
        fee_distribution=cd,
        fee_service=cs,
        fee=_i(cd + cs),
        due_date=a.due_date,
        instruments=a.instrument,
        fc_id=a.cov_fc,
        month_id=a.month_id,
        n_periods=a.n_periods,
        bad=a.bad,
        first=a["first"],
        last=a["last"],
    )
