"""Extraction throughput on one core: documents/s and MB/s over the corpus.

    .venv/bin/python bench/extract.py [--rounds N] [DIR ...]

Reads every .txt/.htm/.html document once into memory, then extracts all of them N times in
this process (one core) and prints the figures. Target: >= 400 documents/s; with --megabyte,\na 1 MB document of corpus text in < 2 s.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from distplan.documents.extract import extract_document
from distplan.documents.layout import parse_bytes

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dirs", nargs="*", type=Path, default=[ROOT / "tests" / "corpus" / "documents"])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--megabyte", action="store_true", help="also time 1 MB of corpus text as one document"
    )
    args = parser.parse_args()
    docs = [
        (p, p.read_bytes())
        for d in args.dirs
        for p in sorted(d.iterdir())
        if p.suffix.lower() in (".txt", ".htm", ".html")
    ]
    total_bytes = sum(len(b) for _, b in docs)
    for path, data in docs:  # warm-up: imports, regex compilation
        extract_document(parse_bytes(data, str(path), html=path.suffix.lower() != ".txt"))
    start, cpu_start = time.perf_counter(), time.process_time()
    rows = 0
    for _ in range(args.rounds):
        for path, data in docs:
            inst = extract_document(parse_bytes(data, str(path), html=path.suffix.lower() != ".txt"))
            rows += len(inst.schedule.rows) if inst.schedule else 0
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    n = len(docs) * args.rounds
    print(f"documents: {len(docs)} ({total_bytes / 1024:.1f} KiB) x {args.rounds} rounds, {rows} rows")
    print(f"documents/s: {n / elapsed:.0f}")
    print(f"MB/s: {total_bytes * args.rounds / elapsed / 1e6:.2f}")
    print(f"ms/document: {elapsed / n * 1000:.2f}")
    # CPU time is what one core spends, unaffected by other load on the machine.
    print(f"documents/s (CPU time): {n / cpu:.0f}")
    if args.megabyte:
        # One 1 MB document made of corpus text: extraction time must stay linear (target < 2 s).
        text = "\n".join(b.decode("utf-8", "replace") for _, b in docs)
        big = (text * (1_000_000 // len(text) + 1))[:1_000_000].encode("utf-8")
        cpu_start = time.process_time()
        extract_document(parse_bytes(big, "1mb.txt", html=False))
        print(f"1 MB document, CPU s: {time.process_time() - cpu_start:.2f}")


if __name__ == "__main__":
    main()
