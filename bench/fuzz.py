"""Fuzz `extract`, `record` and `fees payables` with mutated inputs (issue 8, acceptance).

    .venv/bin/python bench/fuzz.py [--inputs 300] [--timeout 10] [--seed 1] [--only NAME] [--keep DIR]

Mutates the corpus documents (tests/corpus/documents/*.txt), the instrument JSON `distplan
extract` prints for them, governance YAML (examples/governance.yaml and smaller ones) and the
NAV files `distplan fees sample-data` writes (CSV, Parquet bytes, Parquet values): byte flips,
truncation, duplicated/deleted/shuffled lines, huge numbers, full-width digits, odd unicode
(NUL, RTL marks, `\\ud800`), pathological lines, deep nesting, YAML alias bombs, hostile values
in structured fields. Each input runs the real CLI in a forked child killed at --timeout.

Prints per target: inputs tried, failures (hang, traceback, internal error, exit status other
than 0/1/2), and the worst CPU (and wall) time per input; each failing input is kept under DIR/failures.
Exit status 1 if anything failed. The harness is tests/fuzz/fuzzing.py (also used by the
bounded test in tests/fuzz/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

import fuzzing


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--inputs", type=int, default=300, help="inputs per target")
    parser.add_argument("--timeout", type=float, default=10.0, help="CPU seconds per input")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="run only the targets whose name contains this")
    parser.add_argument("--keep", type=Path, help="work directory to keep (default: a temp dir)")
    args = parser.parse_args()

    fuzzing.warm_up()
    root = args.keep or Path(tempfile.mkdtemp(prefix="distplan-fuzz-"))
    root.mkdir(parents=True, exist_ok=True)
    ws = fuzzing.prepare(root)
    chosen = [t for t in fuzzing.targets(ws) if not args.only or args.only in t.name]
    failed = 0
    for target in chosen:
        rng = random.Random(f"{args.seed}:{target.name}")
        start = time.monotonic()
        for _ in range(args.inputs):
            fuzzing.run_one(target, ws, rng, args.timeout)
        spent = time.monotonic() - start
        print(
            f"{target.name:30} {target.tried:5} inputs  {len(target.failures):3} failures  "
            f"worst {target.worst:6.2f} s CPU ({target.worst_wall:6.2f} s wall)  total {spent:6.1f} s",
            flush=True,
        )
        for failure in target.failures:
            print("    " + failure.report())
        failed += len(target.failures)
    print(f"work directory: {root}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
