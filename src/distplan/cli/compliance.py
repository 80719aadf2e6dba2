"""CLI commands: `check` (findings as of a date; exit 1 on any error finding, so it can gate a
pipeline), `calendar` (deadlines in a window) and `rules` (the rulebook). They read the plan's
instruments, rates and recorded governance facts from the ledger; `--governance FILE` adds the
facts of a governance file that is not recorded (a what-if, or a check before recording).
A thin adapter: the questions go to the Workspace (distplan.app), this module parses flags and prints."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from distplan.app import Workspace
from distplan.cli.app import app
from distplan.cli.ledger import (
    JsonOpt,
    KnownAtOpt,
    PlanOpt,
    emit_json,
    ledger_url,
    parse_date,
    parse_known_at,
)
from distplan.cli.output import out, styled
from distplan.compliance.dates import check_plausible
from distplan.compliance.findings import Finding, summary
from distplan.compliance.governance import GovernanceFacts
from distplan.compliance.loader import load_governance
from distplan.compliance.rulebook import Rulebook, load_rulebook
from distplan.errors import InputError

GovernanceOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--governance", help="Also use the facts of this governance file (not recorded). Repeatable."
    ),
]
RulebookOpt = Annotated[
    Path | None, typer.Option("--rulebook", help="A rulebook YAML file instead of the bundled one.")
]
_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _governance(files: list[Path] | None) -> GovernanceFacts:
    """The facts of --governance files (not recorded), all read before the ledger is."""
    extra = GovernanceFacts()
    for path in files or []:
        extra = extra.merge(load_governance(path))
    return extra


def _workspace(ctx: typer.Context) -> Workspace:
    return Workspace.open(ledger_url(ctx))


def _book(path: Path | None) -> Rulebook:
    return load_rulebook(path)


def _print_findings(findings: list[Finding], plan: str, as_of: date) -> None:
    counts = summary(findings)
    for severity in ("error", "warning", "info"):
        group = [f for f in findings if f.severity == severity]
        if not group:
            continue
        heading = {"error": "ERRORS", "warning": "WARNINGS", "info": "INFO"}[severity]
        out.print(styled(f"{heading} ({len(group)})", _STYLE[severity]))
        for f in group:
            out.print(
                f"  [{_STYLE[severity]}]{escape(f.citation)}[/]  [bold]{escape(f.subject.name)}[/]: "
                + escape(f.message),
                markup=True,
            )
            if f.subject.members and len(f.subject.members) > 1:
                shown = ", ".join(f.subject.members[:4]) + (" ..." if len(f.subject.members) > 4 else "")
                out.print(f"      for: {shown}", markup=False)
            for e in f.evidence[:4]:
                out.print(f"      evidence: {e.label()}", markup=False)
            if len(f.evidence) > 4:
                out.print(f"      evidence: ... {len(f.evidence) - 4} more (see --json)", markup=False)
    out.print(
        f"{plan} as of {as_of}: {counts['error']} error(s), {counts['warning']} warning(s), "
        f"{counts['info']} info",
        markup=False,
    )


@app.command()
def check(
    ctx: typer.Context,
    as_of: Annotated[str, typer.Option("--as-of", help="The date to check (YYYY-MM-DD).")],
    plan: PlanOpt = None,
    known_at: KnownAtOpt = None,
    governance: GovernanceOpt = None,
    rulebook: RulebookOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Run the Rule 12b-1 and FINRA Rule 2341 checks; exit 1 if any finding is an error."""
    day = check_plausible(parse_date(as_of, "--as-of"), "--as-of")
    book = _book(rulebook)
    extra = _governance(governance)
    with _workspace(ctx) as ws:
        view = ws.findings(plan, day, parse_known_at(known_at), extra=extra, rulebook=book)
    findings = view.findings
    if json_:
        emit_json(view.to_json())
    else:
        _print_findings(findings, view.plan.label, day)
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(1)


@app.command()
def calendar(
    ctx: typer.Context,
    from_: Annotated[str, typer.Option("--from", help="First day of the window; days left count from it.")],
    to: Annotated[str, typer.Option("--to", help="End of the window (exclusive).")],
    plan: PlanOpt = None,
    known_at: KnownAtOpt = None,
    governance: GovernanceOpt = None,
    rulebook: RulebookOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Deadlines in [--from, --to): annual continuances, quarterly report reviews, retention."""
    start = check_plausible(parse_date(from_, "--from"), "--from")
    end = check_plausible(parse_date(to, "--to"), "--to", exclusive_end=True)
    if end <= start:
        raise InputError(f"--to {end} must be after --from {start}")
    book = _book(rulebook)
    extra = _governance(governance)
    with _workspace(ctx) as ws:
        view = ws.calendar(plan, start, end, parse_known_at(known_at), extra=extra, rulebook=book)
    found, label = view.deadlines, view.plan.label
    if json_:
        emit_json(view.to_json())
        return
    if not found:
        out.print(f"{label}: no deadlines from {start} to {end}", markup=False)
        return
    table = Table(title=f"{label}: deadlines from {start} to {end} (exclusive)", title_justify="left")
    for column in ("due", "days", "status", "rule", "subject", "what"):
        table.add_column(column, overflow="fold")
    style = {"overdue": "bold red", "upcoming": "yellow", "met": "green", "date": "cyan"}
    for d in found:
        status = f"met {d.met_on}" if d.status == "met" else d.status
        table.add_row(
            d.due.isoformat(),
            str(d.days_left),
            styled(status, style.get(d.status, "")),
            d.citation,
            d.subject.name,
            d.description,
        )
    out.print(table)


@app.command()
def rules(rulebook: RulebookOpt = None, json_: JsonOpt = False) -> None:
    """The rulebook: each rule's citation, the dates it applies, and its thresholds."""
    book = _book(rulebook)
    if json_:
        emit_json({"rules": [r.to_json() for r in book.rules]})
        return
    table = Table(title="distplan rulebook", title_justify="left")
    for column in ("id", "citation", "applies", "severity", "params"):
        table.add_column(column, overflow="fold")
    for r in book.rules:
        until = f" to {r.applies_until}" if r.applies_until else ""
        params = ", ".join(f"{k}={v}" for k, v in r.params.items() if not isinstance(v, list))
        table.add_row(r.id, r.citation, f"from {r.applies_from}{until}", r.severity, params)
    out.print(table)
