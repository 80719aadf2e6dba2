"""CLI commands: `distplan dealers record FILE` and `distplan dealers list`, the distributor's
agreements with the broker-dealers it pays trails to (recorded in the ledger)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from distplan.cli.app import DB_META, app
from distplan.cli.ledger import (
    KnownAtOpt,
    RecordedAtOpt,
    known_at_json,
    now,
    parse_known_at,
    parse_recorded_at,
)
from distplan.cli.output import echo_json, err, out

dealers_app = typer.Typer(help="Dealer agreements: who is paid trails, at what rate.", no_args_is_help=True)
app.add_typer(dealers_app, name="dealers")


def _workspace(ctx: typer.Context, create: bool = False) -> Any:
    from distplan.app import Workspace
    from distplan.ledger import Ledger

    url = ctx.find_root().meta.get(DB_META)
    url = url if isinstance(url, str) else None
    return Workspace(Ledger.open(url, create=create))


@dealers_app.command("record")
def record(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Dealer agreements YAML.")],
    recorded_at: RecordedAtOpt = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Record a dealer agreements file (validated first: nothing is written on an error)."""
    from distplan.app.recording import Upload
    from distplan.compliance.yamlsafe import read_bounded
    from distplan.ledger.store import default_recorded_by

    at, _ = parse_recorded_at(recorded_at, now())
    upload = Upload(str(file), read_bounded(file, "a dealer agreements file"))
    with _workspace(ctx, create=True) as ws:
        entry, warnings = ws.record_dealers(upload, recorded_at=at, recorded_by=default_recorded_by())
    for w in warnings:
        err.print(f"warning: {w}", markup=False)
    if json_:
        echo_json(json.dumps({"path": str(file), "entry": entry.to_json() if entry else None}))
    elif entry is None:
        out.print(f"{file}: unchanged (already recorded)", markup=False)
    else:
        n = len(entry.payload["dealers"])
        out.print(f"{file}: recorded {n} dealer(s) as entry {entry.seq}", markup=False)


@dealers_app.command("list")
def list_dealers(
    ctx: typer.Context,
    known_at: KnownAtOpt = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The dealers and their agreements, as the ledger knows them."""
    from distplan.fees.agreements import to_payload

    point = parse_known_at(known_at)
    with _workspace(ctx) as ws:
        dealers = ws.dealers(point)
    body = to_payload(dealers, "")["dealers"]
    if json_:
        echo_json(json.dumps({"known_at": known_at_json(point), "dealers": body}))
        return
    if not dealers:
        out.print("no dealer agreements yet: distplan dealers record FILE", markup=False)
    for d in body:
        for a in d["agreements"]:
            funds = a["funds"] if a["funds"] == "all" else ", ".join(a["funds"])
            classes = a["share_classes"] if a["share_classes"] == "all" else ", ".join(a["share_classes"])
            out.print(
                f"{d['id']}\t{d['name']}\tfrom {a['effective']}\t{a['rate']}%\t{a['frequency']}\t"
                f"min {a['minimum_payment']}\tprepaid {a['prepaid_months']}m\tfunds: {funds}\tclasses: {classes}",
                markup=False,
            )
