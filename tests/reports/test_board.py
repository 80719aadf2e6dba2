"""The board's quarterly report for 2003Q4 on the AIM demo ledger: every format builds, the
XLSX equals the payables to the cent, the PDF names every fund and the plan total, the pages
fit, the same bytes twice; the findings, deadlines and instruments come from the ledger."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from readback import cents, names, overflows, pdf_pages, pdf_text, save_pngs, sheet_rows
from reports_demo import STAMP, Demo

from distplan.reports import Report, write
from distplan.reports.board import Quarter, board
from distplan.reports.common import Scope

Q4 = Quarter(2003, 4)


@pytest.fixture(scope="module")
def report(scope: Scope, demo: Demo) -> Report:
    return board(scope, demo.nav, Q4, generated_at=STAMP)


@pytest.fixture(scope="module")
def payables(scope: Scope, demo: Demo) -> list[dict[str, object]]:
    return [r for y, m in Q4.months for r in scope.workspace.payables(None, demo.nav, y, m).table.to_pylist()]


def test_quarter_parsing() -> None:
    assert Quarter.parse("2003Q4") == Quarter.parse("2003-q4") == Q4
    assert (Q4.start.isoformat(), Q4.end.isoformat(), Q4.next().label) == (
        "2003-10-01",
        "2004-01-01",
        "2004-Q1",
    )
    with pytest.raises(Exception, match="--quarter '2003Q5'"):
        Quarter.parse("2003Q5")


def test_xlsx_equals_the_payables_to_the_cent(report: Report, payables: list[dict[str, object]]) -> None:
    data = write(report, "xlsx")[0]
    rows = sheet_rows(data, "Monthly")
    head = next(i for i, r in enumerate(rows) if r[0] == "Registrant")
    body = [r for r in rows[head + 1 :] if r[1] is not None]
    expected = {(p["fund"], p["month"]): p for p in payables}
    assert len(body) == len(expected) > 30
    for r in body:
        p = expected[(r[1], r[3])]
        assert (r[4], cents(r[5]), cents(r[6]), cents(r[7]), cents(r[8])) == (
            p["days"], p["average_net_assets"], p["fee_distribution"], p["fee_service"], p["fee"],
        )  # fmt: skip
    total = sum((Decimal(str(p["fee"])) for p in payables), Decimal(0))
    fund_rows = [r for r in sheet_rows(data, "By fund") if isinstance(r[3], int)]
    assert sum(cents(r[6]) for r in fund_rows) == total
    month_rows = sheet_rows(data, "Plan totals")
    assert month_rows[-1][0] == "Quarter" and str(month_rows[-1][3]).startswith("=SUM(D")
    assert sum(cents(r[3]) for r in month_rows if str(r[0]).startswith("2003-")) == total
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    assert wb["Monthly"].freeze_panes == f"A{head + 2}"
    assert wb["Monthly"].cell(head + 2, 6).number_format == "#,##0.00"
    assert len(wb["Plan totals"]._charts) == len(wb["By fund"]._charts) == 1


def test_pdf_names_every_fund_and_the_plan_total(
    report: Report, payables: list[dict[str, object]], tmp_path: Path
) -> None:
    data, warnings = write(report, "pdf")
    assert not [w for w in warnings if "refused" in w]
    text = pdf_text(data)
    for fund in {str(p["fund"]) for p in payables}:
        assert names(text, fund), fund
    total = sum((Decimal(str(p["fee"])) for p in payables), Decimal(0))
    assert f"Quarter 0.00 {total:,.2f} {total:,.2f} {total:,.2f}" in text
    n = pdf_pages(data)
    assert f"page 1 of {n}" in text and f"page {n} of {n}" in text and "2003-Q4" in text
    for section in ("Compliance findings open on 2003-12-31", "Deadlines in 2004-Q1", "Instruments in force"):
        assert section in text
    assert "Amendment No. 4" in text and "Rule 12b-1(b)(2)" in text
    assert overflows(report) == []
    save_pngs(data, tmp_path, "board")


def test_instruments_carry_seq_and_hash(report: Report, scope: Scope) -> None:
    section = next(s for s in report.sections if s.title.startswith("Instruments in force"))
    assert [r[2] for r in section.rows if r[1] == "instrument"] == ["Amendment No. 4 (seq 3)"]
    for row in section.rows:
        assert row[6] == scope.workspace.entry(int(str(row[0]))).hash


def test_docx_has_tables_charts_and_the_total(report: Report, payables: list[dict[str, object]]) -> None:
    from docx import Document

    doc = Document(io.BytesIO(write(report, "docx")[0]))
    assert len(doc.tables) == len([s for s in report.sections if s.columns])
    assert len(doc.inline_shapes) == 2  # the two charts
    total = sum((Decimal(str(p["fee"])) for p in payables), Decimal(0))
    assert any(c.text == f"{total:,.2f}" for c in doc.tables[0].rows[-1].cells)
    assert doc.sections[0].header.paragraphs[0].text.endswith("2003-Q4 (2003-10-01 to 2003-12-31)")


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "html"])
def test_same_bytes_twice(fmt: str, report: Report) -> None:
    assert write(report, fmt)[0] == write(report, fmt)[0]


def test_positions_add_the_dealer_trails(scope: Scope, demo: Demo) -> None:
    from distplan.reports.sources import read_positions, trails

    report = board(scope, demo.nav, Q4, generated_at=STAMP, positions=demo.positions)
    section = next(s for s in report.sections if s.title.startswith("Trails to dealers"))
    result = trails(scope, read_positions(demo.positions), "2003-Q4")
    assert [r[0] for r in section.rows] == [t["dealer"] for t in result.totals] == ["D1", "D2"]
    assert section.total is not None and section.total[4] == sum(t["paid"] for t in result.totals)
    html = write(report, "html")[0].decode()
    assert "Small &lt;b&gt;Brokers&lt;/b&gt; Inc" in html and "<b>Brokers" not in html
