"""The distributor's sections of the board report, each from one Workspace query: what the
distributor keeps of the quarter's fees after the dealers' trails (`Workspace.retention`), and
the FINRA Rule 2341(d) remaining amount on the quarter's last day (`Workspace.remaining`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from distplan.app.distributor import Run
from distplan.reports.common import ZERO, Scope, amounts
from distplan.reports.document import Column, Section

if TYPE_CHECKING:
    from distplan.fees.options import FeeResult

_REMAINING_NAMES = ("Gross sales", "Cap", "Interest", "Asset-based", "Loads", "CDSCs", "Charges", "Remaining")
RETENTION_MONEY = ("fee_distribution", "fee_service", "fee", "trails_accrued", "retained")


def retention_section(
    scope: Scope, nav: Path, held: Any, start: date, end: date, label: str, fees: FeeResult | None = None
) -> tuple[Section, list[str]]:
    """Per fund-class and month of [start, end): fees, trails accrued, kept; and the warnings.
    `fees`: the payables of those months when the report has them (not computed again)."""
    result = scope.workspace.retention(scope.plan, nav, held, start, end, Run(scope.known_at), fees=fees)
    rows = tuple(
        (r["month"], r["fund"], r["share_class"] or "", *amounts(r, RETENTION_MONEY[:4]), int(r["dealers"]),
         *amounts(r, RETENTION_MONEY[4:]))
        for r in result.rows
    )  # fmt: skip
    t = result.total
    warnings = [w.message for w in result.warnings]
    over = [w for w in warnings if "exceed the fund's fee" in w]
    section = Section(
        f"Distributor retention, {label}",
        (
            Column("Month"),
            Column("Fund"),
            Column("Class"),
            *(Column(n, "money") for n in ("Distribution fee", "Service fee", "Fee", "Trails accrued")),
            Column("Dealers", "int"),
            Column("Kept", "money"),
        ),
        rows,
        ("Quarter", None, None, *amounts(t, RETENTION_MONEY[:4]), None, *amounts(t, RETENTION_MONEY[4:])),
        notes=(
            "Kept = the fund's fee - the trails every dealer accrued on it that month, before "
            "forfeits and minimum-payment carries (settled per payment period: see the trails).",
            *over,
        ),
        sheet="Retention",
    )
    return section, warnings


def remaining_section(
    scope: Scope, nav: Path, sales: Any, prime: Any, day: date
) -> tuple[Section, list[str]]:
    """Per fund-class with an asset-based charge, the remaining amount on `day`, the first day
    it went below zero, and the 2341(d) findings; and the warnings."""
    from distplan.fees.remaining import MONEY, POLICY

    found = scope.workspace.remaining(scope.plan, nav, sales, prime, day, Run(scope.known_at))
    result = found.result
    rows = tuple(
        (r["fund"], r["share_class"] or "", *amounts(r, MONEY), r["first_negative"]) for r in result.rows
    )
    total = (
        "Total",
        None,
        *(sum((Decimal(str(r[2 + i])) for r in rows), ZERO) for i in range(len(MONEY))),
        None,
    )
    section = Section(
        f"FINRA Rule 2341(d) remaining amount on {day.isoformat()}",
        (
            Column("Fund"),
            Column("Class"),
            *(Column(n, "money") for n in _REMAINING_NAMES),
            Column("Below zero on", "date"),
        ),
        rows,
        total,
        notes=(
            f"From the sales file's first day, {result.start.isoformat()}, to {day.isoformat()} ({POLICY}). "
            "Remaining = cap + interest - (asset-based + loads retained + CDSCs).",
            *(f"{f.severity}: {f.citation}: {f.subject.name}: {f.message}" for f in found.findings),
        ),
        sheet="Remaining",
    )
    return section, list(result.warnings)
