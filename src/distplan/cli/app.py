"""The Typer application and its command groups. Command modules register on these."""

from __future__ import annotations

from typing import Annotated

import typer

app = typer.Typer(
    name="distplan",
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


@app.callback()
def _root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", envvar=ENV_URL, help="Ledger database URL (default sqlite:///./distplan.db)."),
    ] = None,
) -> None:
    """Rule 12b-1 distribution plans as an executable, auditable record."""
    ctx.meta[DB_META] = db
