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
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
