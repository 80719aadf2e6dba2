"""Command-line interface. `main` turns distplan's own errors into one line and exit 2."""

from __future__ import annotations

import sys

from distplan.cli import compliance, documents, fees, ledger, render  # noqa: F401  (register commands)
from distplan.cli.app import app
from distplan.errors import DistplanError


def main() -> None:
    # Typer's standalone mode handles usage errors (exit 2) and --help; our own errors are
    # bad input the user can fix: one line, exit 2, never a traceback.
    try:
        app()
    except DistplanError as exc:
        print(f"distplan: {exc}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        print("distplan: interrupted", file=sys.stderr)
        sys.exit(130)


__all__ = ["app", "main"]
