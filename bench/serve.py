"""Benchmark `distplan serve`: latency of GET /api/v1/plans/{id}/schedule?as_of= under 50
concurrent clients on loopback, against the AIM ledger and (--big) the 10,000-fund ledger of
bench/history.py. The server runs in its own process (`distplan serve`, as a user would); the
clients are one asyncio process with httpx. Bounded: --requests in all (default 2,000;
--big-requests, 100, against the big ledger); a request times out after 30 s (300 s against the
big ledger), and the run stops on its own. Any error fails the run.

    .venv/bin/python bench/serve.py [--clients 50] [--requests 2000] [--big [--funds 10000 --instruments 1000]]
        [--limit ROWS] [--fund TEXT] [--baseline-src DIR [--rounds N]]

Two workloads: random days (the warm-up asks other days, so a measured day is seldom one
answered before), and one day page by page (everyone reading today's schedule: the server
keeps answers while the ledger's head stays, app/answers.py). Server CPU a request comes from
/proc, steadier than wall time on a shared machine. `--baseline-src DIR` also serves every
workload from another source tree (e.g. `git archive REV src | tar -x -C DIR`), alternating
with this one, `--rounds` times.

The schedule is paged (the API's default page is 200 rows, at most 1,000): `--limit` asks for
another page size, `--fund` adds the fund filter (a part of a fund's name).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
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
    base: str, bearer: str, asks: list[dict[str, str]], clients: int, timeout_s: float
) -> tuple[list[float], list[str]]:
    queue: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    for params in asks:
        queue.put_nowait(params)
    timings: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": f"Bearer {bearer}"}, timeout=timeout_s, limits=limits
    ) as client:

        async def worker() -> None:
            while not queue.empty():
                params = queue.get_nowait()
                t0 = time.perf_counter()
                try:
                    r = await client.get("/api/v1/plans/1/schedule", params=params)
                    r.raise_for_status()
                    r.json()
                except (httpx.HTTPError, ValueError) as exc:
                    errors.append(f"{params}: {type(exc).__name__}: {exc}"[:200])
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


class Server:
    """`distplan serve` on a ledger in its own process, from the source tree `src`."""

    def __init__(self, url: str, src: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(src)}
        command = ["-m", "distplan", "--db", url, "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen([sys.executable, *command], env=env, stderr=subprocess.DEVNULL)

    def wait_ready(self) -> bool:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{self.base}/api/v1/health", timeout=2).raise_for_status()
                return True
            except httpx.HTTPError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    return False
                time.sleep(0.2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def workloads(
    base: str, bearer: str, span: tuple[date, date], args: argparse.Namespace, requests: int
) -> dict[str, tuple[list[dict[str, str]], list[dict[str, str]]]]:
    """Each workload: (warm-up asks, measured asks). Random days: the warm-up draws other days,
    so a measured day is seldom one asked before. One day, page by page: everybody reads
    today's schedule, each page in turn (the pages of one state)."""
    extra = {k: str(v) for k, v in (("limit", args.limit), ("fund", args.fund)) if v is not None}
    rng = random.Random(7)
    first, last = span
    spread = (last - first).days + 1

    def days(n: int) -> list[dict[str, str]]:
        return [
            {"as_of": (first + timedelta(days=rng.randrange(spread))).isoformat(), **extra} for _ in range(n)
        ]

    day = {"as_of": last.isoformat(), **extra}
    shown = httpx.get(
        f"{base}/api/v1/plans/1/schedule",
        params=day,
        headers={"Authorization": f"Bearer {bearer}"},
        timeout=300,
    ).json()["page"]
    offsets = list(range(0, max(shown["total"], 1), shown["limit"]))
    pages = [{**day, "offset": str(offsets[i % len(offsets)])} for i in range(requests)]
    return {
        "random days": (days(args.clients), days(requests)),
        f"one day, {len(offsets)} page{'s' if len(offsets) != 1 else ''} in turn": (
            pages[: args.clients],
            pages,
        ),
    }


def run(
    name: str, url: str, span: tuple[date, date], args: argparse.Namespace, requests: int, timeout_s: float
) -> bool:
    """Each workload against the server from this tree, alternating with the baseline tree's
    (--baseline-src) when given, --rounds times."""
    bearer = token(url)
    trees = [("this tree", ROOT / "src")]
    if args.baseline_src:
        trees.insert(0, ("baseline", Path(args.baseline_src).resolve()))
    ok = True
    planned: dict[str, tuple[list[dict[str, str]], list[dict[str, str]]]] | None = None
    for _ in range(args.rounds):
        for tree, src in trees:
            server = Server(url, src)
            try:
                if not server.wait_ready():
                    print(f"{name}: the server ({tree}) did not start")
                    return False
                if planned is None:
                    planned = workloads(server.base, bearer, span, args, requests)
                for load_name, (warm, asks) in planned.items():
                    ok &= _measure(
                        f"{name}, {load_name}, {tree}", server, bearer, warm, asks, args, timeout_s
                    )
            finally:
                server.stop()
    return ok


def _measure(
    name: str,
    server: Server,
    bearer: str,
    warm: list[dict[str, str]],
    asks: list[dict[str, str]],
    args: argparse.Namespace,
    timeout_s: float,
) -> bool:
    t0 = time.perf_counter()
    warmed, _ = asyncio.run(_load(server.base, bearer, warm, args.clients, timeout_s))
    warmup_s = time.perf_counter() - t0
    t0, cpu0 = time.perf_counter(), _cpu_s(server.process.pid)
    timings, errors = asyncio.run(_load(server.base, bearer, asks, args.clients, timeout_s))
    wall, cpu = time.perf_counter() - t0, _cpu_s(server.process.pid) - cpu0
    if not timings:
        print(f"{name}: every request failed: {errors[:3]}")
        return False
    print(
        f"{name} ({_shape(args)}): {len(timings)} requests, {args.clients} clients, {len(errors)} errors; "
        f"p50 {statistics.median(timings):.1f} ms, p99 {_pct(timings, 0.99):.1f} ms, max {max(timings):.1f} ms; "
        f"{len(timings) / wall:.0f} requests/s; server CPU {cpu * 1000 / len(asks):.1f} ms a request "
        f"(warm-up: {len(warmed)} requests in {warmup_s:.1f} s; load average {os.getloadavg()[0]:.1f})"
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
    parser.add_argument(
        "--baseline-src", help="also serve from this source tree (the code before a change), alternating"
    )
    parser.add_argument("--rounds", type=int, default=1, help="times each server runs the workloads")
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
    shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
