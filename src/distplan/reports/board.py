"""The board's quarterly report under Rule 12b-1(b)(3)(ii) (DOMAIN.md section 4): the common.amounts
spent under the plan and to whom, per fund and class, with the plan's totals; the compliance
findings open on the quarter's last day and the next quarter's deadlines; the instruments in
force, with ledger seq and hash. Charts: fees by month and by fund.

Every figure is a Workspace result: the three monthly payables (ADNA and fees by component,
each month as the fees stage computes it; the quarter's fee is their sum), findings, calendar,
history; with positions, the dealer trails and the distributor's retention per month; with
sales and prime rates, the FINRA Rule 2341(d) remaining amount on the quarter's last day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from distplan.errors import InputError
from distplan.reports import common
from distplan.reports.distributor import remaining_section, retention_section
from distplan.reports.document import Chart, Column, Report, Section, Series
from distplan.reports.sources import (
    deadlines_section,
    findings_section,
    instruments_section,
    read_positions,
    trail_totals_section,
    trails,
)

_QUARTER = re.compile(r"(\d{4})-?[Qq]([1-4])")


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        found = _QUARTER.fullmatch(text.strip())
        if not found:
            raise InputError(f"--quarter {text!r}: expected a quarter such as 2003Q4 or 2003-Q4")
        return cls(int(found.group(1)), int(found.group(2)))

    @property
    def months(self) -> list[tuple[int, int]]:
        return [(self.year, 3 * self.number - 2 + i) for i in range(3)]

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return date(self.year + 1, 1, 1) if self.number == 4 else date(self.year, 3 * self.number + 1, 1)

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"

    def next(self) -> Quarter:
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)


def _month_section(views: list[Any]) -> Section:
    from distplan.fees import totals

    rows = []
    for view in views:
        plan = (
            totals(view.table)["plans"] or [dict.fromkeys((*common.MONEY_COLUMNS, "payable"), common.ZERO)]
        )[0]
        dues = sorted({r["due_date"] for r in view.table.to_pylist()})
        rows.append(
            (view.month, *common.amounts(plan, (*common.MONEY_COLUMNS, "payable")), dues[0] if dues else None)
        )
    money = [
        Column(n, "money") for n in ("Distribution fee", "Service fee", "Fee accrued", "Paid to distributor")
    ]
    total = ("Quarter", *(sum((Decimal(str(r[1 + i])) for r in rows), common.ZERO) for i in range(4)), None)
    chart = Chart(
        "Fees by month",
        tuple(common.month_label(*map(int, str(r[0]).split("-"))) for r in rows),
        (
            Series("Distribution", tuple(Decimal(str(r[1])) for r in rows)),
            Series("Service", tuple(Decimal(str(r[2])) for r in rows)),
        ),
    )
    return Section(
        "Plan totals by month",
        (Column("Month"), *money, Column("Due", "date")),
        tuple(rows),
        total,
        notes=("Paid to the distributor: the monthly payable, due on the date shown.",),
        chart=chart,
        sheet="Plan totals",
    )


def _fund_section(rows: list[dict[str, Any]], label: str) -> Section:
    """The quarter per fund and class: the sum of its months (a registrant renamed during the
    quarter shows under its latest name)."""
    by: dict[tuple[str, str], dict[str, Any]] = {}
    for r in sorted(rows, key=lambda r: r["month"]):
        key = (r["fund"], r["share_class"] or "")
        acc = by.setdefault(key, {"days": 0, **dict.fromkeys(common.MONEY_COLUMNS, common.ZERO)})
        acc["registrant"] = r["registrant"] or ""
        acc["days"] += int(r["days"])
        for c in common.MONEY_COLUMNS:
            acc[c] += r[c]
    keys = sorted(by, key=lambda k: (by[k]["registrant"], k))
    table = tuple((by[k]["registrant"], k[0], k[1], by[k]["days"], *common.amounts(by[k])) for k in keys)
    sums = tuple(sum((Decimal(str(r[4 + i])) for r in table), common.ZERO) for i in range(3))
    chart = Chart(
        f"Fees by fund, {label}",
        tuple(f"{k[0]} ({k[1]})" if k[1] else k[0] for k in keys),
        (
            Series("Distribution", tuple(by[k]["fee_distribution"] for k in keys)),
            Series("Service", tuple(by[k]["fee_service"] for k in keys)),
        ),
        horizontal=True,
    )
    return Section(
        f"Fees by fund and class, {label}",
        (
            Column("Registrant"),
            Column("Fund"),
            Column("Class"),
            Column("Days covered", "int"),
            *(Column(n, "money") for n in ("Distribution fee", "Service fee", "Fee")),
        ),
        table,
        ("Plan total", None, None, None, *sums),
        chart=chart,
        sheet="By fund",
    )


def _detail_section(rows: list[dict[str, Any]]) -> Section:
    ordered = sorted(
        rows, key=lambda r: (r["registrant"] or "", r["fund"], r["share_class"] or "", r["month"])
    )
    sums = tuple(sum((r[c] for r in rows), common.ZERO) for c in common.MONEY_COLUMNS)
    return Section(
        "Monthly payables by fund and class",
        common.payable_columns(month=True),
        tuple(common.payable_cells(r, month=True) for r in ordered),
        ("Plan total", None, None, None, None, None, *sums, None),
        notes=("Average daily net assets over each month's covered days, as the fee engine computes them.",),
        sheet="Monthly",
    )


def board(
    scope: common.Scope,
    nav: Path,
    quarter: Quarter,
    *,
    generated_at: datetime,
    positions: Path | None = None,
    sales: Path | None = None,
    prime: Path | None = None,
    expenses: Path | None = None,
    carry_in: Path | None = None,
) -> Report:
    from distplan.app.distributor import prime_of, sales_of
    from distplan.reports.sai import read_spending, spending_sections, tally

    ws = scope.workspace
    if (sales is None) != (prime is None):
        raise InputError("--sales FILE and --prime FILE go together")
    held = read_positions(positions) if positions is not None else None
    sold = sales_of(sales) if sales is not None else None  # the user's files first
    rates = prime_of(prime) if prime is not None else None
    spent, brought = read_spending(expenses, carry_in) if expenses is not None or carry_in else (None, {})
    views = [ws.payables(scope.plan, nav, y, m, known_at=scope.known_at) for y, m in quarter.months]
    rows = [r for v in views for r in v.table.to_pylist()]
    last = quarter.end - timedelta(days=1)
    following = quarter.next()
    sections = [
        _month_section(views),
        _fund_section(rows, quarter.label),
        _detail_section(rows),
    ]
    facts = [common.file_fact("Net assets", nav)]
    warnings = [w.message for v in views for w in v.warnings]
    if positions is not None:
        facts.append(common.file_fact("Dealer positions", positions))
        result = trails(scope, held, quarter.label)
        sections.append(trail_totals_section(result, quarter.label))
        warnings.extend(result.warnings)
        import pyarrow as pa

        from distplan.fees.options import FeeResult

        paid = FeeResult(pa.concat_tables([v.table for v in views]))  # the months' payables, run above
        kept, more = retention_section(scope, nav, held, quarter.start, quarter.end, quarter.label, paid)
        sections.append(kept)
        warnings.extend(more)
    if spent is not None:
        # A reimbursement plan's spending by N-1A category and carry-forward over the quarter's
        # months: balances carry month to month from --carry-in (else from zero at its start).
        months = {f"{y:04d}-{m:02d}" for y, m in quarter.months}  # the rest of the file is not this report's
        by, more = tally(views, [e for e in spent if e.month in months], brought)
        sections += spending_sections(scope, nav, by, True, last)
        facts.append(common.file_fact("Expenses", expenses))  # type: ignore[arg-type]
        if carry_in is not None:
            facts.append(common.file_fact("Carried in", carry_in))
        else:
            warnings.append(
                f"no --carry-in: unreimbursed balances start at zero on {quarter.start.isoformat()}"
            )
        warnings.extend(more)
    if sales is not None and prime is not None:
        facts += [common.file_fact("Sales", sales), common.file_fact("Prime rates", prime)]
        left, more = remaining_section(scope, nav, sold, rates, last)
        sections.append(left)
        warnings.extend(more)
    sections += [
        findings_section(scope, last),
        deadlines_section(scope, quarter.end, following.end, f"{following.label} (the next quarter)"),
        instruments_section(scope, last),
    ]
    return Report(
        "board",
        "Quarterly report to the board under Rule 12b-1(b)(3)(ii)",
        views[0].plan.label,
        f"{quarter.label} ({quarter.start.isoformat()} to {last.isoformat()})",
        generated_at,
        tuple(sections),
        facts=(*facts, *common.ledger_facts(scope)),
        warnings=tuple(dict.fromkeys(warnings)),
    )
