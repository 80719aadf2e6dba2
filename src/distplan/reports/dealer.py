"""A dealer's trail statement for a payment period: per fund and class, the days, average
eligible assets, accrued, carried in, paid, carried out and forfeited, and the due date; the
dealer's totals. The figures are the fees stage's `trails` (what `distplan fees trails`
prints), on the Workspace's coverage and dealer agreements."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from distplan.errors import InputError
from distplan.reports.common import Scope, amounts, file_fact, ledger_facts
from distplan.reports.document import Column, Report, Section
from distplan.reports.sources import TRAIL_MONEY, read_positions, trails


def dealer_statement(
    scope: Scope, positions: Path, period: str, dealer: str, *, generated_at: datetime
) -> Report:
    held = read_positions(positions)
    known = {d.id: d for d in scope.workspace.dealers(scope.known_at)}
    if dealer not in known:
        listed = ", ".join(sorted(known)) or "none recorded"
        raise InputError(f"--dealer {dealer!r}: no such dealer (dealers: {listed})")
    result = trails(scope, held, period)
    rows = [r for r in result.rows if r["dealer"] == dealer]
    total = next((t for t in result.totals if t["dealer"] == dealer), dict.fromkeys(TRAIL_MONEY, Decimal(0)))
    section = Section(
        f"Trails for {known[dealer].name} ({dealer})",
        (
            Column("Fund"),
            Column("Class"),
            Column("Days", "int"),
            Column("Average eligible assets", "money"),
            *(Column(n, "money") for n in ("Accrued", "Carried in", "Paid", "Carried out", "Forfeited")),
            Column("Due", "date"),
        ),
        tuple(
            (
                r["fund"],
                r["share_class"] or "",
                int(r["days"]),
                Decimal(str(r["average_eligible_assets"])),
                *amounts(r, TRAIL_MONEY),
                r["due_date"],
            )
            for r in sorted(rows, key=lambda r: (r["fund"], r["share_class"] or ""))
        ),
        ("Total", None, None, None, *amounts(total, TRAIL_MONEY), None),
        notes=(
            "Paid only if the dealer is of record on the period's last session (else forfeited); "
            "below the minimum payment, carried to the next period. Carried in + accrued = "
            "forfeited + paid + carried out.",
        ),
        sheet="Trails",
    )
    plan = scope.workspace.plan(scope.plan)
    return Report(
        "dealer",
        "Dealer trail statement",
        plan.label,
        period,
        generated_at,
        (section,),
        facts=(
            ("Dealer", f"{known[dealer].name} ({dealer})"),
            file_fact("Positions", positions),
            *ledger_facts(scope),
        ),
        warnings=tuple(result.warnings),
    )
