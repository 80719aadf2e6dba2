"""The SAI's Rule 12b-1 table (Form N-1A Item 19(g), DOMAIN.md section 4) for a fiscal year:
(1) the dollars spent per fund and class by category (i)-(vii) and in total; (2) how payments
relate to the distributor's expenses (compensation or reimbursement); (3) unreimbursed
amounts carried over, in dollars and as a % of net assets on the year's last day.

Figures: the twelve monthly payables (Workspace.payables); for a reimbursement plan the fees
stage's `reimburse` over the whole year in month order (so balances carry month to month),
with the expenses file giving the categories; net assets on the last day from the fees stage's
daily accrual rows. A compensation plan's payments are not split by category anywhere in the
record: the report says so and shows the total only, rather than invent a split.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from distplan.errors import InputError
from distplan.reports.common import ZERO, Scope, file_fact, ledger_facts
from distplan.reports.document import Cell, Column, Report, Section

LABELS = (
    "(i) Advertising",
    "(ii) Printing and mailing",
    "(iii) Underwriters",
    "(iv) Broker-dealers",
    "(v) Sales personnel",
    "(vi) Financing",
    "(vii) Other",
)
PERCENT = Decimal("0.0001")  # % of net assets, to four places (half-even)


def fiscal_months(year_end: date) -> list[tuple[int, int]]:
    if (year_end + timedelta(days=1)).day != 1:
        raise InputError(f"--fiscal-year-end {year_end}: expected the last day of a month")
    months, y, m = [], year_end.year, year_end.month
    for _ in range(12):
        months.append((y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return months[::-1]


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return row["fund"], row["share_class"] or ""


def _net_assets(scope: Scope, nav: Path, day: date) -> dict[tuple[str, str], Decimal]:
    from distplan.fees import accrue

    coverage = scope.workspace.coverage(scope.plan, scope.known_at).periods
    table = accrue(coverage, nav, day, day + timedelta(days=1)).table
    return {_key(r): r["net_assets"] for r in table.to_pylist()}


def sai(
    scope: Scope,
    nav: Path,
    year_end: date,
    *,
    generated_at: datetime,
    expenses: Path | None = None,
    carry_in: Path | None = None,
) -> Report:
    spent, brought = read_spending(expenses, carry_in)
    ws = scope.workspace
    views = [ws.payables(scope.plan, nav, y, m, known_at=scope.known_at) for y, m in fiscal_months(year_end)]
    by, warnings = tally(views, spent, brought)
    start = date(*fiscal_months(year_end)[0], 1)
    sections = spending_sections(scope, nav, by, spent is not None, year_end)
    sections.insert(1, _relationship(spent is not None))
    facts = [file_fact("Net assets", nav)]
    if expenses is not None:
        facts.append(file_fact("Expenses", expenses))
    if carry_in is not None:
        facts.append(file_fact("Carried in", carry_in))
    return Report(
        "sai",
        "Statement of Additional Information: Rule 12b-1 plan (Form N-1A Item 19(g))",
        views[0].plan.label,
        f"fiscal year {start.isoformat()} to {year_end.isoformat()}",
        generated_at,
        tuple(sections),
        facts=(*facts, *ledger_facts(scope)),
        warnings=tuple(dict.fromkeys(warnings)),
    )


def read_spending(
    expenses: Path | None, carry_in: Path | None
) -> tuple[list[Any] | None, dict[Any, Decimal]]:
    """The expenses by category and the balances brought forward, read before the ledger."""
    from distplan.fees.reimbursement import read_carry_in, read_expenses

    if carry_in is not None and expenses is None:
        raise InputError("--carry-in needs --expenses (a reimbursement plan's expenses by category)")
    spent = read_expenses(expenses) if expenses is not None else None
    return spent, (read_carry_in(carry_in) if carry_in is not None else {})


def tally(
    views: list[Any], spent: list[Any] | None, brought: dict[Any, Decimal]
) -> tuple[dict[tuple[str, str], dict[str, Any]], list[str]]:
    """Per fund and class over the months of `views` (Workspace.payables, in month order): the
    fee, and with expenses the fees stage's `reimburse` in month order (balances carry month to
    month, from `brought`): paid, expenses by category, carried in and over."""
    import pyarrow as pa

    from distplan.fees.reimbursement import CATEGORIES, reimburse

    table = pa.concat_tables([v.table for v in views])
    warnings = [w.message for v in views for w in v.warnings]
    if spent is not None:
        table, more = reimburse(table, spent, brought, carry_forward=True)
        warnings += [w.message for w in more]
    by: dict[tuple[str, str], dict[str, Any]] = {}
    for r in sorted(table.to_pylist(), key=lambda r: r["month"]):
        acc = by.setdefault(_key(r), {"fee": ZERO, "paid": ZERO, "expenses": ZERO, "carry_in": None})
        acc["fee"] += r["fee"]
        if spent is not None:
            acc["paid"] += r["paid"]
            acc["expenses"] += r["expenses"]
            acc["carry_in"] = r["carry_in"] if acc["carry_in"] is None else acc["carry_in"]
            acc["carry_out"] = r["carry_out"]
            for c in CATEGORIES:
                acc[c] = acc.get(c, ZERO) + r[f"expense_{c}"]
    return by, warnings


def spending_sections(
    scope: Scope, nav: Path, by: dict[tuple[str, str], dict[str, Any]], split: bool, day: date
) -> list[Section]:
    """Item 19(g)(1) spending by category and, for a reimbursement plan, (3) the amounts
    carried over at `day` in dollars and as a % of that day's net assets."""
    from distplan.fees.reimbursement import CATEGORIES

    keys = sorted(by)
    sections = [_spending(by, keys, split, CATEGORIES)]
    if split:
        sections.append(_carried(by, keys, _net_assets(scope, nav, day), day))
    return sections


def _spending(
    by: dict[Any, dict[str, Any]], keys: list[Any], split: bool, categories: tuple[str, ...]
) -> Section:
    head = (Column("Fund"), Column("Class"))
    if not split:
        return Section(
            "Item 19(g)(1): amounts paid under the plan",
            (*head, Column("Total paid", "money")),
            tuple((f, c, by[(f, c)]["fee"]) for f, c in keys),
            ("Total", None, sum((by[k]["fee"] for k in keys), ZERO)),
            notes=(
                "The split by category (i)-(vii) is not in the record: a compensation plan's fee is "
                "paid whatever the distributor spends, and no expenses by category were given "
                "(--plan-type reimbursement --expenses FILE). Only the total is shown; the "
                "categories must come from the distributor.",
            ),
            sheet="19(g)(1) spending",
        )
    rows: list[tuple[Cell, ...]] = [
        (f, c, *(by[(f, c)].get(cat, ZERO) for cat in categories), by[(f, c)]["expenses"]) for f, c in keys
    ]
    sums = tuple(sum((Decimal(str(r[2 + i])) for r in rows), ZERO) for i in range(len(categories) + 1))
    return Section(
        "Item 19(g)(1): amounts spent by category",
        (*head, *(Column(n, "money") for n in LABELS), Column("Total", "money")),
        tuple(rows),
        ("Total", None, *sums),
        notes=("Expenses incurred under the plan as recorded in the expenses file, by category.",),
        sheet="19(g)(1) spending",
    )


def _relationship(reimbursement: bool) -> Section:
    text = (
        "Reimbursement plan: the fund reimburses the distributor's expenses, up to the plan's rate "
        "of average daily net assets; amounts above the cap are carried over (Item 19(g)(3))."
        if reimbursement
        else "Compensation plan: the fund pays the distributor the plan's rate of average daily net "
        "assets whatever the distributor spends; the distributor keeps any excess and bears any "
        "shortfall, and no unreimbursed amount is carried over by the fund."
    )
    return Section("Item 19(g)(2): payments and the distributor's expenses", notes=(text,), sheet="19(g)(2)")


def _carried(
    by: dict[Any, dict[str, Any]], keys: list[Any], assets: dict[tuple[str, str], Decimal], day: date
) -> Section:
    rows: list[tuple[Cell, ...]] = []
    for f, c in keys:
        a = by[(f, c)]
        held = assets.get((f, c))
        share = (a["carry_out"] * 100 / held).quantize(PERCENT, ROUND_HALF_EVEN) if held else None
        rows.append(
            (
                f,
                c,
                a["expenses"],
                a["carry_in"],
                a["paid"],
                a["carry_out"],
                held.quantize(Decimal("0.01")) if held else None,
                share,
            )
        )
    return Section(
        f"Item 19(g)(3): unreimbursed amounts carried over at {day.isoformat()}",
        (
            Column("Fund"),
            Column("Class"),
            Column("Expenses", "money"),
            Column("Carried in", "money"),
            Column("Paid by the fund", "money"),
            Column("Carried over", "money"),
            Column(f"Net assets {day.isoformat()}", "money"),
            Column("% of net assets", "rate"),
        ),
        tuple(rows),
        notes=(
            "Net assets: the NAV struck on or before the year's last day (the daily accrual's basis); "
            "the percentage is rounded half-even to four places. Blank: not covered on that day.",
        ),
        sheet="19(g)(3) carried",
    )
