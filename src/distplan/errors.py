"""Errors a user can fix, and how every failure becomes one line.

The CLI prints a DistplanError as one line and exits with status 2. `describe_failure` is the
last line of defence behind it: what the operating system says about a file (missing, a
directory, no permission, a full disk), undecodable text and absurdly nested input are bad
input too (status 2, naming the file when the error knows it); anything else is a bug in
distplan (status 1: one line saying so; the traceback only with DISTPLAN_DEBUG=1).
"""

from __future__ import annotations

import errno
from pathlib import Path

DEBUG_ENV = "DISTPLAN_DEBUG"


class DistplanError(Exception):
    """Base class of distplan's own errors."""


class InputError(DistplanError):
    """Bad input: a malformed document, a wrong CSV column, an unknown fund. The message
    names the place (file, line, field) in one line."""


def read_input_bytes(path: Path, what: str = "input") -> bytes:
    """The bytes of an input file, or an InputError naming it (missing, a directory, unreadable)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what}: {os_reason(exc)}") from None


def read_input_text(path: Path, what: str = "input") -> str:
    """An input file as UTF-8 text (a BOM is dropped), or an InputError naming it."""
    data = read_input_bytes(path, what)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: byte {exc.start}: not UTF-8 text (is the {what} a text file?)") from None


def os_reason(exc: OSError) -> str:
    """Why the OS refused, in words ("is a directory", "no space left on device")."""
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if exc.errno == errno.ENOSPC:
        return "no space left on device"
    return (exc.strerror or str(exc) or type(exc).__name__).lower()


def exit_status(code: object) -> int:
    """The status a SystemExit carries (None is success, a message is failure)."""
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def describe_failure(exc: BaseException) -> tuple[int, str]:
    """(exit status, one line) for an exception that reached the top of the CLI."""
    if isinstance(exc, DistplanError):
        return 2, str(exc)
    if isinstance(exc, KeyboardInterrupt):
        return 130, "interrupted"
    if isinstance(exc, OSError):
        names = [str(n) for n in (exc.filename, exc.filename2) if n not in (None, "")]
        where = " -> ".join(names) + ": " if names else ""
        action = "" if names else "cannot read or write a file: "
        return 2, f"{where}{action}{os_reason(exc)}"
    if isinstance(exc, UnicodeError):
        return 2, f"input is not valid text ({exc})"
    if isinstance(exc, RecursionError):
        return 2, "input is nested too deeply"
    if isinstance(exc, MemoryError):
        return 2, "out of memory (is an input far larger than expected?)"
    return 1, (
        f"internal error, a bug in distplan ({type(exc).__name__}: {str(exc)[:300]}); "
        f"please report it (set {DEBUG_ENV}=1 for the traceback)"
    )


__all__ = [
    "DEBUG_ENV",
    "DistplanError",
    "InputError",
    "describe_failure",
    "exit_status",
    "os_reason",
    "read_input_bytes",
    "read_input_text",
]
