"""Benchmark `distplan serve`: latency of GET /api/v1/plans/{id}/schedule?as_of= under 50
concurrent clients on loopback, against the AIM ledger and (--big) the 10,000-fund ledger of
bench/history.py. The server runs in its own process (`distplan serve`, as a user would); the
clients are one asyncio process with httpx. Bounded: --requests in all (default 2,000;
--big-requests, 100, against the big ledger); a request times out after 30 s (300 s against the
big ledger: its answer is 10,000 rows, 4.4 MB), and the run stops on its own. Any error fails the run.

    .venv/bin/python bench/serve.py [--clients 50] [--requests 2000] [--big [--funds 10000 --instruments 1000]]
        [--limit ROWS] [--fund TEXT]

The schedule is paged (the API's default page is 200 rows, at most 1,000): `--limit` asks for
another page size, `--fund` adds the fund filter (a part of a fund's name).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
AT = datetime(2026, 1, 1, tzinfo=UTC)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def aim_ledger(url: str) -> tuple[date, date]:
    from distplan.app import Upload, Workspace

    with Workspace.open(url) as ws:
        docs = sorted((ROOT / "examples" / "aim").glob("*.txt"))
        ws.record([Upload(p.name, p.read_bytes()) for p in docs], recorded_at=AT, recorded_by="bench")
    return date(2003, 11, 1), date(2003, 12, 31)


def big_ledger(url: str, funds: int, instruments: int) -> tuple[date, date]:
    sys.path.insert(0, str(ROOT / "bench"))
    from distplan.ledger import Ledger, Pending
    from distplan.model import instrument_from_json
    from history import START, generate  # bench/history.py: the same generated plan

    docs = generate(funds, instruments, 100)
    with Ledger.open(url) as ledger:
        for i in range(0, len(docs), 100):
            batch = [
                Pending(
                    instrument_from_json(d, where=d["source"]["path"]), json.dumps(d), d["source"]["path"]
                )
                for d in docs[i : i + 100]
            ]
            ledger.record_many(batch, recorded_at=AT)
    return START, START + timedelta(days=instruments - 1)


def token(url: str) -> str:
    from distplan.app import Workspace

    with Workspace.open(url) as ws:
        ws.users.add("bench", "distributor", None, created_at=AT)
        return ws.users.issue_token("bench", created_at=AT)


async def _load(
    base: str, bearer: str, days: list[date], clients: int, timeout_s: float, extra: dict[str, str]
) -> tuple[list[float], list[str]]:
    queue: asyncio.Queue[date] = asyncio.Queue()
    for d in days:
        queue.put_nowait(d)
    timings: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {bearer}"}, timeout=timeout_s, limits=limits
    ) as client:

        async def worker() -> None:
            while not queue.empty():
                day = queue.get_nowait()
                t0 = time.perf_counter()
                try:
                    params = {"as_of": day.isoformat(), **extra}
                    r = await client.get("/api/v1/plans/1/schedule", params=params)
                    r.raise_for_status()
                    r.json()
                except (httpx.HTTPError, ValueError) as exc:
                    errors.append(f"{day}: {type(exc).__name__}: {exc}"[:200])
                    continue
                timings.append((time.perf_counter() - t0) * 1000)

        await asyncio.gather(*(worker() for _ in range(clients)))
    return timings, errors


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc): steadier than wall time
    on a shared machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(
    name: str, url: str, span: tuple[date, date], args: argparse.Namespace, requests: int, timeout_s: float
) -> bool:
    bearer = token(url)
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    server = subprocess.Popen(
        [sys.executable, "-m", "distplan", "--db", url, "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/api/v1/health", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print(f"{name}: the server did not start")
                    return False
                time.sleep(0.2)
        rng = random.Random(7)
        first, last = span
        spread = (last - first).days + 1
        days = [first + timedelta(days=rng.randrange(spread)) for _ in range(requests)]
        t0 = time.perf_counter()
        extra = {k: str(v) for k, v in (("limit", args.limit), ("fund", args.fund)) if v is not None}
        warm, _ = asyncio.run(_load(base, bearer, days[: args.clients], args.clients, timeout_s, extra))
        warmup_s = time.perf_counter() - t0
        t0, cpu0 = time.perf_counter(), _cpu_s(server.pid)
        timings, errors = asyncio.run(_load(base, bearer, days, args.clients, timeout_s, extra))
        wall, cpu = time.perf_counter() - t0, _cpu_s(server.pid) - cpu0
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    if not timings:
        print(f"{name}: every request failed: {errors[:3]}")
        return False
    print(
        f"{name} ({_shape(args)}): {len(timings)} requests, {args.clients} clients, {len(errors)} errors; "
        f"p50 {statistics.median(timings):.1f} ms, p99 {_pct(timings, 0.99):.1f} ms, max {max(timings):.1f} ms; "
        f"{len(timings) / wall:.0f} requests/s; server CPU {cpu * 1000 / len(days):.1f} ms a request "
        f"(warm-up: {len(warm)} requests in {warmup_s:.1f} s; load average {os.getloadavg()[0]:.1f})"
    )
    for e in errors[:5]:
        print(f"  error: {e}")
    return not errors


def _shape(args: argparse.Namespace) -> str:
    page = f"pages of {args.limit} rows" if args.limit else "the default page"
    return page + (f", funds matching {args.fund!r}" if args.fund else "")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--big-requests", type=int, default=100, help="requests against the big ledger")
    parser.add_argument("--big", action="store_true", help="also the 10,000-fund ledger of bench/history.py")
    parser.add_argument("--funds", type=int, default=10_000)
    parser.add_argument("--instruments", type=int, default=1_000)
    parser.add_argument("--limit", type=int, help="rows a page (default: the API's, 200)")
    parser.add_argument("--fund", help="only funds whose name contains this")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="distplan-bench-serve-"))
    ok = True
    url = f"sqlite:///{tmp / 'aim.db'}"
    ok &= run("AIM ledger (18 funds, 3 amendments)", url, aim_ledger(url), args, args.requests, 30)
    if args.big:
        url = f"sqlite:///{tmp / 'big.db'}"
        t0 = time.perf_counter()
        span = big_ledger(url, args.funds, args.instruments)
        print(
            f"built the {args.funds:,}-fund ledger ({args.instruments} instruments) in {time.perf_counter() - t0:.0f} s"
        )
        ok &= run(f"{args.funds:,}-fund ledger", url, span, args, args.big_requests, 300)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
