"""CLI command: render an extracted instrument as canonical text, DOCX or PDF."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer

from distplan.cli.app import app
from distplan.cli.output import error_line
from distplan.errors import InputError
from distplan.model import Instrument, instrument_from_json
from distplan.outputs import write_atomic


class RenderFormat(StrEnum):
    text = "text"
    docx = "docx"
    pdf = "pdf"


def _read_instrument(path: Path) -> Instrument:
    return instrument_from_json(read_instrument_json(path), where=str(path))


def read_instrument_json(path: Path) -> Any:
    """The JSON of an instrument file (- reads stdin), or an InputError naming the file."""
    try:
        raw = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except IsADirectoryError:
        raise InputError(
            f"{path}: is a directory, expected the JSON that `distplan extract` prints"
        ) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text, expected JSON") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: line {exc.lineno}: not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply") from None
    return data


@app.command()
def render(
    extracted: Path = typer.Argument(
        ..., metavar="FILE", help="JSON printed by `distplan extract` (an Instrument); - reads stdin."
    ),
    to: RenderFormat = typer.Option(RenderFormat.text, "--to", help="Output format."),
    output: Path | None = typer.Option(
        None, "-o", "--output", metavar="OUT", help="Output file ('-' or omitted: stdout, text only)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print what was written as JSON."),
) -> None:
    """Render an extracted plan document as canonical amendment text, DOCX or PDF."""
    import hashlib

    from distplan.documents.render import render_document

    inst = _read_instrument(extracted)
    to_stdout = output is None or str(output) == "-"
    if to_stdout and to is not RenderFormat.text:
        raise InputError(f"--to {to.value} writes a binary file: give -o OUT")
    if output is not None and not to_stdout and output.is_dir():
        raise InputError(f"{output}: is a directory; give a file name to write")
    done = render_document(inst, to.value)
    for warning in done.warnings:
        error_line(f"warning: {extracted}: {warning}")
    if to_stdout:
        sys.stdout.write(done.data.decode("utf-8"))
        return
    assert output is not None
    write_atomic(output, done.data)
    if as_json:
        info = {
            "output": str(output),
            "format": to.value,
            "bytes": len(done.data),
            "sha256": hashlib.sha256(done.data).hexdigest(),
            "warnings": list(done.warnings),
        }
        typer.echo(json.dumps(info, indent=2))
