"""The distributor's statement: every format builds on the AIM demo ledger, the XLSX read back
equals the payables to the cent, the PDF names every fund and the plan total, same bytes twice."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from readback import cents, names, overflows, pdf_text, save_pngs, sheet_rows
from reports_demo import STAMP, Demo

from distplan.reports import Report, write
from distplan.reports.common import Scope
from distplan.reports.statement import statement


@pytest.fixture(scope="module")
def november(scope: Scope, demo: Demo) -> Report:
    return statement(scope, demo.nav, 2003, 11, generated_at=STAMP)


def _payables(scope: Scope, demo: Demo) -> list[dict[str, object]]:
    return scope.workspace.payables(None, demo.nav, 2003, 11).table.to_pylist()


def test_xlsx_equals_the_payables_to_the_cent(november: Report, scope: Scope, demo: Demo) -> None:
    data, _ = write(november, "xlsx")
    rows = sheet_rows(data, "Statement")
    head = next(i for i, r in enumerate(rows) if r[0] == "Registrant")
    body = [r for r in rows[head + 1 :] if r[1] is not None]
    expected = {(p["fund"], p["share_class"]): p for p in _payables(scope, demo)}
    assert len(body) == len(expected) == 19
    for r in body:
        p = expected[(r[1], r[2])]
        assert (r[3], cents(r[4]), cents(r[7])) == (p["days"], p["average_net_assets"], p["fee"])
        assert str(r[8].date()) == str(p["due_date"])
    total = rows[head + 1 + len(body)]
    assert total[0] == "Plan total" and total[7] == f"=SUM(H{head + 2}:H{head + 1 + len(body)})"
    assert sum(cents(r[7]) for r in body) == sum((p["fee"] for p in expected.values()), Decimal(0))


def test_pdf_names_every_fund_and_the_plan_total(
    november: Report, scope: Scope, demo: Demo, tmp_path: Path
) -> None:
    data, warnings = write(november, "pdf")
    assert warnings == ()
    text = pdf_text(data)
    for p in _payables(scope, demo):
        assert names(text, str(p["fund"])), p["fund"]
    total = sum((p["fee"] for p in _payables(scope, demo)), Decimal(0))
    assert text.count("Plan total") == 2 and f"Plan total 0.00 {total:,.2f} {total:,.2f}" in text
    assert "page 1 of 2" in text and "generated 2026-12-01 12:00 UTC" in text
    assert overflows(november) == []
    save_pngs(data, tmp_path, "statement")


def test_csv_rows_and_total(november: Report, scope: Scope, demo: Demo) -> None:
    total = sum((p["fee"] for p in _payables(scope, demo)), Decimal(0))
    data, _ = write(november, "csv")
    rows = list(csv.reader(io.StringIO(data.decode())))
    assert rows[0][:4] == ["Registrant", "Fund", "Class", "Days"]
    assert rows[-1][0] == "Plan total" and rows[-1][7] == str(total)
    assert sum(Decimal(r[7]) for r in rows[1:-1]) == total


def test_same_report_twice(november: Report, scope: Scope, demo: Demo) -> None:
    assert statement(scope, demo.nav, 2003, 11, generated_at=STAMP) == november


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv", "html"])
def test_same_bytes_twice(fmt: str, november: Report) -> None:
    one, two = write(november, fmt)[0], write(november, fmt)[0]
    assert one == two and len(one) > 1000
