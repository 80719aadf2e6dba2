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
    file: Path = typer.Argument(..., help="A filed exhibit: EDGAR .txt, text from HTML, or .htm/.html."),
) -> None:
    """Read one filed exhibit and print its structured data as JSON."""
    from distplan.documents.extract import extract_path

    instrument = extract_path(file)
    echo_json(json.dumps(instrument_to_json(instrument), indent=2, ensure_ascii=False))
