"""Command-line interface. `main` turns distplan's own errors into one line and exit 2."""

from __future__ import annotations

import sys

from distplan.cli import compliance, documents, fees, ledger, render  # noqa: F401  (register commands)
from distplan.cli.app import app
from distplan.errors import DistplanError


def main() -> None:
    try:
        code = app(standalone_mode=False)
    except DistplanError as exc:
        print(f"distplan: {exc}", file=sys.stderr)
        sys.exit(2)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        print("distplan: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # click's usage errors arrive here with standalone_mode=False
        import click

        if isinstance(exc, click.exceptions.Exit):
            sys.exit(exc.exit_code)
        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            print("distplan: aborted", file=sys.stderr)
            sys.exit(1)
        raise
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["app", "main"]
