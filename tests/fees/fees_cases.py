"""Random fee cases for the property tests: schedules with rate changes and gaps, NAV series
spelt differently from the plan, amounts that tie at half a cent or have sub-cent digits."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pyarrow as pa
from hypothesis import strategies as st

from distplan.fees import Coverage
from distplan.periods import Period, nyse_sessions

FUNDS = (("Alpha Growth Fund", "A"), ("Alpha Growth Fund", "C"), ("Beta Income Fund", "Investor"))
# The NAV file spells names differently: matching folds case and punctuation.
NAV_SPELLING = {"Alpha Growth Fund": "ALPHA GROWTH FUND", "Beta Income Fund": "Beta Income Fund."}
RATES = [Decimal(x) for x in ("0", "0.25", "0.75", "0.10", "1.00", "0.0625", "0.35")]
# Amounts whose accruals land on half cents at 0.25% / 365 (ties exercise half-even).
TIES = [Decimal(x) for x in ("730.00", "2190.00", "3650.00", "732.00", "1.46")]


@st.composite
def cases(draw: st.DrawFn) -> dict[str, object]:
    start = date(2019, 11, 1) + timedelta(days=draw(st.integers(0, 100)))
    end = start + timedelta(days=draw(st.integers(1, 70)))
    exact_rate = draw(st.booleans()) and draw(st.booleans())
    coverage: list[Coverage] = []
    for fund, cls in draw(st.lists(st.sampled_from(FUNDS), min_size=1, max_size=3, unique=True)):
        cuts = sorted(draw(st.lists(st.integers(-10, 80), min_size=1, max_size=4, unique=True)))
        bounds = [start + timedelta(days=c) for c in cuts] + [None]
        for i, lo in enumerate(bounds[:-1]):
            hi = bounds[i + 1]
            assert lo is not None
            if i and draw(st.booleans()) and hi is not None:
                lo = lo + timedelta(days=draw(st.integers(0, (hi - lo).days - 1)))  # a gap before
            rd, rs = draw(st.sampled_from(RATES)), draw(st.sampled_from(RATES))
            if exact_rate and i == 0:
                rs = Decimal("0.12345")
            agg_only = draw(st.integers(0, 9)) == 0
            coverage.append(
                Coverage(
                    "Plan",
                    "Trust",
                    fund,
                    cls,
                    lo,
                    hi,
                    None if agg_only else rd,
                    None if agg_only else rs,
                    rd + rs,
                    f"Amendment {len(coverage) + 1}",
                )
            )
    amounts = st.one_of(
        st.sampled_from(TIES),
        st.integers(0, 10**12).map(lambda c: Decimal(c).scaleb(-2)),
        st.integers(0, 10**9).map(lambda c: Decimal(c).scaleb(-5)),  # sub-cent: the exact mode
    )
    sub_cent_ok = draw(st.booleans())
    drop = draw(st.integers(0, 3)) == 0
    nav: list[tuple[str, str, date, Decimal]] = []
    for fund, cls in {(c.fund, c.share_class) for c in coverage}:
        for day in nyse_sessions(Period(start - timedelta(days=15), end)):
            if drop and draw(st.integers(0, 6)) == 0:
                continue
            value = draw(amounts)
            if not sub_cent_ok:
                value = value.quantize(Decimal("0.01"))
            nav.append((NAV_SPELLING[fund], cls or "", day, value))
    return {
        "start": start,
        "end": end,
        "coverage": coverage,
        "nav": nav,
        "rounding": draw(st.sampled_from(["daily-cents-half-even", "monthly-cents-half-even"])),
        "carry": draw(st.booleans()),
        "force_exact": draw(st.booleans()),
    }


def nav_table(rows: list[tuple[str, str, date, Decimal]]) -> pa.Table:
    return pa.table(
        {
            "fund": pa.array([r[0] for r in rows], pa.string()),
            "share_class": pa.array([r[1] for r in rows], pa.string()),
            "date": pa.array([r[2] for r in rows], pa.date32()),
            "net_assets": pa.array([r[3] for r in rows], pa.decimal128(38, 10)),
        }
    )
