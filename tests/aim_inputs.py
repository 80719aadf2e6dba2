"""The three AIM Investor Class amendments as test inputs: the real filings, and instrument
JSON built from their gold labels (for when the extractor cannot read a file yet)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
AIM_DIR = ROOT / "examples" / "aim"
GOLD_DIR = ROOT / "tests" / "corpus" / "documents"
NAMES = (
    "aim-investor-amend2-2003-11-03",
    "aim-investor-amend3-2003-11-20",
    "aim-investor-amend4-2003-11-24",
)
PLAN_TITLE = "Amended and Restated Master Plan and Agreement of Distribution (Investor Class Shares)"


def text_paths() -> list[Path]:
    return [AIM_DIR / f"{name}.txt" for name in NAMES]


def gold_instrument_json(name: str) -> dict[str, Any]:
    """`distplan extract`-format JSON for one amendment, from its hand-made gold label."""
    gold = json.loads((GOLD_DIR / f"{name}.json").read_text())
    text_path = AIM_DIR / f"{name}.txt"
    number = gold["amendment_number"]
    return {
        "source": {"path": str(text_path), "sha256": hashlib.sha256(text_path.read_bytes()).hexdigest()},
        "kind": gold["kind"],
        "title": f"Amendment No. {number} to the {PLAN_TITLE}",
        "amendment_number": number,
        "plan": {"title": PLAN_TITLE, "share_classes": gold["share_classes"], "dated": "2003-07-01"},
        "effective_date": gold["effective_date"],
        "dated": gold["effective_date"],
        "operations": [],
        "schedule": {"label": "Schedule A", "replaces_entirely": True, "rows": gold["rows"], "lines": None},
        "signatories": [],
        "diagnostics": [],
    }


def write_gold_json(directory: Path) -> list[Path]:
    out = []
    for name in NAMES:
        path = directory / f"{name}.json"
        path.write_text(json.dumps(gold_instrument_json(name), indent=2))
        out.append(path)
    return out


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(*args: str) -> Run:
    """Run `distplan ARGS` in this process through the real entry point (exit codes, error
    lines and all)."""
    from distplan.cli import main

    stdout, stderr = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["distplan", *args]
    code = 0
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = argv
    return Run(code, stdout.getvalue(), stderr.getvalue())


def record_aim(url: str, *, use_json_dir: Path | None = None) -> list[Run]:
    """Record the three AIM amendments in the order 2, 3, 4, one `record` each, with distinct
    recording times (2003-12-0N) so --known-at timestamps can tell them apart."""
    paths = write_gold_json(use_json_dir) if use_json_dir is not None else text_paths()
    runs = []
    for i, path in enumerate(paths, start=1):
        runs.append(run_cli("--db", url, "record", str(path), "--recorded-at", f"2003-12-0{i}T12:00:00Z"))
        assert runs[-1].code == 0, runs[-1].err
    return runs


def make_ledger_url(backend: str, directory: Path, request: Any) -> str:
    """An empty ledger: SQLite in `directory`, or a new database on the session's PostgreSQL
    (the `postgres_server` fixture of tests/conftest.py)."""
    if backend == "sqlite":
        return f"sqlite:///{directory / 'distplan.db'}"
    return str(request.getfixturevalue("postgres_server").create_database())
