"""The Typer application and its command groups. Command modules register on these."""

from __future__ import annotations

from typing import Annotated

import typer

from distplan import __version__
from distplan.cli.helptext import DistplanGroup

app = typer.Typer(
    name="distplan",
    cls=DistplanGroup,
    help="Rule 12b-1 distribution plans as an executable, auditable record.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
terms_app = typer.Typer(
    help="Plan terms a schedule does not state (rates from the plan body).", no_args_is_help=True
)
fees_app = typer.Typer(help="Daily accruals and monthly payables from net assets.", no_args_is_help=True)
app.add_typer(terms_app, name="terms")
app.add_typer(fees_app, name="fees")


# The root options live here, not with the ledger commands, so that running one command never
# imports another stage. distplan.ledger.ENV_URL names the same variable.
DB_META = "distplan.db"
ENV_URL = "DISTPLAN_DATABASE_URL"


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"distplan {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", envvar=ENV_URL, help="Ledger database URL (default sqlite:///./distplan.db)."),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_print_version, help="Print the version and exit."),
    ] = False,
) -> None:
    """Rule 12b-1 distribution plans as an executable, auditable record."""
    ctx.meta[DB_META] = db
