"""CLI commands: extract and render plan documents."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from distplan.cli.app import app
from distplan.cli.output import echo_json
from distplan.model import instrument_to_json


@app.command()
def extract(
    file: Path = typer.Argument(
        ...,
        help="A filed exhibit (EDGAR .txt, text from HTML, .htm/.html) or a full EDGAR submission .txt.",
    ),
) -> None:
    """Read one filed exhibit and print its structured data as JSON.

    A full EDGAR submission gives its Rule 12b-1 exhibits: one prints as an exhibit does, several as
    {"documents": [...]}; a submission without one is bad input (exit 2)."""
    from distplan.documents.submission import extract_any

    instruments = extract_any(file)
    data = (
        instrument_to_json(instruments[0])
        if len(instruments) == 1
        else {"documents": [instrument_to_json(i) for i in instruments]}
    )
    echo_json(json.dumps(data, indent=2, ensure_ascii=False))
