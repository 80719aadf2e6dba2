"""distplan render: canonical text, DOCX and PDF, and the extract -> render -> extract round trip."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdf_chunks import pdf_chunks

from distplan.documents.render import (
    FundGroup,
    build_document,
    class_label,
    long_date,
    render,
    render_docx,
    render_html,
    render_pdf,
    render_text,
)
from distplan.model import Instrument, Operation, ScheduleRow, instrument_from_json

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "documents"
DOCUMENTS = sorted(CORPUS.glob("*.txt"))
REFERENCE = CORPUS / "aim-investor-amend2-2003-11-03.txt"
DISTPLAN = Path(sys.executable).with_name("distplan")

AIM_PLAN = "Amended and Restated Master Plan and Agreement of Distribution"


def gold_instrument(name: str, **plan: Any) -> Instrument:
    """An Instrument built from a corpus gold label (no extractor needed)."""
    gold = json.loads((CORPUS / f"{name}.json").read_text())
    data = {
        "source": {"path": f"{name}.txt", "sha256": ""},
        "kind": gold["kind"],
        "title": "",
        "amendment_number": gold["amendment_number"],
        "effective_date": gold["effective_date"],
        "plan": {"title": None, "share_classes": gold["share_classes"], "dated": None, **plan},
        "operations": [{"op": "replace_schedule"}] if gold["kind"] == "amendment" else [],
        "schedule": {"label": "Schedule A", "replaces_entirely": True, "rows": gold["rows"]},
    }
    return instrument_from_json(data)


def reference_instrument() -> Instrument:
    inst = gold_instrument("aim-investor-amend2-2003-11-03", title=AIM_PLAN, dated="2003-07-01")
    registrants = tuple(dict.fromkeys(r.registrant for r in inst.schedule.rows if r.registrant))  # type: ignore[union-attr]
    return replace(inst, dated=date(2003, 11, 3), signatories=(*registrants, "A I M DISTRIBUTORS, INC."))


def _words(line: str) -> str:
    return " ".join(line.split())


# --- words and layout -----------------------------------------------------------------------


def test_dates_and_class_labels() -> None:
    assert long_date(date(2003, 11, 3)) == "November 3, 2003"
    assert long_date(date(2020, 5, 15)) == "May 15, 2020"
    assert [class_label(c) for c in ("C", "R2", "FI", "Investor", "Primary")] == [
        "Class C",
        "Class R2",
        "Class FI",
        "Investor Class",
        "Primary Class",
    ]


def test_reference_amendment_text_follows_the_filed_layout() -> None:
    text = render_text(reference_instrument())
    lines = [_words(x) for x in text.splitlines()]
    assert lines[0] == "AMENDMENT NO. 2"
    assert "(INVESTOR CLASS SHARES)" in lines
    flat = _words(text)
    assert (
        "The Amended and Restated Master Plan and Agreement of Distribution (Investor Class Shares) "
        '(the "Plan"), dated as of July 1, 2003, pursuant to Rule 12b-1, '
        "is hereby amended, effective November 3, 2003, "
        "as follows:" in flat
    )
    assert "Schedule A to the Plan is hereby deleted in its entirety and replaced with the following:" in flat
    assert (
        "All other terms and provisions of the Plan not amended herein shall remain in full force and effect."
        in flat
    )
    assert "Dated: November 3, 2003" in lines
    assert '"SCHEDULE A' in lines and "(INVESTOR CLASS)" in lines
    assert max(len(x) for x in text.splitlines()) <= 80

    # The schedule body is, word for word, the reference's: rule, registrants, indented funds.
    def body(src: str) -> list[str]:
        all_lines = [_words(x) for x in src.splitlines()]
        start = next(i for i, x in enumerate(all_lines) if x.startswith("REGISTERED INVESTMENT COMPANY"))
        end = next(i for i, x in enumerate(all_lines) if x.endswith('Fund"'))
        return [x for x in all_lines[start : end + 1] if x]

    assert body(text) == body(REFERENCE.read_text())
    funds = [ln for ln in text.splitlines() if ln.startswith("      INVESCO")]
    assert len(funds) == 18

    # Signature blocks: all five registrants together, then the distributor.
    after = text.split("Dated: November 3, 2003", 1)[1]
    names = [_words(x) for x in after.splitlines() if x.startswith(" " * 27) and x.strip()[:1].isupper()]
    assert names[:5] == [r.upper() for r in reference_instrument().signatories[:5]]
    assert "A I M DISTRIBUTORS, INC." in names
    assert after.count("By:") == 2 and after.count("Name:") == 2 and after.count("Title:") == 2


def test_fee_table_has_the_class_c_columns_and_percent_rates() -> None:
    inst = gold_instrument(
        "aim-class-c-amend2-2003-11-03-truncated", title="Amended and Restated Master Distribution Plan"
    )
    text = render_text(inst)
    lines = text.splitlines()
    head = next(i for i, x in enumerate(lines) if x.strip().startswith("AIM BOND FUNDS, INC."))
    assert _words(lines[head]) == "AIM BOND FUNDS, INC. Maximum Maximum Maximum"
    assert _words(lines[head + 1]) == "Asset Based Service Aggregate"
    assert _words(lines[head + 2]) == "PORTFOLIO - CLASS C SHARES Sales Charge Fee Fee"
    rows = [_words(x) for x in lines if "INVESCO" in x]
    assert rows == [
        "INVESCO Tax-Free Bond Fund 0.75% 0.25% 1.00%",
        'INVESCO U.S. Government Securities Fund 0.75% 0.25% 1.00%"',
    ]
    # Columns line up: each rate starts under its header.
    sales = lines[head + 2].index("Sales Charge")
    first = next(x for x in lines if "INVESCO Tax-Free" in x)
    assert first[sales : sales + 12].strip() == "0.75%"


def test_null_rates_are_absent_columns_and_row_dates_get_a_column() -> None:
    etf = gold_instrument("firsttrust-etf-viii-exhibit-a-2020")
    text = render_text(etf)
    assert "Effective: May 15, 2020" in text
    assert "Maximum" not in text and "%" not in text
    assert "Effective" in text and "Date" in text
    assert re.search(r"First Trust CEF Income Opportunity ETF\s+September 28, 2016", text)

    single = gold_instrument("wellsfargo-vt-appendix-a-2003")
    text = render_text(single)
    assert "Aggregate" in text and "Service" not in text and "Sales Charge" not in text
    assert re.search(r"Asset Allocation Fund\s+0\.25%", text)


def test_mixed_classes_get_a_class_column_and_zero_rates_stay() -> None:
    text = render_text(gold_instrument("api-trust-appendix-a-2009"))
    assert re.search(r"API Master Allocation Fund\s+Class A\s+0\.50%\s+0%\s+0\.50%", text)
    assert re.search(r"API Efficient Frontier Growth Fund\s+Primary Class\s+0\.75%\s+0\.25%\s+1\.00%", text)
    legg = render_text(gold_instrument("leggmason-appendix-a-2009"))
    assert re.search(r"Class I\s+0%", legg)


def test_no_registrant_no_class_list() -> None:
    doc = build_document(gold_instrument("eatonvance-munis-class-c-schedule-a-2003"))
    groups = [b for b in doc.blocks if isinstance(b, FundGroup)]
    assert [g.registrant for g in groups] == ["EATON VANCE MUNICIPALS TRUST"]
    assert [r[0] for r in groups[0].rows] == [
        "Eaton Vance California Municipals Fund",
        "Eaton Vance National Municipals Fund",
        "Eaton Vance New York Municipals Fund",
    ]
    assert groups[0].columns == ()


def test_amend_text_is_restated_in_quotes() -> None:
    inst = Instrument(
        source=gold_instrument("aim-summit-class-p-amend1-2005").source,
        kind="amendment",
        title="Amendment No. 1",
        amendment_number=1,
        effective_date=date(2005, 7, 1),
        operations=(
            Operation(
                op="amend_text", section="Section 2", text="The Fund may incur expenses at .25% per annum."
            ),
        ),
        signatories=("AIM SUMMIT FUND",),
    )
    text = render_text(inst)
    flat = _words(text)
    assert "Section 2 of the Plan is hereby amended and restated to read as follows:" in flat
    assert '"The Fund may incur expenses at .25% per annum."' in flat
    assert "is hereby amended, effective July 1, 2005, as follows:" in flat
    assert "Schedule A to the Plan is hereby deleted" not in flat


@pytest.mark.parametrize("doc", DOCUMENTS, ids=lambda p: p.stem)
def test_rendering_twice_gives_identical_text_and_docx(doc: Path) -> None:
    inst = gold_instrument(doc.stem)
    assert render_text(inst) == render_text(inst)
    assert render(inst, "text") == render_text(inst).encode()
    assert render_docx(inst) == render_docx(inst)


# --- DOCX and PDF ---------------------------------------------------------------------------


def test_docx_has_word_styles_and_a_table_per_registrant() -> None:
    from docx import Document

    inst = reference_instrument()
    word = Document(io.BytesIO(render_docx(inst)))
    styles = {p.style.name for p in word.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3", "Normal"} <= styles
    assert word.paragraphs[0].text == "AMENDMENT NO. 2" and word.paragraphs[0].style.name == "Title"
    assert len(word.tables) == 5
    assert [t.rows[0].cells[0].text for t in word.tables] == ["Funds"] * 5
    funds = [row.cells[0].text for t in word.tables for row in t.rows[1:]]
    expected = [r.fund for r in inst.schedule.rows]  # type: ignore[union-attr]
    expected[-1] += '"'
    assert funds == expected
    assert word.core_properties.created is not None and word.core_properties.created.year == 2003


def test_docx_fee_table_header_and_cells() -> None:
    from docx import Document

    word = Document(io.BytesIO(render_docx(gold_instrument("aim-class-c-amend2-2003-11-03-truncated"))))
    (table,) = word.tables
    assert [c.text for c in table.rows[0].cells] == [
        "Portfolio - Class C Shares",
        "Maximum Asset Based Sales Charge",
        "Maximum Service Fee",
        "Maximum Aggregate Fee",
    ]
    assert [c.text for c in table.rows[1].cells] == ["INVESCO Tax-Free Bond Fund", "0.75%", "0.25%", "1.00%"]


def _pdf_pages(pdf: bytes) -> int:
    """Count /Type /Page objects, looking inside compressed object streams too."""
    return sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", c)) for c in pdf_chunks(pdf))


def test_pdf_is_a_pdf_with_pages_and_is_deterministic() -> None:
    inst = reference_instrument()
    pdf = render_pdf(inst)
    assert pdf.startswith(b"%PDF-")
    assert _pdf_pages(pdf) >= 1
    assert render_pdf(inst) == pdf
    html = render_html(inst)
    assert html.count("<table>") == 5 and "INVESCO S&amp;P 500 Index Fund" in html


# --- the command ----------------------------------------------------------------------------


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DISTPLAN), "render", *map(str, args)], capture_output=True, text=True, cwd=cwd, check=False
    )


def _instrument_json(tmp_path: Path) -> Path:
    from distplan.model import instrument_to_json

    path = tmp_path / "extracted.json"
    path.write_text(json.dumps(instrument_to_json(reference_instrument())))
    return path


def test_cli_writes_each_format(tmp_path: Path) -> None:
    src = _instrument_json(tmp_path)
    out = _run(src, "--to", "text")
    assert out.returncode == 0, out.stderr
    assert out.stdout == render_text(reference_instrument())
    for fmt, magic in (("text", b"AMENDMENT"), ("docx", b"PK\x03\x04"), ("pdf", b"%PDF-")):
        target = tmp_path / f"out.{fmt}"
        done = _run(src, "--to", fmt, "-o", target, "--json")
        assert done.returncode == 0, done.stderr
        assert magic in target.read_bytes()[:64]
        assert json.loads(done.stdout)["bytes"] == target.stat().st_size
    assert sorted(p.name for p in tmp_path.iterdir()) == ["extracted.json", "out.docx", "out.pdf", "out.text"]


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{not json", "not valid JSON"),
        ('{"kind": "memo"}', "field kind"),
        (
            '{"kind": "schedule", "schedule": {"rows": [{"fund": "X", "service_fee": "lots"}]}}',
            "schedule.rows[0].service_fee",
        ),
        ("", "not valid JSON"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line_and_no_file(tmp_path: Path, content: str, needle: str) -> None:
    src = tmp_path / "bad.json"
    src.write_text(content)
    target = tmp_path / "out.docx"
    done = _run(src, "--to", "docx", "-o", target)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("distplan: ") and needle in lines[0], done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


@pytest.mark.parametrize("fmt", ["text", "pdf"])
def test_cli_output_to_a_directory_exits_2_with_one_line(tmp_path: Path, fmt: str) -> None:
    src = _instrument_json(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    done = _run(src, "--to", fmt, "-o", folder)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        f"distplan: {folder}: is a directory; give a file name to write"
    ]
    assert list(folder.iterdir()) == []


def test_cli_missing_input_and_binary_to_stdout(tmp_path: Path) -> None:
    missing = _run(tmp_path / "nope.json", "--to", "text")
    assert missing.returncode == 2 and "nope.json" in missing.stderr
    src = _instrument_json(tmp_path)
    binary = _run(src, "--to", "pdf")
    assert binary.returncode == 2 and "-o" in binary.stderr


def test_rates_survive_exactly() -> None:
    rows = (ScheduleRow(fund="F", registrant="R", share_class="A", service_fee=Decimal("0.250")),)
    inst = replace(
        gold_instrument("muzinich-schedule-a-2019"),
        schedule=None,
        operations=(Operation("replace_schedule", rows=rows),),
    )
    assert "0.250%" in render_text(inst)


def test_environment_is_restored_after_pdf() -> None:
    before = os.environ.get("SOURCE_DATE_EPOCH")
    render_pdf(gold_instrument("wellsfargo-vt-appendix-a-2003"))
    assert os.environ.get("SOURCE_DATE_EPOCH") == before


# --- any instrument renders -----------------------------------------------------------------


_name = st.text(
    st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Zs"), max_codepoint=0x24F), min_size=1, max_size=40
)
_rate = st.none() | st.decimals(min_value=0, max_value=2, places=2)
_rows = st.lists(
    st.builds(
        ScheduleRow,
        fund=_name.filter(lambda s: s.strip() != ""),
        registrant=st.none() | st.sampled_from(["ALPHA FUNDS, INC.", "Beta Trust"]),
        share_class=st.none() | st.sampled_from(["A", "C", "Investor", "R2"]),
        distribution_fee=_rate,
        service_fee=_rate,
        aggregate_fee=_rate,
        effective_date=st.none() | st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(rows=_rows, kind=st.sampled_from(["amendment", "schedule", "plan"]))
def test_any_schedule_renders_every_row_and_value(rows: list[ScheduleRow], kind: str) -> None:
    base = reference_instrument()
    inst = replace(base, kind=kind, schedule=replace(base.schedule, rows=tuple(rows)))  # type: ignore[arg-type]
    text = render_text(inst)
    assert text == render_text(inst)
    flat = _words(text)
    for row in rows:
        assert _words(row.fund) in flat
        for value in (row.distribution_fee, row.service_fee, row.aggregate_fee):
            if value is not None:
                assert f"{value}%" in text
        if row.effective_date is not None:
            assert long_date(row.effective_date) in text
    doc = build_document(inst)
    assert sum(len(b.rows) for b in doc.blocks if isinstance(b, FundGroup)) == len(rows)


def test_cli_reads_stdin(tmp_path: Path) -> None:
    src = _instrument_json(tmp_path)
    done = subprocess.run(
        [str(DISTPLAN), "render", "-", "--to", "text"],
        input=src.read_text(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == render_text(reference_instrument())


def test_row_operations_render_as_clauses_with_tables() -> None:
    added = ScheduleRow(fund="INVESCO New Fund", registrant="AIM STOCK FUNDS, INC.", share_class="Investor")
    cut = ScheduleRow(fund="INVESCO Old Fund", registrant="AIM STOCK FUNDS, INC.", share_class="Investor")
    priced = ScheduleRow(fund="INVESCO Dynamics Fund", share_class="Investor", service_fee=Decimal("0.15"))
    inst = replace(
        reference_instrument(),
        schedule=None,
        operations=(
            Operation("add_rows", rows=(added,)),
            Operation("remove_rows", rows=(cut,)),
            Operation("set_rates", rows=(priced,)),
        ),
    )
    flat = _words(render_text(inst))
    assert "1. Schedule A to the Plan is hereby amended to add the following:" in flat
    assert "2. Schedule A to the Plan is hereby amended to delete the following:" in flat
    assert "3. Schedule A to the Plan is hereby amended to state these rates:" in flat
    assert flat.index("INVESCO New Fund") < flat.index("INVESCO Old Fund") < flat.index("0.15%")
    assert "deleted in its entirety" not in flat
    # Rates already written in a restated section are not repeated.
    restated = Operation("amend_text", section="Section 2", text="expenses at the rates of .15% per annum")
    inst = replace(inst, operations=(restated, Operation("set_rates", rows=(priced,))))
    assert "0.15%" not in render_text(inst) and ".15%" in render_text(inst)
