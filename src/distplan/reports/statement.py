"""The distributor's monthly statement: what each fund owes the distributor for a month, per
registrant, fund and class (days, average daily net assets, fees by component, due date), with
the plan total and totals per registrant. Figures: `Workspace.payables` and the fees stage's
`totals`, as they are."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

from distplan.reports.common import (
    MONEY_COLUMNS,
    Scope,
    amounts,
    file_fact,
    ledger_facts,
    month_label,
    payable_cells,
    payable_columns,
)
from distplan.reports.document import Column, Report, Section


def statement(scope: Scope, nav: Path, year: int, month: int, *, generated_at: datetime) -> Report:
    from distplan.fees import totals

    view = scope.workspace.payables(scope.plan, nav, year, month, known_at=scope.known_at)
    rows = sorted(
        view.table.to_pylist(), key=lambda r: (r["registrant"] or "", r["fund"], r["share_class"] or "")
    )
    sums = totals(view.table)
    plan_total = sums["plans"][0] if sums["plans"] else dict.fromkeys(MONEY_COLUMNS, Decimal("0.00"))
    columns = payable_columns()
    main = Section(
        "Fees payable to the distributor",
        columns,
        tuple(payable_cells(r) for r in rows),
        ("Plan total", None, None, None, None, *amounts(plan_total), None),
        notes=(
            f"Accrued daily on each fund-class's net assets (rounding {view.rounding}); "
            "due dates are the 10th day after the month's end.",
        ),
        sheet="Statement",
    )
    by_registrant = Section(
        "Totals by registrant",
        (Column("Registrant"), *(Column(c.name, "money") for c in columns[5:8])),
        tuple((str(t["registrant"] or "(none)"), *amounts(t)) for t in sums["registrants"]),
        ("Plan total", *amounts(plan_total)),
        sheet="Registrants",
    )
    return Report(
        "statement",
        "Distribution fee statement",
        view.plan.label,
        f"{month_label(year, month)} ({view.month})",
        generated_at,
        (main, by_registrant),
        facts=(file_fact("Net assets", nav), *ledger_facts(scope)),
        warnings=tuple(w.message for w in dict.fromkeys(view.warnings)),
    )
