"""The board report's spending by N-1A category and carry-forward (--expenses, a reimbursement
plan): the quarter's months only, the same figures as the fees stage's `reimburse` over those
months, read back from the XLSX to the cent; --carry-in without --expenses is one line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest
from readback import cents, pdf_text, sheet_rows
from reports_demo import STAMP, Demo

from aim_inputs import run_cli
from distplan.fees.reimbursement import read_expenses, reimburse
from distplan.reports import Report, write
from distplan.reports.board import Quarter, board
from distplan.reports.common import Scope

Q4 = Quarter(2003, 4)
LEISURE = "INVESCO Leisure Fund"


@pytest.fixture(scope="module")
def expenses(demo: Demo) -> Path:
    path = demo.root / "board-expenses.csv"
    path.write_text(
        "month,fund,share_class,category,amount\n"
        f"2003-10,{LEISURE},Investor,advertising,100000.00\n"  # before Leisure is covered: said, ignored
        f"2003-12,{LEISURE},Investor,advertising,1200000.00\n"  # more than December's fee: carried over
        f"2003-12,{LEISURE},Investor,broker_dealers,300000.00\n"
        f"2004-01,{LEISURE},Investor,other,777.00\n"  # after the quarter: not in it
    )
    return path


@pytest.fixture(scope="module")
def report(scope: Scope, demo: Demo, expenses: Path) -> Report:
    return board(scope, demo.nav, Q4, generated_at=STAMP, expenses=expenses)


def test_spending_by_category_is_the_quarters(
    report: Report, scope: Scope, demo: Demo, expenses: Path
) -> None:
    spending = next(s for s in report.sections if s.title.startswith("Item 19(g)(1)"))
    leisure = next(r for r in spending.rows if r[0] == LEISURE)
    assert leisure[2:] == tuple(Decimal(x) for x in ("1200000", "0", "0", "300000", "0", "0", "0", "1500000"))
    # The carry-over equals the fees stage's reimbursement over the same three months.
    views = [scope.workspace.payables(scope.plan, demo.nav, y, m) for y, m in Q4.months]
    table, _ = reimburse(pa.concat_tables([v.table for v in views]), read_expenses(expenses), {})
    december = next(r for r in table.to_pylist() if r["fund"] == LEISURE and r["month"].endswith("12"))
    carried = next(s for s in report.sections if s.title.startswith("Item 19(g)(3)"))
    row = next(r for r in carried.rows if r[0] == LEISURE)
    assert row[5] == december["carry_out"] > 0
    assert row[2] == Decimal("1500000") and row[3] == Decimal("0")
    assert any("no --carry-in" in w for w in report.warnings)
    said = " ".join(report.warnings)
    assert f"expenses for {LEISURE} (Investor) in 2003-10 have no payable; ignored" in said  # as written
    assert "2004-01" not in said  # outside the quarter: not this report's, not a warning
    sheet = sheet_rows(write(report, "xlsx")[0], "19(g)(3) carried")
    assert cents(next(r for r in sheet if r[0] == LEISURE)[5]) == december["carry_out"]
    assert "Item 19(g)(1)" in pdf_text(write(report, "pdf")[0])


def test_carry_in_needs_expenses(demo: Demo, expenses: Path) -> None:
    out = demo.root / "b.pdf"
    result = run_cli("--db", demo.url, "report", "board", "--quarter", "2003Q4", "--nav", str(demo.nav),
                     "--carry-in", str(expenses), "-o", str(out))  # fmt: skip
    assert result.code == 2 and "--carry-in needs --expenses" in result.err and not out.exists()
