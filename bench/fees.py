"""Benchmark: `accrue` and `payables` for N fund-classes x D calendar days, distplan against one
hand-written exact DuckDB query computing the same result, in the same run.

    .venv/bin/python bench/fees.py [--size 1000x10000] [--size 10000x10000] [--runs 3]
                                   [--commands accrue,payables] [--dir DIR] [--memory 2GB]

1. Generates (once per size, cached in --dir) a Schedule A of N fund-classes as instrument JSON,
   records it in a SQLite ledger, and writes NAV for every NYSE session as Parquet with DuckDB.
2. Each run is a fresh process, distplan and the hand-written query alternating (the machine is
   shared): ledger -> coverage -> `distplan.fees.accrue` (daily rows to Parquet) or
   `distplan.fees.payables` (Arrow), against one DuckDB query over the same calendar and
   coverage tables (native integer arithmetic, half-even by hand): COPY of the daily rows in
   distplan's order, or the monthly aggregate. Both have the same DuckDB memory limit and spill
   to a temp directory.
3. The results are compared (accrue: row count, sums and an order-sensitive hash of every row
   of the two files; payables: every row, to the cent).

Prints per size and command: wall and CPU seconds (min / median over the runs), peak RSS,
fund-class-days per second, the ratio distplan / hand-written, distplan's own phases (where its
time goes), and the machine's load average (os.getloadavg) before and after.
Targets (issue 10, 2 cores): ratio <= 1.2 at 10M and 100M; peak RSS <= 4 GB at 100M.
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
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

START = date(1996, 1, 1)
CLASSES = ("A", "B", "C", "Investor")
TARGET_RATIO = 1.2
TARGET_PEAK_MB = 4096


def _paths(root: Path, n_fc: int, n_days: int) -> dict[str, Path]:
    d = root / f"fc{n_fc}-d{n_days}"
    return {
        "dir": d,
        "schedule": d / "schedule.json",
        "ledger": d / "ledger.db",
        "nav": d / "nav.parquet",
        "done": d / "done",
    }


def _schedule(n_fc: int) -> dict[str, object]:
    rows = []
    for i in range(n_fc):
        cls = CLASSES[i % len(CLASSES)]
        dist = {"A": "0.00", "B": "0.75", "C": "0.75", "Investor": "0.00"}[cls]
        rows.append(
            {
                "registrant": f"Bench Trust {i // 400:03d}",
                "fund": f"Bench Fund {i // len(CLASSES):05d}",
                "share_class": cls,
                "distribution_fee": dist,
                "service_fee": "0.25",
                "aggregate_fee": None,
            }
        )
    return {
        "source": {"path": "bench-schedule.json", "sha256": ""},
        "kind": "schedule",
        "title": "Schedule A to the Bench Master Distribution Plan",
        "amendment_number": None,
        "plan": {"title": "Bench Master Distribution Plan", "share_classes": list(CLASSES), "dated": None},
        "effective_date": START.isoformat(),
        "operations": [],
        "schedule": {"label": "Schedule A", "replaces_entirely": True, "rows": rows},
        "signatories": [],
        "diagnostics": [],
    }


def generate(root: Path, n_fc: int, n_days: int) -> dict[str, Path]:
    import duckdb
    import pyarrow as pa

    from distplan.ledger import Ledger
    from distplan.model import instrument_from_json
    from distplan.periods import Period, nyse_sessions

    p = _paths(root, n_fc, n_days)
    if p["done"].exists():
        return p
    p["dir"].mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    data = _schedule(n_fc)
    p["schedule"].write_text(json.dumps(data))
    p["ledger"].unlink(missing_ok=True)
    with Ledger.open(f"sqlite:///{p['ledger']}") as ledger:
        ledger.record(
            instrument_from_json(data, where=str(p["schedule"])),
            p["schedule"].read_text(),
            recorded_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
    sessions = nyse_sessions(Period(START - timedelta(days=15), START + timedelta(days=n_days)))
    con = duckdb.connect()
    con.execute("SET memory_limit = '4GB'")
    rows = data["schedule"]["rows"]  # type: ignore[index]
    funds = pa.table(
        {
            "id": list(range(n_fc)),
            "fund": [r["fund"] for r in rows],
            "share_class": [r["share_class"] for r in rows],
        }
    )
    days = pa.table({"k": list(range(len(sessions))), "date": pa.array(sessions, pa.date32())})
    con.register("funds", funds)
    con.register("days", days)
    # Net assets: a per-class level times a slow deterministic wave plus daily noise, in cents.
    con.execute(
        f"""
        COPY (
          SELECT f.fund, f.share_class, d.date,
                 CAST((10000000000 + (f.id % 97) * 300000000
                       + ((hash(f.id, d.k) % 200000000)::BIGINT)) / 100 AS DECIMAL(18, 2)) AS net_assets
          FROM funds f CROSS JOIN days d
        ) TO '{p["nav"]}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)
        """
    )
    p["done"].write_text("ok")
    print(
        f"generated {n_fc} fund-classes x {len(sessions)} sessions in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )
    return p


def _cpu() -> float:
    """CPU seconds of this process (all threads): steadier than wall time on a shared machine."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _coverage(p: dict[str, Path]) -> list:  # type: ignore[type-arg]
    from distplan import history
    from distplan.ledger import Ledger

    with Ledger.open(f"sqlite:///{p['ledger']}") as ledger:
        return history.coverage(ledger.entries(), ledger.resolve_plan(None))


def run_distplan(p: dict[str, Path], n_days: int, command: str, out: Path) -> dict[str, object]:
    import pyarrow.parquet as pq

    from distplan.fees import accrue, payables

    phases: list[tuple[str, float]] = []
    c0, t0 = _cpu(), time.perf_counter()
    cov = _coverage(p)
    phases.append(("ledger -> coverage", time.perf_counter() - t0))
    mark = [time.perf_counter(), "set-up (engine, calendar, coverage)"]

    def progress(text: str) -> None:
        now = time.perf_counter()
        phases.append((str(mark[1]), now - float(mark[0])))
        mark[:] = [now, text]

    end = START + timedelta(days=n_days)
    if command == "accrue":
        result = accrue(cov, p["nav"], START, end, out, progress=progress)
        rows = result.rows_written
    else:
        result = payables(cov, p["nav"], START, end, progress=progress)
        rows = int(sum(result.table["days"].to_pylist()))
    progress("end")
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    if command == "payables":
        pq.write_table(result.table.select(["month", "fund", "share_class", "days", "fee"]), out)
    return {"seconds": wall, "cpu": cpu, "peak_mb": _peak_mb(), "rows": rows, "phases": phases}


# The daily rows as distplan writes them, in its order: integer cents (a = net assets in cents,
# rates in 1e-4 %, m = days-in-year x 1e6), each component rounded half-even by hand.
HAND_ACCRUE = """
COPY (
  WITH x AS (
    SELECT d.day, c.plan, c.registrant, c.fund, c.share_class, v.date AS nav_date,
           CAST(v.net_assets AS DECIMAL(38, 10)) AS net_assets, c.rate_d, c.rate_s, d.diy,
           CAST(v.net_assets * 100 AS BIGINT) * c.rd AS nd, CAST(v.net_assets * 100 AS BIGINT) * c.rs AS ns,
           d.diy * 1000000 AS m, c.instrument
    FROM read_parquet('{nav}') v
    JOIN cov c ON v.fund = c.fund AND v.share_class = c.share_class
    JOIN days d ON v.date = d.session
    WHERE d.day >= c.p_start AND d.day < c.p_end
  ), y AS (
    SELECT *,
      nd // m + CASE WHEN 2 * (nd % m) > m OR (2 * (nd % m) = m AND (nd // m) % 2 = 1) THEN 1 ELSE 0 END AS cd,
      ns // m + CASE WHEN 2 * (ns % m) > m OR (2 * (ns % m) = m AND (ns // m) % 2 = 1) THEN 1 ELSE 0 END AS cs
    FROM x
  )
  SELECT day AS date, plan, registrant, fund, share_class, nav_date, net_assets,
         rate_d AS rate_distribution, rate_s AS rate_service, diy AS days_in_year,
         CAST(cd * 0.01 AS DECIMAL(38, 2)) AS accrual_distribution,
         CAST(cs * 0.01 AS DECIMAL(38, 2)) AS accrual_service,
         CAST((cd + cs) * 0.01 AS DECIMAL(38, 2)) AS accrual, instrument
  FROM y ORDER BY fund, share_class, date
) TO '{out}' (FORMAT parquet)
"""

HAND_PAYABLES = """
WITH n AS (
  SELECT c.period_id, c.rd, c.rs, s.month, s.diy, CAST(v.net_assets * 100 AS BIGINT) AS a,
         LEAST(s.seg_end, c.o_end) - GREATEST(s.seg_start, c.o_start) AS w
  FROM read_parquet('{nav}') v
  JOIN cov c ON v.fund = c.fund AND v.share_class = c.share_class
  JOIN seg s ON v.date = s.session
  WHERE v.date >= DATE '{lo}' AND v.date < DATE '{hi}'
),
x AS (
  SELECT period_id, month, w, a, a * rd AS nd, a * rs AS ns, diy * 1000000 AS m
  FROM n WHERE w > 0
),
y AS (
  SELECT period_id, month, w, a,
         nd // m + CASE WHEN 2 * (nd % m) > m OR (2 * (nd % m) = m AND (nd // m) % 2 = 1) THEN 1 ELSE 0 END AS cd,
         ns // m + CASE WHEN 2 * (ns % m) > m OR (2 * (ns % m) = m AND (ns // m) % 2 = 1) THEN 1 ELSE 0 END AS cs
  FROM x
)
SELECT c.fund, c.share_class, y.month, SUM(y.w) AS days,
       SUM(y.cd * y.w) AS cd, SUM(y.cs * y.w) AS cs, SUM(y.a * y.w) AS sna
FROM y JOIN cov c USING (period_id)
GROUP BY c.fund, c.share_class, y.month
"""


def _connect(memory: str) -> object:
    import duckdb

    return duckdb.connect(
        config={
            "preserve_insertion_order": False,
            "memory_limit": memory,  # as distplan's engine ($DISTPLAN_DUCKDB_MEMORY)
            "temp_directory": str(Path(os.environ.get("TMPDIR", "/tmp")) / "distplan-bench-duckdb"),
        }
    )


def run_hand(p: dict[str, Path], n_days: int, command: str, out: Path, memory: str) -> dict[str, object]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from distplan.fees.calendar import Calendar

    end = START + timedelta(days=n_days)
    c0, t0 = _cpu(), time.perf_counter()
    cov = _coverage(p)
    cal = Calendar.build(START, end)
    scale = Decimal(10) ** 4
    cov_t = pa.table(
        {
            "period_id": list(range(len(cov))),
            "plan": [c.plan for c in cov],
            "registrant": [c.registrant for c in cov],
            "fund": [c.fund for c in cov],
            "share_class": [c.share_class for c in cov],
            "instrument": [c.instrument for c in cov],
            "p_start": pa.array([max(c.start, START) for c in cov], pa.date32()),
            "p_end": pa.array([min(c.end or end, end) for c in cov], pa.date32()),
            "o_start": [cal.ordinal(max(c.start, START)) for c in cov],
            "o_end": [cal.ordinal(min(c.end or end, end)) for c in cov],
            "rate_d": pa.array([c.rate_distribution or Decimal(0) for c in cov], pa.decimal128(38, 10)),
            "rate_s": pa.array([c.rate_service or Decimal(0) for c in cov], pa.decimal128(38, 10)),
            "rd": [int((c.rate_distribution or 0) * scale) for c in cov],
            "rs": [int((c.rate_service or 0) * scale) for c in cov],
        }
    )
    con = _connect(memory)
    con.register("cov", cov_t)  # type: ignore[attr-defined]
    if command == "accrue":
        # As written: NAV x coverage (10,000 rows) x days (10,000). Left to itself DuckDB's planner
        # first range-joins coverage x days (100M wide rows) as a hash-join build side, which
        # does not fit in memory at 100M (it failed even with 8GB).
        con.execute("SET disabled_optimizers = 'join_order'")  # type: ignore[attr-defined]
        con.register("days", cal.segment_table("day").select(["session", "day", "diy"]))  # type: ignore[attr-defined]
        con.execute(HAND_ACCRUE.format(nav=p["nav"], out=out))  # type: ignore[attr-defined]
        rows = pq.ParquetFile(out).metadata.num_rows
    else:
        seg = cal.segment_table("month")
        labels = {m: f"{m // 12:04d}-{m % 12 + 1:02d}" for m in set(seg["month_id"].to_pylist())}
        seg = seg.append_column("month", pa.array([labels[m] for m in seg["month_id"].to_pylist()]))
        con.register("seg", seg)  # type: ignore[attr-defined]
        sql = HAND_PAYABLES.format(nav=p["nav"], lo=cal.sessions[0], hi=end)
        hand = con.sql(sql).to_arrow_table()  # type: ignore[attr-defined]
        rows = int(sum(hand["days"].to_pylist()))
    wall, cpu = time.perf_counter() - t0, _cpu() - c0
    if command == "payables":
        pq.write_table(hand, out)
    return {"seconds": wall, "cpu": cpu, "peak_mb": _peak_mb(), "rows": rows}


def compare(command: str, mine: Path, hand: Path, memory: str) -> int:
    """Rows that differ between distplan's result and the hand-written query's."""
    con = _connect(memory)
    if command == "payables":
        return int(
            con.execute(  # type: ignore[attr-defined]
                f"""
                SELECT count(*) FROM read_parquet('{mine}') e FULL JOIN read_parquet('{hand}') h
                  ON e.fund = h.fund AND e.share_class = h.share_class AND e.month = h.month
                WHERE h.fund IS NULL OR e.fund IS NULL OR e.days <> h.days OR e.fee * 100 <> h.cd + h.cs
                """
            ).fetchone()[0]
        )
    # Same rows in the same order: an order-sensitive checksum of every column, and the sums.
    digest = """SELECT count(*), sum(accrual_distribution), sum(accrual_service), sum(accrual),
        sum(hash(file_row_number, date, plan, registrant, fund, share_class, nav_date, net_assets,
                 rate_distribution, rate_service, days_in_year, accrual_distribution,
                 accrual_service, accrual, instrument)::HUGEINT)
        FROM read_parquet('{}', file_row_number = true)"""
    a = con.execute(digest.format(mine)).fetchone()  # type: ignore[attr-defined]
    b = con.execute(digest.format(hand)).fetchone()  # type: ignore[attr-defined]
    return 0 if a == b else max(1, abs(int(a[0]) - int(b[0])))


def _child(args: argparse.Namespace, size: str, phase: str, command: str, out: Path) -> dict:  # type: ignore[type-arg]
    cmd = [sys.executable, __file__, "--phase", phase, "--size", size, "--dir", str(args.dir)]
    cmd += ["--commands", command, "--out", str(out), "--memory", args.memory]
    env = {**os.environ, "DISTPLAN_DUCKDB_MEMORY": args.memory}
    done = subprocess.run(cmd, check=False, capture_output=True, text=True, env=env)
    if done.returncode:  # e.g. the hand-written accrue runs out of memory at 100M (2GB)
        errors = [ln for ln in done.stderr.splitlines() if "Error" in ln] or done.stderr.splitlines()[-1:]
        raise SystemExit(f"{phase} {command} at {size} failed: {errors[0] if errors else done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _stat(runs: list[dict], key: str) -> tuple[float, float]:  # type: ignore[type-arg]
    values = [float(r[key]) for r in runs]
    return min(values), statistics.median(values)


def bench(args: argparse.Namespace, size: str) -> bool:
    n_fc, n_days = _size(size)
    p = _paths(args.dir, n_fc, n_days)
    _child(args, size, "generate", "none", Path(os.devnull))
    ok = True
    for command in args.commands.split(","):
        mine_out, hand_out = p["dir"] / f"distplan-{command}.parquet", p["dir"] / f"hand-{command}.parquet"
        load_before = _load()
        mine: list[dict] = []  # type: ignore[type-arg]
        hand: list[dict] = []  # type: ignore[type-arg]
        for _ in range(args.runs):
            mine.append(_child(args, size, "distplan", command, mine_out))
            hand.append(_child(args, size, "hand", command, hand_out))
        load_after = _load()
        differ = compare(command, mine_out, hand_out, args.memory)
        rows = int(mine[0]["rows"])
        (m_min, m_med), (h_min, h_med) = _stat(mine, "seconds"), _stat(hand, "seconds")
        (mc_min, mc_med), (hc_min, hc_med) = _stat(mine, "cpu"), _stat(hand, "cpu")
        m_peak, h_peak = max(r["peak_mb"] for r in mine), max(r["peak_mb"] for r in hand)
        print(
            f"\n== {command}: {n_fc:,} fund-classes x {n_days:,} days = {rows:,} fund-class-days, {args.runs} run(s)"
        )
        print(f"   load average before {load_before}, after {load_after} (2 cores, shared)")
        for who, (w_min, w_med), (c_min, c_med), peak in (
            ("distplan", (m_min, m_med), (mc_min, mc_med), m_peak),
            ("hand-written", (h_min, h_med), (hc_min, hc_med), h_peak),
        ):
            print(
                f"   {who:13s} wall {w_min:7.1f} s min {w_med:7.1f} s median | CPU {c_min:7.1f} / {c_med:7.1f} s"
                f" | peak RSS {peak:7,.0f} MB | {rows / w_min:12,.0f} rows/s"
            )
        ratio, cpu_ratio = m_med / h_med, mc_med / hc_med
        print(
            f"   ratio distplan / hand-written: {ratio:.2f}x wall median ({m_min / h_min:.2f}x min), "
            f"{cpu_ratio:.2f}x CPU median; {differ} row(s) differ"
        )
        best = min(mine, key=lambda r: r["seconds"])
        print("   distplan phases (fastest run): " + "; ".join(f"{n} {t:.1f} s" for n, t in best["phases"]))
        met = ratio <= TARGET_RATIO and differ == 0 and (n_fc * n_days < 10**8 or m_peak <= TARGET_PEAK_MB)
        print(
            f"   targets (ratio <= {TARGET_RATIO}, 0 differences, peak <= 4 GB at 100M): {'met' if met else 'NOT met'}"
        )
        ok = ok and met
    return ok


def _size(text: str) -> tuple[int, int]:
    n_fc, _, n_days = text.partition("x")
    return int(n_fc), int(n_days)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", action="append", help="FUNDCLASSESxDAYS (repeatable; default 1000x10000)")
    ap.add_argument("--commands", default="accrue,payables")
    ap.add_argument("--runs", type=int, default=3, help="fresh processes of each (min and median kept)")
    ap.add_argument("--memory", default="2GB", help="DuckDB memory limit for both (beyond it they spill)")
    ap.add_argument(
        "--dir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "distplan-bench-fees"
    )
    ap.add_argument("--phase", choices=("all", "generate", "distplan", "hand"), default="all")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    sizes = args.size or ["1000x10000"]
    if args.phase == "all":
        ok = True
        for size in sizes:
            ok = bench(args, size) and ok
        print("\nall targets met" if ok else "\ntargets NOT met")
        return
    n_fc, n_days = _size(sizes[0])
    if args.phase == "generate":
        generate(args.dir, n_fc, n_days)
        print(json.dumps({}))
        return
    p = _paths(args.dir, n_fc, n_days)
    if args.phase == "distplan":
        result = run_distplan(p, n_days, args.commands, args.out)
    else:
        result = run_hand(p, n_days, args.commands, args.out, args.memory)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
