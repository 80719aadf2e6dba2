"""Extraction throughput on one core: documents/s over the corpus, and linear time on big text.

    .venv/bin/python bench/extract.py [--rounds N] [--megabyte] [--baseline-src DIR] [DIR ...]

Reads every .txt/.htm/.html document once into memory, then extracts all of them, round after
round, in one process (one core), and prints documents/s in wall time and in CPU time (CPU time
is what the core spent, steadier on a shared machine), with the load average. Target: >= 400
documents/s. Each round is timed on its own; the figures are the median and best round.

`--baseline-src DIR` runs the same rounds with another source tree (e.g. `git archive main src`
unpacked into /tmp) in a worker process, alternating round by round with this tree, so both see
the same load; it prints both and their ratio. `--megabyte` also extracts 1 MB of corpus text as
one document (target < 2 s) and a quarter of it: linear time gives a CPU ratio near 4,
quadratic 16 (tests/documents/test_extract_properties.py checks the same by counting calls).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT / "tests" / "corpus" / "documents"


def _load(dirs: list[Path]) -> list[tuple[Path, bytes]]:
    return [
        (p, p.read_bytes())
        for d in dirs
        for p in sorted(d.iterdir())
        if p.suffix.lower() in (".txt", ".htm", ".html")
    ]


class Rounds:
    """Extracts the documents, one round at a time, with whichever `distplan` is importable."""

    def __init__(self, docs: list[tuple[Path, bytes]]) -> None:
        from distplan.documents.extract import extract_document
        from distplan.documents.layout import parse_bytes

        self.docs, self.extract, self.parse = docs, extract_document, parse_bytes
        self.run()  # warm-up: imports, regex compilation

    def run(self) -> tuple[float, float, int]:
        """(wall s, CPU s, rows) of one round over every document."""
        start, cpu_start, rows = time.perf_counter(), time.process_time(), 0
        for path, data in self.docs:
            inst = self.extract(self.parse(data, str(path), html=path.suffix.lower() != ".txt"))
            rows += len(inst.schedule.rows) if inst.schedule else 0
        return time.perf_counter() - start, time.process_time() - cpu_start, rows


def _worker(dirs: list[Path]) -> None:
    """--worker: one round per line read from stdin, its figures as JSON on stdout."""
    rounds = Rounds(_load(dirs))
    print("ready", flush=True)
    for _ in sys.stdin:
        print(json.dumps(rounds.run()), flush=True)


class Baseline:
    """This bench, run as a worker process with another source tree on PYTHONPATH."""

    def __init__(self, src: Path, dirs: list[Path]) -> None:
        env = dict(os.environ, PYTHONPATH=str(src.resolve()))
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", *map(str, dirs)]
        self.proc = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.stdin, self.stdout = self.proc.stdin, self.proc.stdout
        if self.stdout.readline().strip() != "ready":
            raise SystemExit(f"bench/extract.py: the baseline tree {src} did not start")

    def run(self) -> tuple[float, float, int]:
        self.stdin.write("go\n")
        self.stdin.flush()
        wall, cpu, rows = json.loads(self.stdout.readline())
        return wall, cpu, rows

    def close(self) -> None:
        self.stdin.close()
        self.proc.wait()


def _report(label: str, n: int, figures: list[tuple[float, float, int]]) -> tuple[float, float]:
    walls = [n / w for w, _, _ in figures]
    cpus = [n / c for _, c, _ in figures]
    print(
        f"{label}documents/s: median {statistics.median(walls):.0f}, best {max(walls):.0f}; "
        f"CPU time: median {statistics.median(cpus):.0f}, best {max(cpus):.0f}"
    )
    return statistics.median(walls), statistics.median(cpus)


def _megabyte(docs: list[tuple[Path, bytes]]) -> None:
    from distplan.documents.extract import extract_document
    from distplan.documents.layout import parse_bytes

    text = "\n".join(b.decode("utf-8", "replace") for p, b in docs if p.suffix.lower() == ".txt")
    big = (text * (1_000_000 // len(text) + 1))[:1_000_000]

    def cpu(part: str) -> float:
        start = time.process_time()
        extract_document(parse_bytes(part.encode("utf-8"), "big.txt", html=False))
        return time.process_time() - start

    quarter, whole = cpu(big[:250_000]), cpu(big)
    print(
        f"1 MB document, CPU s: {whole:.2f} (250 KB: {quarter:.2f}; ratio {whole / quarter:.1f}, linear ~4)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dirs", nargs="*", type=Path, default=[DEFAULT_DIR])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--megabyte", action="store_true", help="also time 1 MB of corpus text as one document"
    )
    parser.add_argument(
        "--baseline-src", type=Path, help="also run this source tree, alternating round by round"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.dirs)
        return
    docs = _load(args.dirs)
    baseline = Baseline(args.baseline_src, args.dirs) if args.baseline_src else None
    rounds = Rounds(docs)
    mine: list[tuple[float, float, int]] = []
    theirs: list[tuple[float, float, int]] = []
    load_before = os.getloadavg()
    for i in range(args.rounds):
        # Alternate which goes first, so neither always runs right after the other's round.
        if baseline is not None and i % 2 == 0:
            theirs.append(baseline.run())
        mine.append(rounds.run())
        if baseline is not None and i % 2 == 1:
            theirs.append(baseline.run())
    load_after = os.getloadavg()
    if baseline is not None:
        baseline.close()
    n = len(docs)
    total_kib = sum(len(b) for _, b in docs) / 1024
    print(f"documents: {n} ({total_kib:.1f} KiB) x {args.rounds} rounds, {mine[0][2]} rows a round")
    print(f"load average: {load_before[0]:.2f} before, {load_after[0]:.2f} after (1 min)")
    wall, cpu = _report("", n, mine)
    print(f"ms/document (median round): {1000 / wall:.2f}")
    if baseline is not None:
        _, base_cpu = _report("baseline ", n, theirs)
        ratios = [t[1] / m[1] for m, t in zip(mine, theirs, strict=True)]
        print(
            f"this tree / baseline: CPU documents/s x{statistics.median(ratios):.2f} (median of the"
            f" round pairs); medians {cpu:.0f} vs {base_cpu:.0f}"
        )
    if args.megabyte:
        _megabyte(docs)


if __name__ == "__main__":
    main()
