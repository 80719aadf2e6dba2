"""CLI commands that read the plan's history: plans, schedule, diff, timeline, history, verify.
Thin adapters over the Workspace (distplan.app): parse the flags, ask it, print its answer
(`--json` prints the answer's `to_json`, the JSON the API returns)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from distplan.cli.app import app
from distplan.cli.options import (
    JsonOpt,
    KnownAtOpt,
    PlanOpt,
    emit_json,
    now,
    parse_date,
    parse_known_at,
    show_warnings,
    workspace,
)
from distplan.cli.output import error_line, out


def _rate(value: str | None) -> str:
    return "" if value is None else f"{value}%"


@app.command()
def plans(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """List the plans in the ledger."""
    with workspace(ctx) as ws:
        found = ws.plans()
    if json_:
        emit_json({"plans": [p.to_json() for p in found]})
        return
    if not found:
        out.print("no plans yet: record an instrument (distplan record FILE)")
        return
    table = Table("id", "title", "share class", "instruments")
    for p in found:
        table.add_row(str(p.plan.id), p.plan.title, p.plan.share_class or "", str(p.instruments))
    out.print(table)


@app.command()
def schedule(
    ctx: typer.Context,
    as_of: Annotated[str, typer.Option("--as-of", help="The day (valid time).")],
    known_at: KnownAtOpt = None,
    plan: PlanOpt = None,
    json_: JsonOpt = False,
) -> None:
    """The schedule in force on a day, with rates and the instrument behind each row."""
    day = parse_date(as_of, "--as-of")
    point = parse_known_at(known_at)
    with workspace(ctx) as ws:
        view = ws.schedule(plan, day, point)
    if json_:
        emit_json(view.to_json(), row_lists=("rows",))
        return
    state = view.state
    show_warnings(list(state.warnings))
    out.print(f"{view.plan.label}: {state.message()}")
    if not state.rows:
        return
    table = Table(
        "registrant", "fund", "class", "distribution", "service", "aggregate", "since", "instrument"
    )
    for line in state.rows:
        r = line.rates()
        table.add_row(
            line.registrant or "",
            line.fund,
            line.share_class or "",
            _rate(r["distribution_fee"]),
            _rate(r["service_fee"]),
            _rate(r["aggregate_fee"]),
            line.since.isoformat(),
            line.instrument,
        )
    out.print(table)


@app.command()
def diff(
    ctx: typer.Context,
    from_: Annotated[str, typer.Option("--from", help="Earlier day.")],
    to: Annotated[str, typer.Option("--to", help="Later day.")],
    known_at: KnownAtOpt = None,
    plan: PlanOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Rows added, removed and changed between two days."""
    start, end = parse_date(from_, "--from"), parse_date(to, "--to")
    point = parse_known_at(known_at)
    with workspace(ctx) as ws:
        view = ws.diff(plan, start, end, point)
    if json_:
        emit_json(view.to_json())
        return
    result = view.result
    out.print(
        f"{view.plan.label}, {start} -> {end}: {len(result['added'])} added, "
        f"{len(result['removed'])} removed, {len(result['changed'])} changed"
    )
    for row in result["added"]:
        out.print(
            f"  + {row['fund']} ({row['share_class'] or '-'}), {row['registrant']}  [{row['instrument']}]"
        )
    for row in result["removed"]:
        out.print(f"  - {row['fund']} ({row['share_class'] or '-'}), {row['registrant']}")
    for ch in result["changed"]:
        parts = "; ".join(f"{f}: {ch['from'][f]} -> {ch['to'][f]}" for f in ch["fields"])
        out.print(f"  ~ {ch['fund']} ({ch['share_class'] or '-'}): {parts}  [{ch['instrument']}]")


@app.command()
def timeline(
    ctx: typer.Context,
    fund: Annotated[str, typer.Argument(help="Fund name (case and punctuation ignored).")],
    share_class: Annotated[str | None, typer.Option("--class", help="Only this share class.")] = None,
    known_at: KnownAtOpt = None,
    plan: PlanOpt = None,
    json_: JsonOpt = False,
) -> None:
    """A fund's coverage by the plan over time, split wherever anything about it changed."""
    point = parse_known_at(known_at)
    with workspace(ctx) as ws:
        view = ws.timeline(plan, fund, share_class, point)
    if json_:
        emit_json(view.to_json())
        return
    result = view.result
    spans = ", ".join(f"[{c['start']}, {c['end'] or '...'})" for c in result["coverage"]) or "never covered"
    out.print(f"{result['fund']} under {view.plan.label}: covered {spans}")
    table = Table("start", "end", "registrant", "class", "distribution", "service", "aggregate", "instrument")
    for p in result["periods"]:
        table.add_row(
            p["start"],
            p["end"] or "",
            p["registrant"] or "",
            p["share_class"] or "",
            _rate(p["rates"]["distribution_fee"]),
            _rate(p["rates"]["service_fee"]),
            _rate(p["rates"]["aggregate_fee"]),
            p["instrument"],
        )
    out.print(table)


@app.command("history")
def history_cmd(
    ctx: typer.Context,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Status as of this day (default today).")
    ] = None,
    known_at: KnownAtOpt = None,
    plan: PlanOpt = None,
    json_: JsonOpt = False,
) -> None:
    """The plan's instruments and terms in effective order, with their status and who
    recorded them."""
    day = parse_date(as_of, "--as-of") if as_of else now().date()
    point = parse_known_at(known_at)
    with workspace(ctx) as ws:
        view = ws.history(plan, day, point)
    if json_:
        emit_json(view.to_json())
        return
    show_warnings(view.warnings)
    table = Table("seq", "effective", "instrument", "recorded at", "recorded by", "status")
    for it in view.items:
        status = it.status + (f" ({it.note})" if it.note else "")
        table.add_row(
            str(it.seq),
            it.effective_date.isoformat() if it.effective_date else "",
            it.label,
            it.recorded_at,
            view.recorded_by.get(it.seq) or "",
            status,
        )
    out.print(f"{view.plan.label}, status as of {day}:")
    out.print(table)


@app.command()
def verify(
    ctx: typer.Context,
    expect_head: Annotated[
        str | None,
        typer.Option(
            "--expect-head", help="A head hash noted earlier; fail if it is no longer in the chain."
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Recompute the hash chain; exit 1 naming the first broken entry."""
    with workspace(ctx) as ws:
        report = ws.verify(expect_head)
    if json_:
        emit_json(report.to_json())
    elif report.ok:
        out.print(f"ok: {report.entries} entries, chain intact (head {report.head})")
    else:
        where = f"entry {report.first_broken}" if report.first_broken is not None else "the ledger"
        error_line(f"chain broken at {where}: {report.problem}")
    if not report.ok:
        raise typer.Exit(code=1)
