"""A draft rendered: the reference layout in text, DOCX and PDF, read back by the extractor to the
same data (issue 13), and the redline DOCX (tracked changes against the schedule in force), which
LibreOffice opens and prints with the inserted and deleted names."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from aim_draft import ADDED, REMOVED, RENAMED, AimDraft, make, ok

from aim_inputs import run_cli
from distplan.documents.extract import extract_text
from distplan.documents.render import render_document
from distplan.model import Instrument, instrument_from_json

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "documents"))
from test_render_roundtrip import projection


@pytest.fixture(scope="module")
def aim(tmp_path_factory: pytest.TempPathFactory) -> AimDraft:
    return make(tmp_path_factory.mktemp("render"))


def _draft(aim: AimDraft, *, renames: bool = True) -> Instrument:
    inst = instrument_from_json(json.loads(aim.draft.read_text()))
    if renames:
        return inst
    return replace(inst, operations=tuple(op for op in inst.operations if op.op != "rename_fund"))


def test_every_format_renders(aim: AimDraft, tmp_path: Path) -> None:
    text = ok("render", str(aim.draft), "--to", "text")
    assert "AMENDMENT NO. 5" in text and "effective July 1, 2004" in text and ADDED in text
    assert REMOVED not in text
    for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF")):
        ok("render", str(aim.draft), "--to", fmt, "-o", str(tmp_path / f"d.{fmt}"))
        assert (tmp_path / f"d.{fmt}").read_bytes().startswith(magic)


def test_the_text_reads_back_as_the_draft(aim: AimDraft) -> None:
    draft = _draft(aim, renames=False)
    again = extract_text(render_document(draft, "text").data.decode(), path="draft.txt")
    assert projection(again) == projection(draft)


def test_a_draft_with_a_rename_round_trips(aim: AimDraft) -> None:
    draft = _draft(aim)
    again = extract_text(render_document(draft, "text").data.decode(), path="draft.txt")
    assert projection(again) == projection(draft)


def docx_text(data: bytes) -> str:
    """A DOCX as plain text: paragraphs one a line and a blank (centred ones centred), each table row one
    line of cells set apart (what saving it as text gives), for the extractor to read."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    word = Document(io.BytesIO(data))
    lines: list[str] = []
    for el in word.element.body.iterchildren():
        if el.tag.endswith("}p"):
            par = Paragraph(el, word)
            centred = par.alignment == WD_ALIGN_PARAGRAPH.CENTER
            lines += [par.text.center(80).rstrip() if centred else par.text, ""]
        elif el.tag.endswith("}tbl"):
            lines += [
                "",
                *("  " + "      ".join(c.text for c in row.cells) for row in Table(el, word).rows),
                "",
            ]
    return "\n".join(lines)


def test_the_docx_reads_back_as_the_draft(aim: AimDraft) -> None:
    # The distributor signs, as in the filed amendments (the gold inputs name no signatories).
    draft = _draft(aim, renames=False)
    draft = replace(draft, signatories=(*draft.signatories, "A I M DISTRIBUTORS, INC."))
    again = extract_text(docx_text(render_document(draft, "docx").data), path="draft.docx.txt")
    want, got = projection(draft), projection(again)
    # The signature block's layout does not survive as plain text: everything else does.
    assert {k: v for k, v in got.items() if k != "signatories"} == {
        k: v for k, v in want.items() if k != "signatories"
    }


def _redline(aim: AimDraft, out: Path, *extra: str) -> Any:
    return run_cli(
        "--db", aim.url, "render", str(aim.draft), "--to", "docx", "--redline", "-o", str(out), *extra
    )


def test_the_redline_marks_the_changes(aim: AimDraft, tmp_path: Path) -> None:
    out = tmp_path / "redline.docx"
    args = ("--author", "Ana Counsel", "--date", "2004-06-02T10:00:00Z")
    assert _redline(aim, out, *args).code == 0
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert 'w:author="Ana Counsel"' in xml and 'w:date="2004-06-02T10:00:00Z"' in xml
    assert f'<w:delText xml:space="preserve">{REMOVED}</w:delText>' in xml
    assert f'<w:delText xml:space="preserve">{RENAMED[0]}</w:delText>' in xml
    assert xml.count("<w:ins ") >= 3 and xml.count("<w:del ") >= 3
    again = tmp_path / "again.docx"
    assert _redline(aim, again, *args).code == 0
    assert again.read_bytes() == out.read_bytes()  # deterministic for the same author and date


def test_libreoffice_opens_the_redline(aim: AimDraft, tmp_path: Path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "redline.docx"
    assert _redline(aim, out, "--date", "2004-06-02").code == 0
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{profile}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(tmp_path / "redline.pdf").pages)
    squashed = text.replace(" ", "")
    for name in (ADDED, REMOVED, *RENAMED):  # inserted and deleted text both print
        assert name.replace(" ", "") in squashed, name


@pytest.mark.parametrize(
    ("extra", "named"),
    [(("--to", "text"), "--redline"), (("--date", "soon"), "--date"), (("--author", "\x1b"), "--author")],
)
def test_bad_redline_options(aim: AimDraft, tmp_path: Path, extra: tuple[str, ...], named: str) -> None:
    out = tmp_path / "r.docx"
    result = run_cli(
        "--db", aim.url, "render", str(aim.draft), "--redline", "-o", str(out), "--to", "docx", *extra
    )
    assert result.code == 2 and named in result.err and len(result.err.strip().splitlines()) == 1
    assert not out.exists()
