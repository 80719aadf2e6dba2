"""The fuzz harness behind tests/fuzz/test_fuzz.py (bounded) and bench/fuzz.py (full).

Each input runs the real CLI entry point (`distplan.cli.run`) in a forked child of a process
that has already imported every command module: as isolated as a subprocess (a hang is killed
at the time limit, a crash cannot take the harness down, stdout and stderr are captured at the
file descriptors) but without paying Python's and the fee engines' start-up per input.

Time limits are on CPU time (a runaway regex or loop burns CPU; on a shared machine wall time
does not measure the input), with a wall-clock limit behind it. An outcome is a failure when
the child hangs, exits with anything but 0, 1 or 2, prints a
traceback, reports an internal error (a bug, exit 1), or exits 2 without a `distplan:` line.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import random
import resource
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mutations import (
    TEXT_MUTATORS,
    Mutator,
    byte_flips,
    deep_nesting,
    grow,
    json_structure,
    parquet_values,
    truncate,
    yaml_aliases,
    yaml_structure,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus" / "documents"
EXAMPLES = ROOT / "examples"
MONTH = "2003-11"


# --- running one input ------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    argv: tuple[str, ...]
    status: int
    stdout: str
    stderr: str
    seconds: float  # wall clock
    timed_out: bool = False
    cpu: float = 0.0  # CPU seconds, user + system

    def problem(self) -> str | None:
        """Why this outcome is a failure, or None."""
        if self.timed_out:
            return f"hang: killed after {self.cpu:.1f} s CPU, {self.seconds:.1f} s wall"
        if self.status not in (0, 1, 2):
            return f"exit status {self.status}"
        if "Traceback (most recent call last)" in self.stderr:
            return "traceback"
        if "internal error" in self.stderr:
            return "internal error"
        last = self.stderr.rstrip("\n").rsplit("\n", 1)[-1]
        if self.status == 2 and not last.startswith("distplan: "):
            return "exit 2 without a one-line `distplan:` message"
        return None

    def crash_line(self) -> str:
        """The most telling line of stderr: the exception of a traceback, or the last line."""
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[-1][:300] if lines else ""


def warm_up() -> None:
    """Import everything a command may need, once, before forking (no engine is started)."""
    from distplan.cli import register

    register([])
    import duckdb  # noqa: F401
    import pyarrow.csv
    import pyarrow.parquet  # noqa: F401
    import sqlalchemy.dialects.sqlite  # noqa: F401


def _child(argv: Sequence[str], out_fd: int, err_fd: int) -> None:
    os.dup2(out_fd, 1)
    os.dup2(err_fd, 2)
    sys.stdin = io.TextIOWrapper(io.FileIO(os.open(os.devnull, os.O_RDONLY)), encoding="utf-8")
    sys.stdout = io.TextIOWrapper(
        io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="backslashreplace"
    )
    sys.stderr = io.TextIOWrapper(
        io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="backslashreplace"
    )
    status = 99
    try:
        from distplan.cli import run

        status = run(list(argv))
    except BaseException:  # the harness must see what escaped run(): status 98 and a traceback
        import traceback

        traceback.print_exc()
        status = 98
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(status)


# A wall-clock limit as well, for a child that blocks without using CPU; generous, because
# on a machine shared by several busy processes wall time runs several times the CPU time.
WALL_FACTOR = 6


def execute(argv: Sequence[str], timeout: float = 10.0, cwd: Path | None = None) -> Outcome:
    """Run `distplan ARGV` in a forked child limited to `timeout` seconds of CPU (and
    WALL_FACTOR times that of wall-clock time)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            limit = math.ceil(timeout)
            resource.setrlimit(resource.RLIMIT_CPU, (limit, limit + 1))
            if cwd is not None:
                os.chdir(cwd)
            _child(argv, out.fileno(), err.fileno())
        timed_out, status, cpu = False, None, 0.0
        while status is None:
            done, raw, usage = os.wait4(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(raw)
                cpu = usage.ru_utime + usage.ru_stime
                timed_out = status == -signal.SIGXCPU
            elif time.monotonic() - start > timeout * WALL_FACTOR:
                os.kill(pid, signal.SIGKILL)
                _, _, usage = os.wait4(pid, 0)
                timed_out, status, cpu = True, -signal.SIGKILL, usage.ru_utime + usage.ru_stime
            else:
                time.sleep(0.005)
        seconds = time.monotonic() - start
        out.seek(0)
        err.seek(0)
        return Outcome(
            tuple(argv),
            status,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            timed_out,
            cpu,
        )


# --- targets ----------------------------------------------------------------------------------


@dataclass
class Seed:
    name: str
    suffix: str
    data: bytes


@dataclass(frozen=True)
class Failure:
    outcome: Outcome
    problem: str
    seed: str
    mutations: tuple[str, ...]
    kept: str  # the failing input, saved

    def report(self) -> str:
        return (
            f"{self.problem}: {self.seed} mutated by {', '.join(self.mutations)}\n"
            f"      distplan {' '.join(self.outcome.argv)}\n      {self.outcome.crash_line()}\n"
            f"      input kept: {self.kept}"
        )


@dataclass
class Target:
    """One command fed mutated files: its seeds, its mutators and its command line."""

    name: str
    seeds: list[Seed]
    mutators: list[Mutator]
    argv: Callable[[Path, Path], list[str]]  # (input file, fresh ledger copy) -> argv
    needs_ledger: bool = True
    tried: int = 0
    failures: list[Failure] = field(default_factory=list)
    worst: float = 0.0  # CPU seconds of the slowest input
    worst_wall: float = 0.0


@dataclass
class Workspace:
    """A template ledger (the AIM plan, its rates and governance-free history) and NAV files."""

    root: Path
    ledger: Path
    nav_csv: Path
    nav_parquet: Path

    def fresh_ledger(self) -> Path:
        copy = Path(tempfile.mkdtemp(dir=self.root)) / "ledger.db"
        shutil.copyfile(self.ledger, copy)
        return copy


def _check(outcome: Outcome) -> Outcome:
    if outcome.status != 0:
        raise RuntimeError(
            f"fuzz set-up failed (status {outcome.status}): distplan {' '.join(outcome.argv)}: {outcome.stderr}"
        )
    return outcome


def prepare(root: Path) -> Workspace:
    """Record the AIM amendments and their plan terms, and write a month of NAV (CSV, Parquet)."""
    ledger = root / "template.db"
    db = ["--db", f"sqlite:///{ledger}"]
    amendments = [
        EXAMPLES / "aim" / f"aim-investor-{n}.txt" for n in ("amend2-2003-11-03", "amend3-2003-11-20")
    ]
    _check(execute([*db, "record", *map(str, amendments)], timeout=60))
    terms = ["terms", "set", "--effective", "2003-11-01", "--source", "plan s. 3", "--distribution", "0.25"]
    _check(execute([*db, *terms], timeout=60))
    nav_csv, nav_parquet = root / "nav.csv", root / "nav.parquet"
    for out in (nav_csv, nav_parquet):
        _check(
            execute([*db, "sample-data", "--from", "2003-10-30", "--to", "2003-12-01", "--out", str(out)], 60)
        )
    return Workspace(root, ledger, nav_csv, nav_parquet)


def _instrument_seeds() -> list[Seed]:
    """What `distplan extract` prints for each corpus document (extracted here: pure Python)."""
    from distplan.documents.extract import extract_path
    from distplan.errors import DistplanError
    from distplan.model import instrument_to_json

    seeds = []
    for path in sorted(CORPUS.glob("*.txt")):
        try:
            data = instrument_to_json(extract_path(path))
        except DistplanError:
            continue
        seeds.append(Seed(path.stem, ".json", json.dumps(data, indent=2, ensure_ascii=False).encode()))
    return seeds


def _governance_seeds() -> list[Seed]:
    text = (EXAMPLES / "governance.yaml").read_bytes()
    minimal = b"version: 1\nplan:\n  ref: Investor\nmeetings: []\n"
    as_json = json.dumps(yaml.safe_load(text), default=str, indent=1).encode()
    return [
        Seed("governance", ".yaml", text),
        Seed("minimal", ".yml", minimal),
        Seed("json", ".json", as_json),
    ]


def targets(ws: Workspace) -> list[Target]:
    documents = [Seed(p.stem, ".txt", p.read_bytes()) for p in sorted(CORPUS.glob("*.txt"))]
    nav = [Seed("nav", ".csv", ws.nav_csv.read_bytes())]
    parquet = [Seed("nav", ".parquet", ws.nav_parquet.read_bytes())]
    structured_nav = [Seed("nav", ".parquet-table", ws.nav_parquet.read_bytes())]

    def record(path: Path, ledger: Path) -> list[str]:
        return ["--db", f"sqlite:///{ledger}", "record", str(path), "--recorded-at", "2003-12-20T00:00:00Z"]

    def payables(path: Path, ledger: Path) -> list[str]:
        return ["--db", f"sqlite:///{ledger}", "fees", "payables", "--nav", str(path), "--month", MONTH]

    return [
        Target(
            "extract", documents, [*TEXT_MUTATORS, grow], lambda p, _: ["extract", str(p)], needs_ledger=False
        ),
        Target("record documents", documents, TEXT_MUTATORS, record),
        Target(
            "record instrument JSON",
            _instrument_seeds(),
            [*TEXT_MUTATORS, json_structure, deep_nesting],
            record,
        ),
        Target(
            "record governance YAML",
            _governance_seeds(),
            [*TEXT_MUTATORS, yaml_structure, yaml_aliases, deep_nesting],
            record,
        ),
        Target("fees payables CSV", nav, TEXT_MUTATORS, payables),
        Target("fees payables Parquet bytes", parquet, [byte_flips, truncate], payables),
        Target("fees payables Parquet values", structured_nav, [parquet_values], payables),
    ]


def run_one(target: Target, ws: Workspace, rng: random.Random, timeout: float) -> Outcome:
    """Mutate one seed of `target` (1-3 mutations), run it, and record the result on the target."""
    seed = rng.choice(target.seeds)
    data = seed.data
    mutations = []
    for _ in range(rng.randint(1, 3)):
        mutator = rng.choice(target.mutators)
        data = mutator(rng, data)
        mutations.append(mutator.__name__)
    suffix = ".parquet" if seed.suffix == ".parquet-table" else seed.suffix
    folder = Path(tempfile.mkdtemp(dir=ws.root))
    path = folder / f"{seed.name}{suffix}"
    path.write_bytes(data)
    ledger = ws.fresh_ledger() if target.needs_ledger else folder / "unused.db"
    outcome = execute(target.argv(path, ledger), timeout=timeout, cwd=folder)
    target.tried += 1
    target.worst = max(target.worst, outcome.cpu)
    target.worst_wall = max(target.worst_wall, outcome.seconds)
    problem = outcome.problem()
    if problem is not None:
        kept = ws.root / "failures" / f"{target.name.replace(' ', '-')}-{target.tried}{suffix}"
        kept.parent.mkdir(exist_ok=True)
        kept.write_bytes(data)
        target.failures.append(Failure(outcome, problem, seed.name, tuple(mutations), str(kept)))
    shutil.rmtree(folder, ignore_errors=True)
    if target.needs_ledger:
        shutil.rmtree(ledger.parent, ignore_errors=True)
    return outcome
