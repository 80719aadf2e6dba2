"""Sections several reports share, each from one application-layer query: the compliance
findings on a day, the deadlines of a window, the instruments in force (with seq and hash),
and the dealer trails of a period (`Workspace.trails`)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from distplan.reports.common import ZERO, Scope, amounts, moment
from distplan.reports.document import Column, Section

_SEVERITY = {"error": 0, "warning": 1, "info": 2}
TRAIL_MONEY = ("accrued", "carried_in", "paid", "carried_out", "forfeited")


def findings_section(scope: Scope, day: date) -> Section:
    view = scope.workspace.findings(scope.plan, day, scope.known_at)
    found = sorted(view.findings, key=lambda f: (_SEVERITY.get(f.severity, 3), f.citation, f.subject.name))
    counts = {s: sum(1 for f in found if f.severity == s) for s in _SEVERITY}
    return Section(
        f"Compliance findings open on {day.isoformat()}",
        (Column("Severity"), Column("Citation"), Column("Subject"), Column("Finding")),
        tuple((f.severity, f.citation, f.subject.name, f.message) for f in found),
        notes=(
            f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info: "
            "Rule 12b-1 and FINRA Rule 2341 checks on the ledger's instruments and governance facts.",
        ),
        sheet="Findings",
    )


def deadlines_section(scope: Scope, start: date, end: date, label: str) -> Section:
    view = scope.workspace.calendar(scope.plan, start, end, scope.known_at)
    return Section(
        f"Deadlines in {label}",
        (Column("Due", "date"), Column("Status"), Column("Citation"), Column("Subject"), Column("What")),
        tuple(
            (d.due, d.status, d.citation, d.subject.name, d.description)
            for d in sorted(view.deadlines, key=lambda d: (d.due, d.subject.name))
        ),
        notes=(f"Deadlines due from {start.isoformat()} to {(end - timedelta(days=1)).isoformat()}.",),
        sheet="Deadlines",
    )


def instruments_section(scope: Scope, day: date, *, every: bool = False) -> Section:
    """The instruments and terms in force on `day` (every entry of the plan's history with
    `every`), each with its ledger seq and hash, so the report can be tied to the ledger."""
    ws = scope.workspace
    view = ws.history(scope.plan, day, scope.known_at)
    items = [it for it in view.items if every or it.status == "in force"]
    return Section(
        f"Instruments in force on {day.isoformat()}"
        if not every
        else f"Plan history as of {day.isoformat()}",
        (
            Column("Seq", "int"),
            Column("Kind"),
            Column("Instrument"),
            Column("Effective", "date"),
            Column("Status"),
            Column("Recorded"),
            Column("Hash", "hash"),
        ),
        tuple(
            (
                it.seq,
                it.kind,
                it.label,
                it.effective_date,
                it.status,
                moment(it.recorded_at),
                ws.entry(it.seq).hash,
            )
            for it in items
        ),
        notes=tuple(view.warnings),
        sheet="Instruments" if not every else "History",
    )


def read_positions(path: Path) -> Any:
    """The positions file, checked by the fees stage (read before anything else, so its
    problems are named first)."""
    from distplan.fees.positions import read_positions as read

    return read(path)


def trails(scope: Scope, table: Any, period: str) -> Any:
    """The dealer trails for `period` (2004-Q1 or 2004-01) from positions read with
    `read_positions`: a fees.trails.TrailResult, from `Workspace.trails`."""
    from distplan.app.distributor import Run

    return scope.workspace.trails(scope.plan, table, period, Run(scope.known_at))


def trail_totals_section(result: Any, label: str) -> Section:
    cols = tuple(Column(n, "money") for n in ("Accrued", "Carried in", "Paid", "Carried out", "Forfeited"))
    rows = tuple((t["dealer"], t["dealer_name"], *amounts(t, TRAIL_MONEY)) for t in result.totals)
    total = ("Total", None, *(sum((Decimal(str(r[2 + i])) for r in rows), ZERO) for i in range(5)))
    return Section(
        f"Trails to dealers, {label}",
        (Column("Dealer"), Column("Name"), *cols),
        rows,
        total,
        notes=("Paid to dealers of record on the period's last session; below a minimum payment, carried.",),
        sheet="Trails",
    )
