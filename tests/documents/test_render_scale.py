"""Rendering is deterministic and bounded: a 10,000-row schedule renders in every format."""

from __future__ import annotations

import io
import re
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pdf_chunks import pdf_chunks

from distplan.documents.render import build_document, render
from distplan.documents.render.blocks import FundGroup
from distplan.documents.render.pdf import ROWS_PER_PASS, split_rows
from distplan.model import Instrument, Operation, PlanRef, Schedule, ScheduleRow, Source

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from render import large_schedule  # bench/render.py: the input the bench times


def _fund_rows(doc_blocks: tuple[object, ...]) -> list[str]:
    return [row[0] for b in doc_blocks if isinstance(b, FundGroup) for row in b.rows]


def test_ten_thousand_rows_render_as_text_and_docx_with_every_row() -> None:
    from docx import Document

    inst = large_schedule(10_000)
    text = render(inst, "text").decode()
    assert sum(1 for line in text.splitlines() if line.strip().startswith("Example Fund Number")) == 10_000
    assert render(inst, "text").decode() == text
    docx = render(inst, "docx")
    assert render(inst, "docx") == docx
    word = Document(io.BytesIO(docx))
    assert sum(len(t.rows) - 1 for t in word.tables) == 10_000
    assert word.tables[0].rows[1].cells[0].text == "Example Fund Number 00000"


def test_split_rows_keeps_every_block_and_row_in_order() -> None:
    doc = build_document(large_schedule(1_000))
    parts = split_rows(doc, 300)
    assert len(parts) == 4
    assert [len(_fund_rows(p.blocks)) for p in parts] == [300, 300, 300, 100]
    assert [name for p in parts for name in _fund_rows(p.blocks)] == _fund_rows(doc.blocks)
    first_other = [b for b in doc.blocks if not isinstance(b, FundGroup)]
    assert [b for p in parts for b in p.blocks if not isinstance(b, FundGroup)] == first_other
    assert split_rows(doc, 10_000) == [doc]


@pytest.mark.slow
def test_a_pdf_laid_out_in_several_passes_is_one_deterministic_pdf() -> None:
    inst = large_schedule(ROWS_PER_PASS + 30)
    pdf = render(inst, "pdf")
    assert render(inst, "pdf") == pdf
    assert pdf.startswith(b"%PDF-") and pdf.count(b"%%EOF") == 1
    pages = sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", c)) for c in pdf_chunks(pdf))
    assert pages >= 2


@pytest.mark.parametrize("fmt", ["text", "docx", "pdf"])
def test_same_bytes_twice_for_a_small_document(fmt: str) -> None:
    row = ScheduleRow("Alpha Fund", "ALPHA TRUST", "A", service_fee=Decimal("0.25"))
    inst = Instrument(
        source=Source("x.txt", ""),
        kind="amendment",
        title="",
        amendment_number=1,
        plan=PlanRef("Distribution Plan", ("A",), date(2001, 1, 1)),
        effective_date=date(2002, 2, 2),
        operations=(Operation("replace_schedule", target="Schedule A"),),
        schedule=Schedule("Schedule A", True, (row,)),
        signatories=("ALPHA TRUST",),
    )
    assert render(inst, fmt) == render(inst, fmt)


def test_a_pdf_beyond_the_row_cap_is_refused_in_one_line() -> None:
    from distplan.documents.render.pdf import MAX_ROWS
    from distplan.errors import InputError

    with pytest.raises(InputError, match=r"use --to docx or text"):
        render(large_schedule(MAX_ROWS + 1), "pdf")
