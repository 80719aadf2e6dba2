"""Hostile values in a report: markup and resource references print as text, a formula stays
text in XLSX (quote prefix) and CSV (apostrophe), control characters are removed with a
warning; nothing is fetched."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from readback import overflows, pdf_text
from reports_demo import STAMP

from distplan.reports import Chart, Column, Report, Section, Series, write

FORMULA = "=cmd|' /C calc'!A0"
MARKUP = '<img src="file:///etc/passwd"><link rel=attachment href="https://evil.invalid/x">'
LONG = "X" * 300  # one unbreakable word


def hostile() -> Report:
    rows = (
        (MARKUP, Decimal("1234567.89"), date(2003, 12, 10)),
        (FORMULA, Decimal("0.01"), None),
        ("@SUM(1+1)", Decimal("-5.00"), None),
        ("tab\tand\x1b[31mescape\u202e", Decimal("0.00"), None),
        (LONG, Decimal("99999999999.99"), None),
    )
    section = Section(
        "Funds " + MARKUP,
        (Column("Fund"), Column("Fee", "money"), Column("Due", "date")),
        rows,
        ("Total", Decimal("100234567.89"), None),
        chart=Chart(
            "by fund", tuple(str(r[0]) for r in rows), (Series("fee", tuple(Decimal(1) for _ in rows)),), True
        ),
    )
    return Report("statement", "Statement " + MARKUP, FORMULA, "2003-11", STAMP, (section,))


def test_html_escapes_everything() -> None:
    html = write(hostile(), "html")[0].decode()
    assert (
        "<img" not in html and "<link" not in html and "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    )
    assert "\x1b" not in html and "\u202e" not in html


def test_pdf_prints_markup_as_text_fetches_nothing_and_fits() -> None:
    data, warnings = write(hostile(), "pdf")
    assert not [w for w in warnings if "refused" in w]
    text = pdf_text(data)
    assert '<img src="file:///etc/passwd">' in " ".join(text.split()) or "<img" in text
    assert overflows(hostile()) == []
    assert any("unprintable" in w for w in warnings)


def test_xlsx_keeps_formulas_as_text() -> None:
    wb = load_workbook(io.BytesIO(write(hostile(), "xlsx")[0]))
    sheet = wb.worksheets[1]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    for text in (FORMULA, "@SUM(1+1)"):
        assert cells[text].data_type == "s" and cells[text].quotePrefix, text
    assert wb.worksheets[0]["B3"].value == FORMULA and wb.worksheets[0]["B3"].data_type == "s"
    assert not any("\x1b" in v for v in cells)
    formulas = [c.value for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == ["=SUM(B4:B8)"]  # the totals row only


def test_csv_prefixes_formulas() -> None:
    rows = list(csv.reader(io.StringIO(write(hostile(), "csv")[0].decode())))
    assert rows[2][0] == "'" + FORMULA and rows[3][0] == "'@SUM(1+1)" and rows[3][1] == "-5.00"


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "pdf"])
def test_every_binary_format_builds(fmt: str) -> None:
    assert len(write(hostile(), fmt)[0]) > 1000


def test_a_pdf_too_large_to_lay_out_is_refused_before_any_work() -> None:
    from distplan.documents.render.pdf import MAX_ROWS
    from distplan.errors import InputError

    rows = tuple((f"Fund {i}", Decimal("1.00"), None) for i in range(MAX_ROWS + 1))
    big = Report(
        "statement", "big", "plan", "2003-11", STAMP, (Section("s", hostile().sections[0].columns, rows),)
    )
    with pytest.raises(InputError, match="use --to xlsx"):
        write(big, "pdf")
    assert len(write(big, "csv")[0].splitlines()) == MAX_ROWS + 2


def test_a_long_docx_table_has_every_row_and_the_total() -> None:
    from docx import Document

    rows = tuple((f"Fund {i}", Decimal(i), None) for i in range(1000))
    long = Report("statement", "long", "plan", "2003-11", STAMP,
                  (Section("s", hostile().sections[0].columns, rows, ("Total", Decimal(499500), None)),))  # fmt: skip
    table = Document(io.BytesIO(write(long, "docx")[0])).tables[0]
    assert len(table.rows) == 1002 and [c.text for c in table.rows[-1].cells] == ["Total", "499,500.00", ""]
