"""Benchmark: Spark (in-process, local[2]) against DuckDB for `payables` and `accrue` at 10M
fund-class-days (1,000 fund-classes x 10,000 days), and a smaller dealer-trails case.

    .venv/bin/python bench/spark.py [--fund-classes 1000] [--days 10000] [--dealers 40]
                                    [--trail-funds 40] [--master local[2]] [--dir DIR] [--cases payables,accrue,trails]

The NAV and the ledger come from bench/fees.py's generator (imported, cached in --dir). Every
run is a fresh process (Spark holds one context per process; a child's peak RSS is its own):
ledger -> coverage -> the API call on one engine. `accrue` writes the daily rows to Parquet.
Prints, per case and engine: the engine's start-up, the computation's wall time, NAV rows/s,
the ratio Spark / DuckDB, that both gave the same totals, and the load average around each run
(the machine is shared: read the ratio with the load beside it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from fees import START, generate  # bench/fees.py's data generator (one generator, not a copy)

TRAIL_START, TRAIL_END = date(2003, 9, 25), date(2004, 4, 1)


def _open(engine: str, master: str) -> tuple[Any, float]:
    from distplan.fees import Engine

    t0 = time.perf_counter()
    eng = Engine.open(engine, spark_master=master)
    if engine == "spark":
        eng.session.range(1).count()  # the JVM and the executors really up
    return eng, time.perf_counter() - t0


def _coverage(ledger_path: Path) -> list[Any]:
    from distplan import history
    from distplan.ledger import Ledger

    with Ledger.open(f"sqlite:///{ledger_path}") as ledger:
        return history.coverage(ledger.entries(), ledger.resolve_plan(None))


def run_fees(args: argparse.Namespace) -> dict[str, Any]:
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from distplan.fees import accrue, payables

    paths = generate(args.dir, args.fund_classes, args.days)
    cov = _coverage(paths["ledger"])
    end = START + timedelta(days=args.days)
    eng, started = _open(args.engine, args.master)
    t0 = time.perf_counter()
    if args.case == "payables":
        table = payables(cov, paths["nav"], START, end, engine=eng).table
        rows, total = table.num_rows, pc.sum(table["fee"]).as_py()
    else:
        out = args.dir / f"accrue-{args.engine}.parquet"
        result = accrue(cov, paths["nav"], START, end, out, engine=eng)
        rows = result.rows_written
        total = pc.sum(pq.read_table(out, columns=["accrual"])["accrual"]).as_py()
        out.unlink()
    seconds = time.perf_counter() - t0
    eng.close()
    return {"start": started, "seconds": seconds, "rows": rows, "total": str(total)}


def _positions(n_dealers: int, n_funds: int) -> Any:
    """Seeded positions: every dealer holds two lots of every fund on every session."""
    import pyarrow as pa

    from distplan.fees.positions import SCHEMA
    from distplan.periods import Period, nyse_sessions

    rnd = random.Random(11)
    rows = [
        {
            "date": day,
            "dealer": f"D{d:03d}",
            "fund": f"Fund {f:03d}",
            "share_class": "A",
            "purchase_month": lot,
            "cents": rnd.randrange(10**6, 10**10),
        }
        for day in nyse_sessions(Period(TRAIL_START, TRAIL_END))
        for d in range(n_dealers)
        for f in range(n_funds)
        for lot in (date(2002, 11, 1), date(2003, 6, 1))
    ]
    return pa.Table.from_pylist(rows, schema=SCHEMA)


def run_trails(args: argparse.Namespace) -> dict[str, Any]:
    from distplan.fees.agreements import Agreement, Dealer
    from distplan.fees.trails import trails
    from distplan.fees.trailterms import parse_period
    from distplan.model import CoveragePeriod

    table = _positions(args.dealers, args.trail_funds)
    dealers = [
        Dealer(
            f"D{d:03d}",
            f"Dealer {d}",
            (Agreement(TRAIL_START, None, None, Decimal("0.25"), "quarterly", Decimal(100), 12 * (d % 2)),),
        )
        for d in range(args.dealers)
    ]
    cov = [
        CoveragePeriod(
            "Plan", None, f"Fund {f:03d}", "A", date(2003, 1, 1), None, None, Decimal("0.25"), None, "x"
        )
        for f in range(args.trail_funds)
    ]
    frequency, period = parse_period("2004-Q1")
    eng, started = _open(args.engine, args.master)
    t0 = time.perf_counter()
    result = trails(eng, table, dealers, cov, frequency, period)
    seconds = time.perf_counter() - t0
    eng.close()
    total = sum((r["paid"] + r["carried_out"] + r["forfeited"] for r in result.rows), Decimal(0))
    return {"start": started, "seconds": seconds, "rows": table.num_rows, "total": str(total)}


def _child(args: argparse.Namespace, case: str, engine: str) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--phase", "child", "--case", case, "--engine", engine,
           "--fund-classes", str(args.fund_classes), "--days", str(args.days), "--dealers", str(args.dealers),
           "--trail-funds", str(args.trail_funds), "--master", args.master, "--dir", str(args.dir)]  # fmt: skip
    # The driver's heap: 10M rows pass through it on the way to the one output file's writer.
    env = {
        **os.environ,
        "SPARK_LOCAL_IP": "127.0.0.1",
        "PYSPARK_SUBMIT_ARGS": "--driver-memory 2g pyspark-shell",
    }
    load = os.getloadavg()[0]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit(f"{case} on {engine} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["load"] = (load, os.getloadavg()[0])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fund-classes", type=int, default=1_000)
    ap.add_argument("--days", type=int, default=10_000)
    ap.add_argument("--dealers", type=int, default=40)
    ap.add_argument("--trail-funds", type=int, default=40)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument(
        "--dir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "distplan-bench-fees"
    )
    ap.add_argument("--cases", default="payables,accrue,trails", help="which, comma-separated")
    ap.add_argument("--phase", choices=("all", "child"), default="all")
    ap.add_argument("--case", choices=("payables", "accrue", "trails"), default="payables")
    ap.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    args = ap.parse_args()
    if args.phase == "child":
        print(json.dumps(run_trails(args) if args.case == "trails" else run_fees(args)))
        return
    generate(args.dir, args.fund_classes, args.days)
    print(f"cores {os.cpu_count()}, load average before {os.getloadavg()[0]:.1f}; Spark master {args.master}")
    for case in args.cases.split(","):
        duck, spark = _child(args, case, "duckdb"), _child(args, case, "spark")
        unit = "position rows" if case == "trails" else "fund-class-days"
        if case != "trails":
            duck["rows"] = spark["rows"] = args.fund_classes * args.days
        for name, r in (("duckdb", duck), ("spark", spark)):
            print(
                f"{case:8} {name:6}: start {r['start']:5.1f} s, compute {r['seconds']:6.1f} s, "
                f"{r['rows'] / r['seconds']:>11,.0f} {unit}/s (load {r['load'][0]:.1f} -> {r['load'][1]:.1f})"
            )
        same = (
            "same totals"
            if duck["total"] == spark["total"]
            else f"TOTALS DIFFER {duck['total']} {spark['total']}"
        )
        print(f"{case:8} ratio spark / duckdb: {spark['seconds'] / duck['seconds']:.2f}x compute; {same}")


if __name__ == "__main__":
    main()
