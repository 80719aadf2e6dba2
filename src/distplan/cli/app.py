"""The Typer application and its command groups. Command modules register on these."""

from __future__ import annotations

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
