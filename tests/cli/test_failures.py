"""Issue 8 item 22, cross-cutting: every failure is one line on stderr, never a traceback.
Bad input (distplan's own errors, what the OS says about a file, undecodable text, absurd
nesting, a usage error) exits 2; a bug exits 1 and says so; DISTPLAN_DEBUG=1 adds the traceback."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aim_inputs import run_cli
from distplan.errors import DEBUG_ENV, InputError, describe_failure, read_input_text

# A real command that fails the way a bug does, added to the real app in a child process.
_BUGGY = """
import sys
from distplan.cli import app, main
@app.command("explode")
def explode() -> None:
    {}.get("x").upper()
sys.argv = ["distplan", "explode"]
main()
"""


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **env}, timeout=120
    )


def test_a_bug_is_one_line_exit_1_and_says_it_is_a_bug() -> None:
    done = _python(_BUGGY)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("distplan: internal error, a bug in distplan (AttributeError")
    assert DEBUG_ENV in done.stderr  # says how to see more


def test_debug_env_shows_the_traceback() -> None:
    done = _python(_BUGGY, **{DEBUG_ENV: "1"})
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr
    assert done.stderr.rstrip().splitlines()[-1].startswith("distplan: internal error")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["nosuch"], "distplan: No such command 'nosuch'."),
        (["recrod"], "Did you mean 'record'?"),
        (
            ["schedule", "--bogus"],
            "distplan: schedule: No such option: --bogus (see distplan schedule --help)",
        ),
        (["schedule"], "distplan: schedule: Missing option '--as-of'."),
        (["void", "x", "--reason", "r"], "distplan: void: Invalid value for 'SEQ'"),
        (["fees", "payables", "--nav"], "Option '--nav' requires an argument."),
    ],
)
def test_a_usage_error_is_one_line_and_exit_2(argv: list[str], expected: str) -> None:
    result = run_cli(*argv)
    assert result.code == 2
    assert result.err.count("\n") == 1, result.err
    assert expected in result.err


def test_no_arguments_prints_the_help() -> None:
    result = run_cli()
    assert result.code == 2 and "Usage: distplan" in result.out and result.err == ""


@pytest.mark.parametrize(
    ("exc", "status", "line"),
    [
        (InputError("a.csv: line 3: bad"), 2, "a.csv: line 3: bad"),
        (FileNotFoundError(errno.ENOENT, "No such file or directory", "in.txt"), 2, "in.txt: no such file"),
        (IsADirectoryError(errno.EISDIR, "Is a directory", "d"), 2, "d: is a directory"),
        (PermissionError(errno.EACCES, "Permission denied", "p.db"), 2, "p.db: permission denied"),
        (OSError(errno.ENOSPC, "No space left on device"), 2, "no space left on device"),
        (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), 2, "input is not valid text"),
        (RecursionError("maximum recursion depth exceeded"), 2, "input is nested too deeply"),
        (KeyboardInterrupt(), 130, "interrupted"),
        (ZeroDivisionError("division by zero"), 1, "internal error, a bug in distplan (ZeroDivisionError"),
    ],
)
def test_describe_failure(exc: BaseException, status: int, line: str) -> None:
    got_status, message = describe_failure(exc)
    assert got_status == status
    assert line in message


def test_read_input_text_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.csv"
    bad.write_bytes(b"caf\xe9\n")
    with pytest.raises(InputError, match=r"latin1\.csv: byte 3: not UTF-8 text"):
        read_input_text(bad, "NAV file")
    with pytest.raises(InputError, match=r"missing\.csv: cannot read NAV file: no such file"):
        read_input_text(tmp_path / "missing.csv", "NAV file")
    with pytest.raises(InputError, match=r"cannot read NAV file: is a directory"):
        read_input_text(tmp_path, "NAV file")
    good = tmp_path / "bom.csv"
    good.write_bytes("\ufefffund\n".encode())
    assert read_input_text(good) == "fund\n"


def test_a_lone_surrogate_in_output_does_not_crash_the_stream() -> None:
    code = _BUGGY.replace('{}.get("x").upper()', 'import typer; typer.echo("fund \\ud800 name")')
    done = _python(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == r"fund \ud800 name"
