"""Render speed per format, and a large schedule's time and peak memory.

    .venv/bin/python bench/render.py [--rounds N] [--rows N] [DIR]

Extracts every corpus document once, then renders each as text, DOCX and PDF (`--rounds`
times for text and DOCX, once for PDF) and prints documents/s per format. Then renders one
synthetic schedule of `--rows` rows (default 10,000) in each format and prints the time; with
`--memory`, renders it again under tracemalloc for the peak Python heap (slow: tracemalloc
multiplies the time several-fold, so the two are never measured together). For the process's
peak RSS run it under `/usr/bin/time -v`.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from datetime import date
from decimal import Decimal
from pathlib import Path

from distplan.documents.extract import extract_path
from distplan.documents.render import render
from distplan.model import Instrument, Operation, PlanRef, Schedule, ScheduleRow, Source

ROOT = Path(__file__).resolve().parents[1]


def large_schedule(n: int) -> Instrument:
    rows = tuple(
        ScheduleRow(
            fund=f"Example Fund Number {i:05d}",
            registrant=f"EXAMPLE TRUST {i // 500}",
            share_class=("A", "C", "Investor")[i % 3],
            distribution_fee=Decimal("0.75") if i % 3 == 1 else Decimal("0"),
            service_fee=Decimal("0.25"),
            aggregate_fee=Decimal("1.00") if i % 3 == 1 else Decimal("0.25"),
        )
        for i in range(n)
    )
    return Instrument(
        source=Source("large.txt", ""),
        kind="schedule",
        title="SCHEDULE A",
        plan=PlanRef("Master Distribution Plan", ("A", "C", "Investor")),
        effective_date=date(2020, 1, 1),
        operations=(Operation("replace_schedule", target="Schedule A"),),
        schedule=Schedule("Schedule A", True, rows),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("dir", nargs="?", type=Path, default=ROOT / "tests" / "corpus" / "documents")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--memory", action="store_true", help="also measure the peak Python heap")
    args = parser.parse_args()
    insts = [extract_path(p) for p in sorted(args.dir.glob("*.txt"))]
    for fmt in ("text", "docx", "pdf"):
        render(insts[0], fmt)  # warm-up: imports, fonts
        rounds = 1 if fmt == "pdf" else args.rounds
        start = time.perf_counter()
        size = sum(len(render(inst, fmt)) for _ in range(rounds) for inst in insts)
        spent = time.perf_counter() - start
        n = rounds * len(insts)
        print(
            f"{fmt:5} {n / spent:8.1f} documents/s  {spent / n * 1000:7.1f} ms/document  {size / n / 1024:7.1f} KiB"
        )
    big = large_schedule(args.rows)
    for fmt in ("text", "docx", "pdf"):
        start = time.perf_counter()
        data = render(big, fmt)
        spent = time.perf_counter() - start
        line = f"{fmt:5} {args.rows} rows: {spent:7.2f} s  {len(data) / 2**20:6.2f} MiB out"
        if args.memory:
            tracemalloc.start()
            render(big, fmt)
            line += f"  peak heap {tracemalloc.get_traced_memory()[1] / 2**20:7.1f} MiB"
            tracemalloc.stop()
        print(line, flush=True)


if __name__ == "__main__":
    main()
