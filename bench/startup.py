"""Benchmark: start-up of fresh `distplan` processes on the AIM ledger (issue 10).

    .venv/bin/python bench/startup.py [--runs 7] [--imports 12]

Builds the worked example in a temp folder (Amendments 2-4 recorded, plan terms set, two
months of sample NAV), then runs each command `--runs` times as a fresh process and prints the
median and min wall time, with the interpreter's own start (`python -c pass`) as the floor and
the machine's load average (os.getloadavg: the machine is shared). `--imports N` adds, per
command, the N top-level packages whose imports cost most (`python -X importtime`, self time).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DISTPLAN = [sys.executable, "-m", "distplan"]
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "distplan schedule --json": [*DISTPLAN, "schedule", "--as-of", "2003-11-21", "--json"],
    "distplan fees payables --json": [
        *DISTPLAN,
        "fees",
        "payables",
        "--nav",
        "nav.parquet",
        "--month",
        "2003-11",
        "--json",
    ],
    "distplan fees accrue": [
        *DISTPLAN,
        "fees",
        "accrue",
        "--nav",
        "nav.parquet",
        "--month",
        "2003-11",
        "--out",
        "a.csv",
    ],
}


def _run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True, text=True)


def setup(work: Path, env: dict[str, str]) -> None:
    _run([*DISTPLAN, "record", *sorted(str(p) for p in (ROOT / "examples" / "aim").glob("*.txt"))], work, env)
    terms = ["terms", "set", "--effective", "2003-07-01", "--distribution", "0", "--service", "0.25"]
    _run([*DISTPLAN, *terms, "--source", "Investor Class plan body"], work, env)
    _run(
        [*DISTPLAN, "sample-data", "--from", "2003-11-01", "--to", "2004-01-01", "--out", "nav.parquet"],
        work,
        env,
    )


def wall(cmd: list[str], work: Path, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    _run(cmd, work, env)
    return time.perf_counter() - t0


def imports(cmd: list[str], work: Path, env: dict[str, str], top: int) -> str:
    done = subprocess.run(
        [cmd[0], "-X", "importtime", *cmd[1:]], cwd=work, env=env, check=True, capture_output=True, text=True
    )
    cost: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if m:
            cost[m[2].split(".")[0]] += int(m[1])
    total = sum(cost.values()) / 1e6
    listed = ", ".join(f"{name} {us / 1e6:.2f}" for name, us in cost.most_common(top))
    return f"imports {total:.2f} s in all: {listed}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--imports", type=int, default=0, help="list the N costliest imported packages")
    ap.add_argument(
        "--src", type=Path, default=ROOT / "src", help="the distplan sources to time (before/after)"
    )
    args = ap.parse_args()
    env = {**os.environ, "PYTHONPATH": str(args.src.resolve())}
    with tempfile.TemporaryDirectory(prefix="distplan-bench-startup-") as tmp:
        work = Path(tmp)
        setup(work, env)
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores, shared)")
        for name, cmd in COMMANDS.items():
            wall(cmd, work, env)  # warm the file cache
            times = [wall(cmd, work, env) for _ in range(args.runs)]
            line = f"{name:32s} median {statistics.median(times):.2f} s  min {min(times):.2f} s  ({args.runs} runs)"
            print(line)
            if args.imports and name != "python -c pass":
                print("    " + imports(cmd, work, env, args.imports))
        print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
