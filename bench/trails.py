"""Benchmark: dealer trails on DuckDB at scale, against one hand-written DuckDB query.

    .venv/bin/python bench/trails.py                    # 2,000 dealers: ~100M position-days
    .venv/bin/python bench/trails.py --dealers 100      # ~5M, a minute
    [--fund-classes 50] [--months 4] [--cache /tmp/distplan-bench-trails] [--memory 2GB]
    [--steps scan,trails,trails-unchecked,hand] [--rounds 3]

Positions (seeded, deterministic) for every NYSE session of 2004 (252), dealers x fund-classes
x purchase months rows per session, are generated once by DuckDB into a Parquet file in the
cache folder and reused. One agreement per dealer from 2004-01-01 (quarterly, 0.25%, a $100
minimum, prepaid 12 months for odd dealers); `trails` for 2004-Q4 computes every quarter of 2004
(the carries), so every position-day is used.

Each measured step runs in a child process of its own, so its peak RSS (ru_maxrss) is its own:
1. `scan`: `positionscan.scan_positions`, the engine-side checks of the file (one grouping
   by name with the row checks, one per dealer, fund, class and day for repeated keys);
2. `trails`: `trails()` end to end on the scanned file (name folding, the daily accrual, dealer
   of record, settlement), with the checks of 1 inside it as the CLI runs them, and without;
   `trails-spark` (not in the default steps): as `trails`, on Spark (`--spark-master`, default
   local[2]; its CPU time and peak RSS are the Python driver's only, not the JVM's; the
   engine's start-up is printed apart, and not in the wall time);
3. `hand`: one hand-written DuckDB query doing the same daily accrual (HUGEINT arithmetic, the
   same small day and terms tables), no checks, no dealer of record, no settlement.
The Q4 accrual of every dealer and fund-class is compared between 2 and 3 (must be 0 differing).
The machine's load average (1, 5, 15 min) is printed before each step. `--rounds N` runs the
steps N times, alternating, and prints min and median wall and CPU time (all the process's
threads) per step and their ratios to the hand query: on a shared machine CPU time moves less
with the load than wall time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

YEAR = (date(2004, 1, 1), date(2005, 1, 1))


def _path(a: argparse.Namespace) -> Path:
    return Path(a.cache) / f"positions-{a.dealers}x{a.fund_classes}x{a.months}.parquet"


def generate(a: argparse.Namespace) -> None:
    import duckdb

    from distplan.periods import Period, nyse_sessions

    out = _path(a)
    if out.is_file():
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    sessions = [s for s in nyse_sessions(Period(date(2003, 12, 20), YEAR[1])) if s >= date(2003, 12, 31)]
    con = duckdb.connect(config={"memory_limit": a.memory, "preserve_insertion_order": False})
    con.execute("CREATE TABLE s AS SELECT UNNEST(?::DATE[]) AS date", [sessions])
    tmp = out.with_suffix(".tmp")
    # net assets: a seeded hash of the row's key, $0.01 to $10,000,000.00
    con.execute(
        f"""COPY (
          SELECT s.date, printf('D%04d', d.i) AS dealer, printf('Fund %04d', f.i) AS fund, 'A' AS share_class,
                 make_date(2003, m.i + 1, 1) AS purchase_month,
                 CAST((hash(d.i, f.i, m.i, s.date, 7) % 1000000000 + 1) / 100 AS DECIMAL(15, 2)) AS net_assets
          FROM s, range({a.dealers}) d(i), range({a.fund_classes}) f(i), range({a.months}) m(i)
        ) TO '{tmp}' (FORMAT PARQUET, ROW_GROUP_SIZE 1000000)"""
    )
    tmp.rename(out)


def _setup(a: argparse.Namespace) -> tuple[list, list]:
    from distplan.fees.agreements import Agreement, Dealer
    from distplan.model import CoveragePeriod

    dealers = [
        Dealer(
            f"D{d:04d}",
            f"Dealer {d}",
            (Agreement(YEAR[0], None, None, Decimal("0.25"), "quarterly", Decimal(100), 12 * (d % 2)),),
        )
        for d in range(a.dealers)
    ]
    coverage = [
        CoveragePeriod(
            "Plan", None, f"Fund {i:04d}", "A", date(2003, 1, 1), None, None, Decimal("0.25"), None, "x"
        )
        for i in range(a.fund_classes)
    ]
    return dealers, coverage


def step(a: argparse.Namespace) -> dict[str, object]:
    from distplan.fees import Engine
    from distplan.fees.positionscan import scan_positions
    from distplan.fees.trails import trails
    from distplan.fees.trailterms import parse_period

    dealers, coverage = _setup(a)
    t, cpu = time.perf_counter(), time.process_time()
    spark = a.step == "trails-spark"
    engine = Engine.spark(a.spark_master) if spark else Engine.duckdb(memory_limit=a.memory)
    started = time.perf_counter() - t
    t, cpu = time.perf_counter(), time.process_time()
    result: dict[str, object] = {"startup": started}
    if a.step == "scan":
        scan_positions(engine, _path(a))
    elif a.step in ("trails", "trails-unchecked", "trails-spark"):
        checked = a.step != "trails-unchecked"
        positions = scan_positions(engine, _path(a)) if checked else _unchecked(engine, a)
        frequency, period = parse_period("2004-Q4")
        rows = trails(engine, positions, dealers, coverage, frequency, period).rows
        result["q4"] = {f"{r['dealer']}|{r['fund']}": int(r["accrued"] * 100) for r in rows}
    else:
        result["q4"] = _hand(engine, a, dealers, coverage)
    result["wall"] = time.perf_counter() - t
    result["cpu"] = time.process_time() - cpu  # every DuckDB thread's
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _unchecked(engine: object, a: argparse.Namespace) -> object:
    """The file as the engine reads it, cast as `scan_positions` casts it, without its checks."""
    raw = engine.read_parquet(_path(a))  # type: ignore[attr-defined]
    return raw.mutate(cents=(raw.net_assets * 100).cast("int64")).drop("net_assets")


def _hand(engine: object, a: argparse.Namespace, dealers: list, coverage: list) -> dict[str, int]:
    """The daily trail accrual as one SQL query over the same Parquet file and small tables."""
    from distplan.fees.calendar import Calendar
    from distplan.fees.trailterms import days_table, periods_between, terms_table
    from distplan.model import FundClassKey

    periods = periods_between("quarterly", *YEAR)
    cal = Calendar.build(*YEAR)
    pairs = {(d.id, FundClassKey.of(c.fund, c.share_class)) for d in dealers for c in coverage}
    import pyarrow as pa

    keys = pa.table(
        {
            "dealer": [d.id for d in dealers for _ in coverage],
            "fund": [c.fund for _ in dealers for c in coverage],
            "share_class": ["A"] * (len(dealers) * len(coverage)),
            "fk": [FundClassKey.of(c.fund, "A").fund for _ in dealers for c in coverage],
            "ck": [FundClassKey.of(c.fund, "A").share_class for _ in dealers for c in coverage],
        }
    )
    con = engine.con.con  # type: ignore[attr-defined]  # the DuckDB connection under ibis
    con.register("k", keys)
    con.register("d", days_table(cal, periods))
    con.register("t", terms_table(dealers, pairs, coverage, cal, *YEAR))
    sql = f"""
      WITH p AS (
        SELECT x.date, k.dealer, k.fk, k.ck, year(x.purchase_month) * 12 + month(x.purchase_month) - 1 AS pm,
               CAST(x.net_assets * 100 AS BIGINT) AS cents
        FROM read_parquet('{_path(a)}') x JOIN k USING (dealer, fund, share_class)),
      daily AS (
        SELECT p.dealer, p.fk, p.ck, d.ord, d.period_id, d.m, t.R, CAST(SUM(p.cents) AS HUGEINT) AS e
        FROM p JOIN d ON p.date = d.session
        JOIN t ON p.dealer = t.dealer AND p.fk = t.fk AND p.ck = t.ck AND t.lo <= d.ord AND d.ord < t.hi
        WHERE p.pm + t.P <= d.month
        GROUP BY ALL)
      SELECT dealer, fk, period_id, SUM(e * R // m + CASE WHEN 2 * (e * R % m) > m OR (2 * (e * R % m) = m AND (e * R // m) % 2 = 1)
                                  THEN 1 ELSE 0 END)::BIGINT AS accrued
      FROM daily GROUP BY ALL"""  # every quarter (trails needs them all for the carries)
    rows = con.sql(sql).fetchall()
    fund = {FundClassKey.of(c.fund, "A").fund: c.fund for c in coverage}
    return {f"{d}|{fund[fk]}": int(c) for d, fk, pid, c in rows if pid == 3}


def _compare(results: dict[str, list[dict]]) -> None:
    """The Q4 accruals of each trails step against the hand query's (first runs), once."""
    hand = results.get("hand")
    for name in ("trails", "trails-unchecked", "trails-spark"):
        if not hand or not results.get(name) or results[name][0].get("compared"):
            continue
        got, want = results[name][0]["q4"], hand[0]["q4"]
        differ = sum(got.get(k) != v for k, v in want.items()) + len(set(got) - set(want))
        results[name][0]["compared"] = True
        print(f"  {name}: Q4 accruals differing from the hand query's: {differ} of {len(want)}", flush=True)


def _summary(results: dict[str, list[dict]]) -> None:
    hand = results.get("hand")
    for name, runs in results.items():
        walls, cpus = sorted(r["wall"] for r in runs), sorted(r["cpu"] for r in runs)
        line = (
            f"{name:17s} {len(runs)} run(s): wall min {walls[0]:.1f} s, median {statistics.median(walls):.1f} s; "
            f"CPU min {cpus[0]:.1f} s, median {statistics.median(cpus):.1f} s; "
            f"peak RSS max {max(r['rss_mb'] for r in runs):.0f} MB"
        )
        if hand and name != "hand":
            hw, hc = sorted(r["wall"] for r in hand), sorted(r["cpu"] for r in hand)
            line += (
                f"; vs hand: wall {walls[0] / hw[0]:.2f}x (min) {statistics.median(walls) / statistics.median(hw):.2f}x"
                f" (median), CPU {cpus[0] / hc[0]:.2f}x (min) {statistics.median(cpus) / statistics.median(hc):.2f}x (median)"
            )
        print(line, flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dealers", type=int, default=2000)
    ap.add_argument("--fund-classes", type=int, default=50)
    ap.add_argument("--months", type=int, default=4)
    ap.add_argument("--cache", default="/tmp/distplan-bench-trails")
    ap.add_argument("--memory", default="2GB", help="DuckDB's memory limit (it spills beyond)")
    ap.add_argument("--steps", default="scan,trails,trails-unchecked,hand")
    ap.add_argument("--rounds", type=int, default=1, help="run the steps this many times, alternating")
    ap.add_argument("--spark-master", default="local[2]", help="for the step trails-spark")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.step:
        print(json.dumps(step(a) if a.step != "generate" else (generate(a) or {})))
        return
    base = [sys.executable, __file__, *sys.argv[1:]]
    print(f"load {_load()}: generating {_path(a)} (once; reused)", flush=True)
    t = time.perf_counter()
    subprocess.run([*base, "--step", "generate"], check=True, stdout=subprocess.DEVNULL)
    import pyarrow.parquet as pq

    n = pq.ParquetFile(_path(a)).metadata.num_rows
    print(f"{n:,} position rows (position-days) ready in {time.perf_counter() - t:.0f} s", flush=True)
    results: dict[str, list[dict]] = {}
    for round_no in range(1, a.rounds + 1):
        for name in a.steps.split(","):
            load = _load()
            done = subprocess.run([*base, "--step", name], check=True, capture_output=True, text=True)
            r = json.loads(done.stdout.strip().splitlines()[-1])
            results.setdefault(name, []).append(r)
            print(
                f"[{round_no}] {name:17s} {r['wall']:7.1f} s (CPU {r['cpu']:6.1f} s)  {n / r['wall']:12,.0f} rows/s  "
                f"peak RSS {r['rss_mb']:6.0f} MB  (load before {load}; engine start-up {r['startup']:.1f} s)",
                flush=True,
            )
            _compare(results)  # after every step: a run stopped early still reports what it has
    _summary(results)
    print(f"load after {_load()}")


def _load() -> str:
    return "/".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
