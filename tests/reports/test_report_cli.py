"""`distplan report ...` end to end: a file written atomically, the same bytes for the same
--generated-at, and bad flags as one line, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from reports_demo import Demo

from aim_inputs import run_cli

STAMP = ["--generated-at", "2026-12-01T12:00:00Z"]


def test_statement_twice_is_the_same_file(demo: Demo, tmp_path: Path) -> None:
    outs = []
    for name in ("a.xlsx", "b.xlsx"):
        done = run_cli("--db", demo.url, "report", "statement", "--month", "2003-11", "--nav", str(demo.nav),
                       "--to", "xlsx", "-o", str(tmp_path / name), *STAMP)  # fmt: skip
        assert done.code == 0, done.err
        assert done.out.startswith(f"wrote {tmp_path / name} (xlsx, ")
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["statement", "--month", "2003-11", "--to", "docx"], "report statement --to 'docx': expected one of pdf, xlsx, csv, html"),
        (["statement", "--month", "2003-13"], "--month: '2003-13' is not a month (YYYY-MM)"),
        (["board", "--quarter", "2003Q5"], "--quarter '2003Q5': expected a quarter such as 2003Q4 or 2003-Q4"),
        (["statement", "--month", "2003-11", "--generated-at", "noon"], "--generated-at 'noon': not an ISO timestamp"),
        (["statement", "--month", "2003-11", "--known-at", "yesterday"], "--known-at:"),
        (["sai", "--fiscal-year-end", "2004-06-29"], "--fiscal-year-end 2004-06-29: expected the last day of a month"),
        (["sai", "--fiscal-year-end", "2004-06-30", "--plan-type", "reimbursement"], "--plan-type reimbursement and --expenses FILE go together"),
        (["statement", "--month", "2004-09"], "no NAV"),
    ],
)  # fmt: skip
def test_bad_flags_are_one_line_and_nothing_is_written(
    args: list[str], message: str, demo: Demo, tmp_path: Path
) -> None:
    out = tmp_path / "out.pdf"
    done = run_cli("--db", demo.url, "report", *args, "--nav", str(demo.nav), "-o", str(out))
    assert done.code == 2, done.err
    lines = [line for line in done.err.splitlines() if not line.startswith("warning:")]
    assert len(lines) == 1 and message in lines[0], done.err
    assert "Traceback" not in done.err and list(tmp_path.iterdir()) == []
