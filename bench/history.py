"""Benchmark the plan history: record throughput and schedule-as-of latency.

A generated plan of N funds (default 10,000) under 1,000 instruments: the plan's schedule,
then amendments effective one day apart; every Kth (default 100) restates the whole schedule,
the rest add, remove, rename a registrant or set rates on a few funds. Instruments are built as
`distplan extract`-format JSON and recorded through the library in batches (one transaction
per batch). Then `schedule --as-of` is timed: cold (first read, decoding payloads) and warm
(the same Ledger object, random dates), and once through the CLI in a fresh process.

    .venv/bin/python bench/history.py [--funds 10000] [--instruments 1000] [--db URL]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from distplan import history as H
from distplan.ledger import Ledger, Pending
from distplan.model import instrument_from_json

START = date(2000, 1, 3)
PLAN = {"title": "Benchmark Master Distribution Plan", "share_classes": ["A"], "dated": None}


def _row(fund: int, registrant: int, rate: str | None = None) -> dict[str, Any]:
    return {
        "registrant": f"Benchmark Trust {registrant}",
        "fund": f"Benchmark Fund {fund:05d}",
        "share_class": "A",
        "distribution_fee": None,
        "service_fee": rate,
        "aggregate_fee": None,
        "effective_date": None,
    }


def _instrument(n: int, day: date, ops: list[dict[str, Any]], kind: str = "amendment") -> dict[str, Any]:
    return {
        "source": {"path": f"bench-{n:04d}.json", "sha256": ""},
        "kind": kind,
        "title": f"Amendment No. {n - 1}" if kind == "amendment" else "Benchmark Master Distribution Plan",
        "amendment_number": n - 1 if kind == "amendment" else None,
        "plan": PLAN,
        "effective_date": day.isoformat(),
        "operations": ops,
    }


def generate(funds: int, instruments: int, restate_every: int, seed: int = 12) -> list[dict[str, Any]]:
    """The instruments as JSON objects, with the generator's own view of the schedule."""
    rng = random.Random(seed)
    live: dict[int, int] = {f: f % 50 for f in range(funds)}  # fund -> registrant
    next_fund = funds
    out = [
        _instrument(
            1, START, [{"op": "replace_schedule", "rows": [_row(f, r) for f, r in live.items()]}], "plan"
        )
    ]
    for n in range(2, instruments + 1):
        day = START + timedelta(days=n - 1)
        if n % restate_every == 0:
            ops = [{"op": "replace_schedule", "rows": [_row(f, r, "0.25") for f, r in sorted(live.items())]}]
        else:
            added = list(range(next_fund, next_fund + 3))
            next_fund += 3
            removed = rng.sample(sorted(live), 2)
            for f in removed:
                del live[f]
            for f in added:
                live[f] = rng.randrange(50)
            ops = [
                {"op": "add_rows", "rows": [_row(f, live[f]) for f in added]},
                {"op": "remove_rows", "rows": [_row(f, 0) for f in removed]},
            ]
            if n % 3 == 0:
                targets = rng.sample(sorted(live), 5)
                ops.append({"op": "set_rates", "rows": [_row(f, live[f], "0.15") for f in targets]})
            if n % 7 == 0:
                old = rng.randrange(50)
                ops.append(
                    {
                        "op": "rename_registrant",
                        "target": f"Benchmark Trust {old}",
                        "new_name": f"Renamed Trust {n}",
                    }
                )
        out.append(_instrument(n, day, ops))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--funds", type=int, default=10_000)
    parser.add_argument("--instruments", type=int, default=1_000)
    parser.add_argument("--restate-every", type=int, default=100)
    parser.add_argument("--batch", type=int, default=100, help="instruments per record transaction")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--db", help="ledger URL (default: a new SQLite file in a temp dir)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="distplan-bench-"))
    url = args.db or f"sqlite:///{tmp / 'bench.db'}"
    print(f"ledger: {url}")
    t0 = time.perf_counter()
    docs = generate(args.funds, args.instruments, args.restate_every)
    texts = [json.dumps(d) for d in docs]
    rows = sum(len(op.get("rows", [])) for d in docs for op in d["operations"])
    print(f"generated {len(docs)} instruments, {rows:,} rows stated, in {time.perf_counter() - t0:.1f} s")

    ledger = Ledger.open(url)
    at = datetime(2024, 1, 1, tzinfo=UTC)
    t0 = time.perf_counter()
    for i in range(0, len(docs), args.batch):
        batch = [
            Pending(instrument_from_json(d, where=d["source"]["path"]), t, d["source"]["path"])
            for d, t in zip(docs[i : i + args.batch], texts[i : i + args.batch], strict=True)
        ]
        ledger.record_many(batch, recorded_at=at)
    record_s = time.perf_counter() - t0
    print(
        f"record: {len(docs)} instruments in {record_s:.1f} s = {len(docs) / record_s:.0f} instruments/s, "
        f"{rows / record_s:,.0f} rows/s (batches of {args.batch}, parse + hash + insert)"
    )
    plan = ledger.resolve_plan(None)
    last = START + timedelta(days=args.instruments - 1)

    cache = H.HistoryCache()  # the ledger's, as a Workspace keeps it

    def as_of(day: date) -> H.PlanState:
        return H.plan_state(ledger.entries(plan_id=plan.id), plan, day, cache=cache)

    fresh = Ledger.open(url)
    t0 = time.perf_counter()
    state = H.plan_state(fresh.entries(plan_id=plan.id), plan, last)
    cold_ms = (time.perf_counter() - t0) * 1000
    fresh.close()
    print(
        f"schedule as of {last}: {len(state.rows):,} rows; cold (new Ledger: read every entry, "
        f"decode the instruments it needs) {cold_ms:.0f} ms"
    )

    rng = random.Random(1)
    warmup = [START + timedelta(days=rng.randrange(args.instruments)) for _ in range(args.queries)]
    days = [START + timedelta(days=rng.randrange(args.instruments)) for _ in range(args.queries)]
    t0 = time.perf_counter()
    for day in warmup:  # decode payloads, snapshot each full restatement once
        as_of(day)
    print(f"warm-up: {args.queries} other random dates in {time.perf_counter() - t0:.1f} s")
    timings = []
    for day in days:
        t0 = time.perf_counter()
        as_of(day)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"schedule as-of, warm ({args.queries} new random dates): median {statistics.median(timings):.1f} ms, "
        f"p95 {p95:.1f} ms, max {timings[-1]:.1f} ms (target < 50 ms)"
    )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS after the warm queries: {rss:,.0f} MB (generated inputs and caches included)")
    t0 = time.perf_counter()
    covered = H.coverage(ledger.entries(plan_id=plan.id), plan, cache=cache)
    print(
        f"coverage over the whole history: {len(covered):,} periods in {(time.perf_counter() - t0) * 1000:.0f} ms"
    )

    cmd = [sys.executable, "-m", "distplan", "--db", url, "schedule", "--as-of", last.isoformat(), "--json"]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    cli_s = time.perf_counter() - t0
    status = "ok" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.strip()[:200]}"
    print(f"CLI `distplan schedule --as-of {last} --json` in a fresh process: {cli_s:.2f} s ({status})")
    first = tmp / "schedule-10k.json"
    first.write_text(texts[0])
    cmd = [sys.executable, "-m", "distplan", "--db", f"sqlite:///{tmp / 'cli.db'}", "record", str(first)]
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    status = "ok" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.strip()[:200]}"
    print(
        f"CLI `distplan record` of one {args.funds:,}-fund schedule JSON into a new ledger: "
        f"{time.perf_counter() - t0:.2f} s ({status})"
    )
    t0 = time.perf_counter()
    report = ledger.verify()
    print(f"verify: {report.entries} entries, ok={report.ok}, {time.perf_counter() - t0:.1f} s")
    ledger.close()


if __name__ == "__main__":
    main()
