"""Command-line interface. `run` turns every failure into one line: bad input exits 2, a bug 1.

Each stage's commands live in their own module. Only the module of the command being run is
imported (the fee engines and SQLAlchemy cost most of a second to import), so `distplan extract`
starts fast; `--help` and unknown commands import them all.
"""

from __future__ import annotations

import importlib
import io
import os
import sys
import traceback

import typer
from typer import _click

from distplan.cli.app import app
from distplan.cli.output import error_line
from distplan.errors import DEBUG_ENV, describe_failure, exit_status

_MODULES = (
    "documents",
    "render",
    "ledger",
    "fees",
    "compliance",
    "serve",
    "users",
    "dealers",
    "draft",
    "report",
)
_COMMAND_MODULE = {
    "extract": "documents",
    "render": "render",
    "fees": "fees",
    "sample-data": "fees",
    "check": "compliance",
    "calendar": "compliance",
    "rules": "compliance",
    "init": "ledger",
    "record": "ledger",
    "plans": "ledger",
    "terms": "ledger",
    "schedule": "ledger",
    "diff": "ledger",
    "timeline": "ledger",
    "history": "ledger",
    "void": "ledger",
    "verify": "ledger",
    "serve": "serve",
    "users": "users",
    "dealers": "dealers",
    "draft": "draft",
    "preview": "draft",
    "report": "report",
}
_ROOT_OPTIONS_WITH_VALUE = ("--db",)


def _command(argv: list[str]) -> str | None:
    """The subcommand named on the command line, skipping the root options."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _ROOT_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def register(argv: list[str] | None = None) -> None:
    """Import the command modules the command line needs (all of them when in doubt)."""
    module = _COMMAND_MODULE.get(_command(sys.argv[1:] if argv is None else argv) or "")
    for name in (module,) if module else _MODULES:
        importlib.import_module(f"distplan.cli.{name}")


def run(argv: list[str] | None = None) -> int:
    """Run one command line and return its exit status. Nothing escapes as a traceback: bad
    input (ours, or what the OS says about a file) is one line and status 2; anything else is
    a bug, reported in one line with status 1 (the traceback only under DISTPLAN_DEBUG=1)."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        register(args)
        status = app(args=args, prog_name="distplan", standalone_mode=False)
    except SystemExit as exc:
        return exit_status(exc.code)
    except _click.exceptions.NoArgsIsHelpError as exc:
        sys.stdout.write(exc.format_message().rstrip("\n") + "\n")  # `distplan` alone: the help
        return exc.exit_code
    except _click.exceptions.ClickException as exc:
        error_line(_usage_error(exc))
        return exc.exit_code
    except typer.Abort:
        error_line("aborted")
        return 1
    except BaseException as exc:
        status, message = describe_failure(exc)
        if status == 1 and os.environ.get(DEBUG_ENV):
            traceback.print_exc()
        error_line(message)
        return status
    return status if isinstance(status, int) else 0


def _usage_error(exc: _click.exceptions.ClickException) -> str:
    """A usage error in one line, with where to look: `schedule: No such option: --bogus (see
    distplan schedule --help)`."""
    ctx = getattr(exc, "ctx", None)
    command = ctx.command_path if ctx is not None else "distplan"
    where = command.removeprefix("distplan").strip()
    return f"{where + ': ' if where else ''}{exc.format_message()} (see {command} --help)"


def main() -> None:
    # A lone surrogate or an unencodable character in data must not crash the output stream.
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    sys.exit(run())


__all__ = ["app", "main", "register", "run"]
