"""Report build and write times per report and format, and the output sizes.

    .venv/bin/python bench/reports.py [--rows N] [DIR]

Builds the AIM demo ledger in DIR (a temp folder by default: the three amendments, plan terms,
a year of sample NAV, the sample governance file), then times each report's build from the
Workspace (statement 2003-11, board 2003Q4, ledger 2003-12-31, SAI fiscal year to 2004-06-30)
and each writer on it. Then one synthetic report of `--rows` table rows (default 5,000) in
each format, for how the writers scale.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from distplan.app import Workspace
from distplan.cli import run
from distplan.reports import Column, Report, Section, write
from distplan.reports.board import Quarter, board
from distplan.reports.common import Scope
from distplan.reports.ledger_report import ledger_report
from distplan.reports.sai import sai
from distplan.reports.statement import statement

ROOT = Path(__file__).resolve().parents[1]
STAMP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _ledger(folder: Path) -> tuple[str, Path]:
    url = f"sqlite:///{folder / 'bench.db'}"
    nav = folder / "nav.parquet"
    aim = sorted(str(p) for p in (ROOT / "examples" / "aim").glob("*.txt"))
    for argv in (
        ["--db", url, "record", *aim],
        ["--db", url, "terms", "set", "--effective", "2003-07-01", "--distribution", "0", "--service", "0.25",
         "--source", "plan"],
        ["--db", url, "sample-data", "--from", "2003-06-30", "--to", "2004-07-01", "--out", str(nav)],
        ["--db", url, "record", str(ROOT / "examples" / "governance.yaml")],
    ):  # fmt: skip
        if run(argv) != 0:
            raise SystemExit(f"setting up the ledger failed: {' '.join(argv)}")
    return url, nav


def _timed(what: Callable[[], object]) -> tuple[object, float]:
    start = time.perf_counter()
    done = what()
    return done, time.perf_counter() - start


def _write(report: Report, fmt: str) -> tuple[int, float]:
    start = time.perf_counter()
    data, _ = write(report, fmt)
    return len(data), time.perf_counter() - start


def synthetic(rows: int) -> Report:
    body = tuple(
        (
            f"EXAMPLE TRUST {i // 500}",
            f"Example Fund Number {i:05d}",
            Decimal(i * 1234567) / 100,
            date(2003, 12, 10),
        )
        for i in range(rows)
    )
    cols = (Column("Registrant"), Column("Fund"), Column("Fee", "money"), Column("Due", "date"))
    total = ("Total", None, sum((r[2] for r in body), Decimal(0)), None)
    return Report(
        "statement", "Synthetic", "Example plan", "2003-11", STAMP, (Section("Rows", cols, body, total),)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", nargs="?", type=Path)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="bench-reports-"))
    url, nav = _ledger(folder)
    with Workspace.open(url) as ws:
        scope = Scope(ws)
        builds: list[tuple[str, Callable[[], object], tuple[str, ...]]] = [
            ("statement", lambda: statement(scope, nav, 2003, 11, generated_at=STAMP), ("pdf", "xlsx", "csv")),
            ("board", lambda: board(scope, nav, Quarter(2003, 4), generated_at=STAMP), ("pdf", "docx", "xlsx", "html")),
            ("ledger", lambda: ledger_report(scope, date(2003, 12, 31), generated_at=STAMP), ("pdf", "xlsx")),
            ("sai", lambda: sai(scope, nav, date(2004, 6, 30), generated_at=STAMP), ("docx", "xlsx", "pdf")),
        ]  # fmt: skip
        print(f"{'report':10} {'step':8} {'seconds':>8} {'bytes':>10}")
        for name, build, formats in builds:
            report, took = _timed(build)
            assert isinstance(report, Report)
            print(f"{name:10} {'build':8} {took:8.2f} {'':>10}")
            for fmt in formats:
                size, took = _write(report, fmt)
                print(f"{name:10} {fmt:8} {took:8.2f} {size:10,}")
    big = synthetic(args.rows)
    for fmt in ("pdf", "docx", "xlsx", "csv"):
        size, took = _write(big, fmt)
        print(f"{f'{args.rows} rows':10} {fmt:8} {took:8.2f} {size:10,}")


if __name__ == "__main__":
    main()
