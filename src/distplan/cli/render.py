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
from distplan.model import instrument_from_json
from distplan.outputs import write_atomic


class RenderFormat(StrEnum):
    text = "text"
    docx = "docx"
    pdf = "pdf"


def _redline(ctx: typer.Context, data: Any, author: str, when: str | None, plan: str | None) -> Any:
    from datetime import UTC, datetime

    from distplan.app import Workspace
    from distplan.cli.app import DB_META
    from distplan.documents.render import Rendered
    from distplan.ledger import Ledger

    name = " ".join(author.split())
    if not name or len(name) > 200 or not name.isprintable():
        raise InputError(f"--author {author!r}: a printable name of at most 200 characters")
    moment = datetime.now(UTC).replace(microsecond=0)
    if when is not None:
        try:
            moment = datetime.fromisoformat(when.strip())
        except ValueError:
            raise InputError(f"--date {when!r}: not an ISO date or time") from None
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    url = ctx.find_root().meta.get(DB_META)
    with Workspace(Ledger.open(url if isinstance(url, str) else None, create=False)) as ws:
        return Rendered(ws.redline(data, author=name, when=moment.astimezone(UTC), plan_ref=plan), ())


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
    ctx: typer.Context,
    extracted: Path = typer.Argument(
        ..., metavar="FILE", help="JSON printed by `distplan extract` (an Instrument); - reads stdin."
    ),
    to: RenderFormat = typer.Option(RenderFormat.text, "--to", help="Output format."),
    output: Path | None = typer.Option(
        None, "-o", "--output", metavar="OUT", help="Output file ('-' or omitted: stdout, text only)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print what was written as JSON."),
    redline: bool = typer.Option(
        False,
        "--redline",
        help="DOCX with Schedule A as tracked changes against the schedule in force (--db).",
    ),
    author: str = typer.Option("distplan", "--author", help="--redline: who the tracked changes name."),
    when: str | None = typer.Option(None, "--date", help="--redline: the changes' time (ISO; default now)."),
    plan: str | None = typer.Option(None, "--plan", help="--redline: plan id or a unique part of its name."),
) -> None:
    """Render an extracted plan document as canonical amendment text, DOCX or PDF."""
    import hashlib

    from distplan.documents.render import render_document

    data = read_instrument_json(extracted)
    inst = instrument_from_json(data, where=str(extracted))
    to_stdout = output is None or str(output) == "-"
    if redline and to is not RenderFormat.docx:
        raise InputError("--redline writes tracked changes into a DOCX: give --to docx")
    if to_stdout and to is not RenderFormat.text:
        raise InputError(f"--to {to.value} writes a binary file: give -o OUT")
    if output is not None and not to_stdout and output.is_dir():
        raise InputError(f"{output}: is a directory; give a file name to write")
    done = _redline(ctx, data, author, when, plan) if redline else render_document(inst, to.value)
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
