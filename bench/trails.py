"""Benchmark (small): dealer trails for one quarter on DuckDB, from generated positions.

    .venv/bin/python bench/trails.py [--dealers 50] [--fund-classes 50] [--months 4] [--repeat 2]

Generates (seeded) positions for every NYSE session of 2003-10-01..2004-03-31 (the carries
start at the agreements' first period, 2003-Q4, so two quarters are computed), one agreement
per dealer (quarterly, 0.25%, prepaid 12 months for odd dealers), and times `trails` for
2004-Q1 (the engine part and the settlement). Prints position rows, wall time, rows/s and the
peak RSS. Not yet: the 100M-row case, the hand-written-query comparison, Spark.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa

from distplan.fees import Engine
from distplan.fees.agreements import Agreement, Dealer
from distplan.fees.trails import trails
from distplan.fees.trailterms import parse_period
from distplan.model import CoveragePeriod
from distplan.periods import Period, nyse_sessions


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dealers", type=int, default=50)
    ap.add_argument("--fund-classes", type=int, default=50)
    ap.add_argument("--months", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    rnd = random.Random(7)
    sessions = nyse_sessions(Period(date(2003, 9, 25), date(2004, 4, 1)))
    funds = [f"Fund {i:04d}" for i in range(args.fund_classes)]
    months = [date(2003, m, 1) for m in range(1, 1 + args.months)]
    n = len(sessions) * args.dealers * len(funds) * len(months)
    cols = {
        "date": [s for s in sessions for _ in range(n // len(sessions))],
        "dealer": [f"D{d:04d}" for _ in sessions for d in range(args.dealers) for _ in funds for _ in months],
        "fund": [f for _ in sessions for _ in range(args.dealers) for f in funds for _ in months],
        "share_class": ["A"] * n,
        "purchase_month": [m for _ in sessions for _ in range(args.dealers) for _ in funds for m in months],
        "cents": [rnd.randrange(1, 10**9) for _ in range(n)],
    }
    table = pa.table(cols).cast(
        pa.schema(
            [
                ("date", pa.date32()),
                ("dealer", pa.string()),
                ("fund", pa.string()),
                ("share_class", pa.string()),
                ("purchase_month", pa.date32()),
                ("cents", pa.int64()),
            ]
        )
    )
    dealers = [
        Dealer(
            f"D{d:04d}",
            f"Dealer {d}",
            (
                Agreement(
                    date(2003, 10, 1), None, None, Decimal("0.25"), "quarterly", Decimal(100), 12 * (d % 2)
                ),
            ),
        )
        for d in range(args.dealers)
    ]
    coverage = [
        CoveragePeriod("Plan", None, f, "A", date(2003, 1, 1), None, None, Decimal("0.25"), None, "x")
        for f in funds
    ]
    frequency, period = parse_period("2004-Q1")
    engine = Engine.duckdb()
    for _ in range(args.repeat):
        t = time.perf_counter()
        result = trails(engine, table, dealers, coverage, frequency, period)
        wall = time.perf_counter() - t
        print(f"{n:,} position rows, {len(result.rows):,} trail rows: {wall:.2f} s, {n / wall:,.0f} rows/s")
    print(
        f"hand-written DuckDB query (the daily accrual only): {_hand(table, dealers, coverage, period):.2f} s"
    )
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def _hand(table: pa.Table, dealers: list[Dealer], coverage: list[CoveragePeriod], period: Any) -> float:
    """The same daily accrual as one SQL query (HUGEINT arithmetic) over the same inputs; checks
    it equals the engine's per-period sums and returns its wall time."""
    import duckdb

    from distplan.fees import trails as T
    from distplan.fees.calendar import Calendar
    from distplan.fees.trailterms import days_table, last_sessions, periods_between, terms_table

    periods = periods_between("quarterly", date(2003, 10, 1), period.end)
    cal = Calendar.build(periods[0].start, periods[-1].end)
    pos, names = T._keyed(table, coverage, {d.id for d in dealers}, [])
    days = days_table(cal, periods)
    terms = terms_table(
        dealers,
        {(d, T.FundClassKey(f, c)) for d, f, c in names},
        coverage,
        cal,
        periods[0].start,
        periods[-1].end,
    )
    con = duckdb.connect()
    con.register("p", pos)
    con.register("d", days)
    con.register("t", terms)
    sql = """
      WITH daily AS (
        SELECT p.dealer, p.fk, p.ck, d.ord, d.period_id, d.m, t.R, CAST(SUM(p.cents) AS HUGEINT) AS e
        FROM p JOIN d ON p.date = d.session
        JOIN t ON p.dealer = t.dealer AND p.fk = t.fk AND p.ck = t.ck AND t.lo <= d.ord AND d.ord < t.hi
        WHERE p.pm + t.P <= d.month
        GROUP BY ALL)
      SELECT dealer, fk, ck, period_id,
        SUM(e * R // m + CASE WHEN 2 * (e * R % m) > m OR (2 * (e * R % m) = m AND (e * R // m) % 2 = 1)
                              THEN 1 ELSE 0 END)::BIGINT AS accrued
      FROM daily GROUP BY ALL ORDER BY ALL"""
    t = time.perf_counter()
    hand = con.sql(sql).to_arrow_table()
    wall = time.perf_counter() - t
    daily, _ = T._expressions(pos, days, terms, last_sessions(cal, periods))
    engine = Engine.duckdb()
    mine = engine.to_arrow(
        daily.select("dealer", "fk", "ck", "period_id", "accrued").order_by(
            ["dealer", "fk", "ck", "period_id"]
        )
    )
    differ = sum(a != b for a, b in zip(hand.to_pylist(), mine.to_pylist(), strict=True))
    print(f"rows differing between the engine and the hand-written query: {differ} of {hand.num_rows}")
    return wall


if __name__ == "__main__":
    main()
