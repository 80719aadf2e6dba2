"""The ledger report, the SAI Item 19(g) table and the dealer statement on the AIM demo ledger:
every format builds, same bytes twice, figures equal the stages' (verify, payables, trails)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from readback import cents, names, overflows, pdf_text, save_pngs, sheet_rows
from reports_demo import STAMP, Demo

from distplan.errors import InputError
from distplan.reports import Report, write
from distplan.reports.common import Scope
from distplan.reports.dealer import dealer_statement
from distplan.reports.ledger_report import ledger_report
from distplan.reports.sai import fiscal_months, sai
from distplan.reports.sources import read_positions, trails

FYE = date(2004, 6, 30)


@pytest.fixture(scope="module")
def ledger(scope: Scope) -> Report:
    return ledger_report(scope, date(2003, 12, 31), generated_at=STAMP)


@pytest.fixture(scope="module")
def expenses(demo: Demo) -> Path:
    path = demo.root / "expenses.csv"
    path.write_text(
        "month,fund,share_class,category,amount\n"
        "2003-12,INVESCO Leisure Fund,Investor,advertising,1200000.00\n"  # more than the fee
        "2003-12,INVESCO Leisure Fund,Investor,broker_dealers,300000.00\n"
        "2004-01,INVESCO Energy Fund,Investor,printing,1000.00\n"
        "2004-06,INVESCO Leisure Fund,Investor,other,5000000.00\n"  # more than June's fee: carried over
    )
    return path


@pytest.fixture(scope="module")
def year(scope: Scope, demo: Demo, expenses: Path) -> Report:
    return sai(scope, demo.nav, FYE, generated_at=STAMP, expenses=expenses)


@pytest.fixture(scope="module")
def dealer(scope: Scope, demo: Demo) -> Report:
    return dealer_statement(scope, demo.positions, "2004-Q1", "D1", generated_at=STAMP)


def test_ledger_report_ties_to_the_ledger(ledger: Report, scope: Scope, tmp_path: Path) -> None:
    chain = scope.workspace.verify()
    assert chain.ok and ("Verify", "ok") in ledger.facts
    entries = next(s for s in ledger.sections if s.title == "Ledger entries")
    assert [r[0] for r in entries.rows] == list(range(1, chain.entries + 1))
    assert entries.rows[-1][7] == chain.head
    assert {r[1] for r in entries.rows} >= {"instrument", "terms", "governance", "dealers"}
    assert entries.rows[0][4] == "2003-12-01 12:00:00 UTC"  # recorded at, to the second
    data, _ = write(ledger, "pdf")
    text = pdf_text(data)
    assert chain.head in " ".join(text.split()) and names(text, "INVESCO Leisure Fund")
    assert overflows(ledger) == []
    save_pngs(data, tmp_path, "ledger")
    rows = sheet_rows(write(ledger, "xlsx")[0], "Schedule")
    assert Decimal(str(next(r for r in rows if r[1] == "INVESCO Leisure Fund")[4])) == Decimal("0.0025")


def test_sai_categories_and_carry_over(year: Report, scope: Scope, demo: Demo, tmp_path: Path) -> None:
    spending, relation, carried = year.sections
    leisure = next(r for r in spending.rows if r[0] == "INVESCO Leisure Fund")
    assert leisure[2:] == tuple(
        Decimal(x) for x in ("1200000", "0", "0", "300000", "0", "0", "5000000", "6500000")
    )
    row = next(r for r in carried.rows if r[0] == "INVESCO Leisure Fund")
    expenses, carried_in, paid, over, assets, share = row[2:]
    assert expenses == paid + over and carried_in == Decimal("0.00") and over > 0  # type: ignore[operator]
    assert share == (over * 100 / assets).quantize(Decimal("0.0001"))  # type: ignore[operator]
    assert "Reimbursement plan" in relation.notes[0]
    data = write(year, "xlsx")[0]
    sheet = sheet_rows(data, "19(g)(3) carried")
    got = next(r for r in sheet if r[0] == "INVESCO Leisure Fund")
    assert cents(got[5]) == over and Decimal(str(got[7])) == share / 100  # type: ignore[operator]
    pdf = write(year, "pdf")[0]
    assert "Item 19(g)(3)" in pdf_text(pdf) and overflows(year) == []
    save_pngs(pdf, tmp_path, "sai")
    from docx import Document

    doc = Document(io.BytesIO(write(year, "docx")[0]))
    assert len(doc.tables) == 2 and doc.tables[0].rows[0].cells[2].text == "(i) Advertising"


def test_sai_compensation_says_the_split_is_missing(scope: Scope, demo: Demo) -> None:
    report = sai(scope, demo.nav, FYE, generated_at=STAMP)
    spending = report.sections[0]
    assert [c.name for c in spending.columns] == ["Fund", "Class", "Total paid"]
    assert "not in the record" in spending.notes[0] and len(report.sections) == 2
    fees = sum(
        (
            r["fee"]
            for y, m in fiscal_months(FYE)
            for r in scope.workspace.payables(None, demo.nav, y, m).table.to_pylist()
        ),
        Decimal(0),
    )
    assert spending.total is not None and spending.total[2] == fees


def test_fiscal_year_end_must_end_a_month() -> None:
    assert fiscal_months(FYE)[0] == (2003, 7) and fiscal_months(FYE)[-1] == (2004, 6)
    with pytest.raises(InputError, match="last day of a month"):
        fiscal_months(date(2004, 6, 29))


def test_dealer_statement_equals_the_trails(dealer: Report, scope: Scope, demo: Demo, tmp_path: Path) -> None:
    result = trails(scope, read_positions(demo.positions), "2004-Q1")
    mine = [r for r in result.rows if r["dealer"] == "D1"]
    (section,) = dealer.sections
    assert len(section.rows) == len(mine) == 2
    total = next(t for t in result.totals if t["dealer"] == "D1")
    assert section.total is not None and section.total[4:9] == tuple(
        total[m] for m in ("accrued", "carried_in", "paid", "carried_out", "forfeited")
    )
    rows = sheet_rows(write(dealer, "xlsx")[0], "Trails")
    body = [r for r in rows if r[1] == "Investor"]
    assert sum(cents(r[6]) for r in body) == total["paid"]
    pdf = write(dealer, "pdf")[0]
    assert "Alpha Securities LLC" in pdf_text(pdf) and overflows(dealer) == []
    save_pngs(pdf, tmp_path, "dealer")


def test_unknown_dealer_is_named(scope: Scope, demo: Demo) -> None:
    with pytest.raises(InputError, match=r"--dealer 'D9': no such dealer \(dealers: D1, D2\)"):
        dealer_statement(scope, demo.positions, "2004-Q1", "D9", generated_at=STAMP)


@pytest.mark.parametrize(
    ("which", "fmts"),
    [("ledger", ("pdf", "xlsx", "html")), ("year", ("docx", "xlsx", "pdf")), ("dealer", ("pdf", "xlsx"))],
)
def test_same_bytes_twice(which: str, fmts: tuple[str, ...], request: pytest.FixtureRequest) -> None:
    report = request.getfixturevalue(which)
    for fmt in fmts:
        assert write(report, fmt)[0] == write(report, fmt)[0], fmt
