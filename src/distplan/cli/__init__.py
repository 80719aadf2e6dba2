"""Command-line interface. `main` turns distplan's own errors into one line and exit 2.

Each stage's commands live in their own module. Only the module of the command being run is
imported (the fee engines and SQLAlchemy cost most of a second to import), so `distplan extract`
starts fast; `--help` and unknown commands import them all.
"""

from __future__ import annotations

import importlib
import sys

from distplan.cli.app import app
from distplan.errors import DistplanError

_MODULES = ("documents", "render", "ledger", "fees", "compliance")
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


def main() -> None:
    # Typer's standalone mode handles usage errors (exit 2) and --help; our own errors are
    # bad input the user can fix: one line, exit 2, never a traceback.
    try:
        register()
        app()
    except DistplanError as exc:
        print(f"distplan: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("distplan: interrupted", file=sys.stderr)
        sys.exit(130)


__all__ = ["app", "main", "register"]
