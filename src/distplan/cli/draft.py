"""CLI commands: `draft` (the next amendment from the plan's state and the changes named on the
command line, written as extract JSON; never recorded) and `preview` (a draft applied to a copy
of the plan's history: diff, coverage, findings with what clears each, the fee change). A thin
adapter over the Workspace's `draft` and `preview` (distplan.drafting)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from distplan.cli.app import DB_META, app
from distplan.cli.output import echo_json, out, styled
from distplan.errors import InputError, read_input_bytes
from distplan.validation import parse_date

PlanOpt = Annotated[
    str | None, typer.Option("--plan", help="Plan id or a unique part of its name (omit with one plan).")
]
ListOpt = Annotated[list[str] | None, typer.Option()]
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _workspace(ctx: typer.Context) -> Any:
    from distplan.app import Workspace
    from distplan.ledger import Ledger

    url = ctx.find_root().meta.get(DB_META)
    return Workspace(Ledger.open(url if isinstance(url, str) else None, create=False))


@app.command()
def draft(
    ctx: typer.Context,
    as_of: Annotated[str, typer.Option("--as-of", help="The day whose schedule the draft amends.")],
    effective: Annotated[str, typer.Option("--effective", help="The day the amendment takes effect.")],
    plan: PlanOpt = None,
    add: Annotated[
        list[str] | None, typer.Option("--add", metavar="FUND[:CLASS]", help="Add a fund (with --rates).")
    ] = None,
    rates: Annotated[
        list[str] | None,
        typer.Option(
            "--rates", metavar="D,S,A", help="Rates of the --add at the same position (percent a year)."
        ),
    ] = None,
    registrant: Annotated[
        list[str] | None,
        typer.Option(
            "--registrant", help="Registrant of the --add at the same position (default: its last one)."
        ),
    ] = None,
    remove: Annotated[
        list[str] | None, typer.Option("--remove", metavar="FUND[:CLASS]", help="Remove a fund.")
    ] = None,
    rename: Annotated[
        list[str] | None, typer.Option("--rename", metavar="OLD=NEW", help="Rename a fund.")
    ] = None,
    set_rates: Annotated[
        list[str] | None,
        typer.Option(
            "--set-rates", metavar="FUND[:CLASS]:D,S,A", help="New rates (an empty part keeps the rate)."
        ),
    ] = None,
    replace_schedule: Annotated[
        Path | None,
        typer.Option("--replace-schedule", help="JSON rows (or extract JSON) of the new schedule."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the draft here (default: stdout).")
    ] = None,
) -> None:
    """Draft the next amendment from the plan's state (nothing is recorded)."""
    from distplan import drafting
    from distplan.model import instrument_to_json
    from distplan.outputs import write_atomic

    day, when = parse_date(as_of, "--as-of"), parse_date(effective, "--effective")
    changes = drafting.Changes(
        add=drafting.parse_additions(add or [], rates or [], registrant or []),
        remove=tuple(drafting.parse_target(t, "--remove") for t in remove or []),
        rename=tuple(drafting.parse_rename(t) for t in rename or []),
        set_rates=tuple(drafting.parse_set_rates(t) for t in set_rates or []),
        schedule=(
            drafting.read_schedule(read_input_bytes(replace_schedule, "schedule JSON"), str(replace_schedule))
            if replace_schedule is not None
            else None
        ),
    )
    if output is not None and output.is_dir():
        raise InputError(f"{output}: is a directory; give a file name to write")
    with _workspace(ctx) as ws:
        inst = ws.draft(plan, day, when, changes)
    text = json.dumps(instrument_to_json(inst), indent=2, ensure_ascii=False) + "\n"
    if output is None or str(output) == "-":
        echo_json(text.rstrip("\n"))
    else:
        write_atomic(output, text.encode("utf-8"))


@app.command()
def preview(
    ctx: typer.Context,
    draft_file: Annotated[
        Path, typer.Argument(metavar="DRAFT", help="A draft (`distplan draft -o`), or any amendment JSON.")
    ],
    nav: Annotated[
        Path | None, typer.Option("--nav", help="Net assets (.csv/.parquet): the fee change over 12 months.")
    ] = None,
    governance: Annotated[
        list[Path] | None,
        typer.Option("--governance", help="Also use these governance facts (not recorded): a what-if."),
    ] = None,
    plan: PlanOpt = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON instead of a report.")] = False,
) -> None:
    """What recording a draft would do: diff, coverage, findings, fees (nothing is written)."""
    from distplan.cli.render import read_instrument_json
    from distplan.compliance.governance import GovernanceFacts
    from distplan.compliance.loader import load_governance

    data = read_instrument_json(draft_file)
    if nav is not None:
        read_input_bytes(nav, "net assets")  # named now if unreadable, before the ledger is read
    extra = None
    for path in governance or []:
        extra = (extra or GovernanceFacts()).merge(load_governance(path))
    with _workspace(ctx) as ws:
        result = ws.preview(data, plan_ref=plan, nav=nav, extra=extra)
    if json_:
        echo_json(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return
    _report(result)


def _report(result: Any) -> None:
    counts = result.counts()
    d = result.draft
    out.print(styled(f"{d.title}, effective {d.effective_date} (not recorded)", "bold"))
    out.print(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))
    diff = result.diff
    for row in diff["added"]:
        out.print(styled(f"+ {row['fund']} ({row['share_class'] or '-'})", "green"))
    for row in diff["removed"]:
        out.print(styled(f"- {row['fund']} ({row['share_class'] or '-'})", "red"))
    for c in diff["changed"]:
        parts = "; ".join(f"{f}: {c['from'][f]} -> {c['to'][f]}" for f in c["fields"])
        out.print(styled(f"~ {c['fund']} ({c['share_class'] or '-'}): {parts}", "yellow"))
    out.print(f"coverage: {len(result.before)} periods before, {len(result.after)} after")
    for warning in result.warnings:
        out.print(styled(f"warning: {warning}", "yellow"))
    if not result.findings:
        out.print(styled("no findings: recording it as it stands clears the checks", "green"))
    for f, fix in result.findings:
        out.print(
            styled(
                f"{f.severity.upper()} {f.citation}: {f.subject.name}: {f.message}",
                _STYLE.get(f.severity, ""),
            )
        )
        out.print(f"    to clear: {fix}")
    if result.fees is not None:
        fees = result.fees
        table = Table(title=f"Fees {fees.start} to {fees.end} (baseline: the schedule it replaces)")
        for name in ("Fund", "Class", "Baseline", "Draft", "Change"):
            table.add_column(name, justify="left" if name in ("Fund", "Class") else "right")
        for f in fees.funds:
            if f.change:
                table.add_row(f.fund, f.share_class or "", str(f.baseline), str(f.reform), str(f.change))
        table.add_row(
            "Total (all funds)", "", *(str(fees.total(n)) for n in ("baseline", "reform", "change"))
        )
        out.print(table)
        for name in fees.not_in_nav:
            out.print(styled(f"warning: {name}: not in the net assets; left out of the fees", "yellow"))
