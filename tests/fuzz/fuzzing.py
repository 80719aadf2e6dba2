"""The fuzz harness behind tests/fuzz/test_fuzz.py (bounded) and bench/fuzz.py (full).

Each input runs the real CLI entry point (`distplan.cli.run`) in a forked child of a process
that has already imported every command module: as isolated as a subprocess (a hang is killed
at the time limit, a crash cannot take the harness down, stdout and stderr are captured at the
file descriptors) but without paying Python's and the fee engines' start-up per input.

An outcome is a failure when the child hangs, exits with anything but 0, 1 or 2, prints a
traceback, reports an internal error (a bug, exit 1), or exits 2 without a `distplan:` line.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

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
    seconds: float
    timed_out: bool = False

    def problem(self) -> str | None:
        """Why this outcome is a failure, or None."""
        if self.timed_out:
            return f"hang: killed after {self.seconds:.1f} s"
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


def execute(argv: Sequence[str], timeout: float = 10.0, cwd: Path | None = None) -> Outcome:
    """Run `distplan ARGV` in a forked child, killed after `timeout` seconds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            if cwd is not None:
                os.chdir(cwd)
            _child(argv, out.fileno(), err.fileno())
        timed_out, status = False, None
        while status is None:
            done, raw = os.waitpid(pid, os.WNOHANG)
            if done:
                status = os.waitstatus_to_exitcode(raw)
            elif time.monotonic() - start > timeout:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                timed_out, status = True, -9
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
        )


# --- mutations --------------------------------------------------------------------------------

Mutator = Callable[[random.Random, bytes], bytes]
_NUMBER = re.compile(rb"\d+(?:\.\d+)?")
_HUGE = [b"1" + b"0" * 100, b"1e999999", b"-5", b"0", b"1_000", b"NaN", b"inf", b"-0.0", b"9" * 40, b"1e-400"]
_ODD = [
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\x00",
    "\ufeff",  # BOM / zero-width no-break space
    "\u200b",  # zero-width space
    "e\u0301\u0301\u0301",  # stacked combining marks
    "\x1b[2J",
    "[/b]",
    "\r",
    "\u2028",  # line separator
    "ＩＮＶＥＳＣＯ",  # full-width letters
]


def byte_flips(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data or b"\x00")
    for _ in range(rng.randint(1, 8)):
        buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randint(0, max(len(data) - 1, 0))]


def duplicate_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True) or [b""]
    i = rng.randrange(len(lines))
    return b"".join(lines[:i] + [lines[i]] * rng.randint(2, 50) + lines[i + 1 :])


def delete_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if len(lines) < 2:
        return data
    i = rng.randrange(len(lines))
    return b"".join(lines[:i] + lines[i + rng.randint(1, 5) :])


def shuffle_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if len(lines) < 3:
        return data
    i = rng.randrange(len(lines) - 2)
    block = lines[i : i + 3]
    rng.shuffle(block)
    return b"".join(lines[:i] + block + lines[i + 3 :])


def huge_numbers(rng: random.Random, data: bytes) -> bytes:
    found = list(_NUMBER.finditer(data))
    if not found:
        return data + rng.choice(_HUGE)
    for m in rng.sample(found, min(len(found), rng.randint(1, 4))):
        data = data[: m.start()] + rng.choice(_HUGE) + data[m.end() :]
        break  # one at a time keeps the offsets right; the mutators compose
    return data


def fullwidth_digits(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    for i in rng.sample(digits, min(len(digits), rng.randint(1, 20))):
        text = text[:i] + chr(0xFF10 + int(text[i])) + text[i + 1 :]
    return text.encode("utf-8", "surrogateescape")


def odd_unicode(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    for _ in range(rng.randint(1, 5)):
        i = rng.randint(0, len(text))
        text = text[:i] + rng.choice(_ODD) + text[i:]
    return text.encode("utf-8", "surrogateescape")


def surrogates(rng: random.Random, data: bytes) -> bytes:
    """A `\\ud800` escape (valid JSON syntax, not a character) or its raw UTF-8-ish bytes."""
    i = rng.randint(0, len(data))
    quote = data.rfind(b'"', 0, i)
    piece = rb"\ud800" if quote >= 0 and rng.random() < 0.7 else b"\xed\xa0\x80"
    return data[:i] + piece + data[i:]


def pathological_lines(rng: random.Random, data: bytes) -> bytes:
    """The shapes that once made the extractor's regexes backtrack for ever (item 16)."""
    piece = rng.choice(
        [
            b"-" * 60 + b" text",
            b"INVESCO Dynamics Fund" + b"*" * 32,
            b"=" * 5000,
            b" " * 3000 + b"x",
            b"(" * 2000,
        ]
    )
    lines = data.splitlines(keepends=True) or [b""]
    i = rng.randrange(len(lines))
    return b"".join([*lines[:i], piece + b"\n", *lines[i:]])


def grow(rng: random.Random, data: bytes) -> bytes:
    """The document repeated to about 1 MB (bounded time on big inputs)."""
    return (data + b"\n") * max(1, min(200, 1_000_000 // max(len(data), 1)))


TEXT_MUTATORS: list[Mutator] = [
    byte_flips,
    truncate,
    duplicate_lines,
    delete_lines,
    shuffle_lines,
    huge_numbers,
    fullwidth_digits,
    odd_unicode,
    surrogates,
    pathological_lines,
]


def deep_nesting(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice([100, 1000, 50_000])
    if data.lstrip().startswith((b"{", b"[")):
        return b"[" * depth + data + b"]" * depth
    return data + b"\ndeep: " + b"[" * depth + b"]" * depth + b"\n"


def yaml_aliases(rng: random.Random, data: bytes) -> bytes:
    """A billion-laughs alias bomb, appended as a new key or as the whole document."""
    bomb = [b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, rng.randint(4, 9)):
        prev, cur = chr(ord("a") + n - 1).encode(), chr(ord("a") + n).encode()
        bomb.append(cur + b": &" + cur + b" [" + b",".join([b"*" + prev] * 9) + b"]")
    text = b"\n".join(bomb) + b"\n"
    return text if rng.random() < 0.3 else data + b"\n" + text


# Values that a structured mutation puts where a JSON/YAML value was.
_HOSTILE_VALUES: list[object] = [
    None,
    "",
    "x" * 10_000,
    10**100,
    -5,
    0,
    1.5,
    float("inf"),
    "1e999999",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "２００３-１１-０３",
    "\u202eevil",
    "[/b] \x1b[2J",
    [],
    {},
    [1, [2, [3]]],
    {"nested": {"deeper": [None]}},
    True,
    "Investor Class",
    "INVESCO Liesure Fund",
]


def _paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:20]):
            found += _paths(v, (*prefix, i))
    return found


def mutate_structure(rng: random.Random, value: object) -> object:
    """Replace, delete or duplicate one node of a parsed JSON/YAML document."""
    paths = [p for p in _paths(value) if p]
    if not paths:
        return rng.choice(_HOSTILE_VALUES)
    path = rng.choice(paths)
    parent: object = value
    for key in path[:-1]:
        parent = parent[key]  # type: ignore[index]
    key = path[-1]
    action = rng.random()
    if action < 0.6:
        parent[key] = rng.choice(_HOSTILE_VALUES)  # type: ignore[index]
    elif action < 0.8:
        del parent[key]  # type: ignore[attr-defined]
    elif isinstance(parent, list):
        parent.insert(int(key), parent[int(key)])  # type: ignore[call-overload]
    else:
        parent[f"unknown_{key}"] = parent[key]  # type: ignore[index]
    return value


def json_structure(rng: random.Random, data: bytes) -> bytes:
    try:
        value = json.loads(data)
    except ValueError:
        return byte_flips(rng, data)
    for _ in range(rng.randint(1, 3)):
        value = mutate_structure(rng, value)
    return json.dumps(value, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")


def yaml_structure(rng: random.Random, data: bytes) -> bytes:
    try:
        value = yaml.safe_load(data)
    except yaml.YAMLError:
        return byte_flips(rng, data)
    for _ in range(rng.randint(1, 3)):
        value = mutate_structure(rng, value)
    try:
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")
    except (yaml.YAMLError, ValueError):
        return data


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
    worst: float = 0.0


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
        raise RuntimeError(f"fuzz set-up failed: distplan {' '.join(outcome.argv)}: {outcome.stderr}")
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


# NAV values a spreadsheet or a broken feed may hold.
_NAV_VALUES: dict[str, list[object]] = {
    "net_assets": [
        float("nan"),
        float("inf"),
        -1.0,
        0.0,
        1e300,
        1e-300,
        None,
        10**30,
        "12,345.67",
        "$100",
        "1e5",
    ],
    "date": ["0001-01-01", "9999-12-31", None, "2003-13-45", "11/03/2003", "２００３-１１-０３"],
    "fund": [None, "", "investor class", "\u202eFund", "[/b]", "x" * 5000, "INVESCO Dynamics Fund\x00"],
    "share_class": [None, "", "Investor Class", "INVESTOR", "Ｉｎｖｅｓｔｏｒ"],
}


def parquet_values(rng: random.Random, data: bytes) -> bytes:
    """Rewrite the NAV table with hostile values, duplicated rows or a changed column type."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data))
    rows = table.to_pylist()
    action = rng.random()
    if action < 0.15:
        rows += rng.sample(rows, min(len(rows), rng.randint(1, 20)))  # duplicate NAV rows (item 7)
    elif action < 0.25:
        rows = rng.sample(rows, max(1, len(rows) - rng.randint(1, 30)))  # missing days
    else:
        column = rng.choice([c for c in _NAV_VALUES if c in table.column_names])
        for row in rng.sample(rows, min(len(rows), rng.randint(1, 5))):
            row[column] = rng.choice(_NAV_VALUES[column])
    columns = {c: [r.get(c) for r in rows] for c in table.column_names}
    arrays = {}
    for name, values in columns.items():
        try:
            arrays[name] = pa.array(values, type=table.schema.field(name).type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            arrays[name] = pa.array([None if v is None else str(v) for v in values], type=pa.string())
    sink = io.BytesIO()
    pq.write_table(pa.table(arrays), sink)
    return sink.getvalue()


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
    target.worst = max(target.worst, outcome.seconds)
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
