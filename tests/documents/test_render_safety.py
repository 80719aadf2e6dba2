"""Hostile values cannot make rendering read files, fetch URLs, inject markup or crash (issue 8 #15)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pdf_chunks import pdf_chunks

from distplan.documents.render import render_document, render_html, render_text
from distplan.documents.render.pdf import print_html
from distplan.model import (
    Instrument,
    Operation,
    PlanRef,
    Schedule,
    ScheduleRow,
    Source,
    instrument_to_json,
)

DISTPLAN = Path(sys.executable).with_name("distplan")
SECRET = "distplan-secret-4f1c9e"


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server on 127.0.0.1 that records every request path."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png" if self.path.endswith("png") else "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(f"{SECRET}\n")
    return path


def _payloads(url: str, secret: Path) -> list[str]:
    return [
        f"<link rel=attachment href=file://{secret}>",
        "<link rel=attachment href=file:///etc/passwd>",
        f'<img src="{url}/img.png">',
        f"<link rel=stylesheet href={url}/style.css>",
        f"<style>@import url({url}/import.css);</style>",
        f'<object data="file://{secret}"></object>',
        "<script>alert(1)</script> A&B &amp; Co.",
    ]


def hostile_instrument(url: str, secret: Path, one_class: bool = False) -> Instrument:
    """Every rendered field holds a payload; with `one_class`, every row the same hostile class
    (the schedule's table header then names it)."""
    bad = _payloads(url, secret)
    rows = tuple(
        ScheduleRow(
            fund=f"Fund {i} {p}",
            registrant=p,
            share_class=bad[2] if one_class else p,
            distribution_fee=Decimal("0.75"),
            service_fee=Decimal("0.25"),
            effective_date=date(2020, 1, 1),
        )
        for i, p in enumerate(bad)
    )
    ops = (
        Operation("replace_schedule"),
        Operation("amend_text", section=bad[0], text=" ".join(bad)),
        Operation("rename_fund", target=bad[2], new_name=bad[3]),
        Operation("terminate", target=bad[1]),
        Operation("add_rows", rows=rows[:2]),
    )
    return Instrument(
        source=Source("hostile.txt", ""),
        kind="amendment",
        title=" ".join(bad),
        amendment_number=3,
        plan=PlanRef(bad[2], (bad[0], "C"), date(2003, 7, 1)),
        effective_date=date(2020, 1, 1),
        operations=ops,
        schedule=Schedule(bad[4], True, rows),
        signatories=tuple(bad),
    )


def _assert_nothing_leaked(pdf: bytes, seen: list[str]) -> None:
    everything = b"\n".join(pdf_chunks(pdf))
    assert SECRET.encode() not in everything
    assert b"root:x:0:0" not in everything and b"/usr/sbin/nologin" not in everything
    assert b"/EmbeddedFile" not in everything and b"/Filespec" not in everything
    assert seen == []


@pytest.mark.parametrize("one_class", [False, True])
def test_payloads_in_every_field_reach_no_file_and_no_server(
    server: tuple[str, list[str]], secret_file: Path, one_class: bool
) -> None:
    url, seen = server
    done = render_document(hostile_instrument(url, secret_file, one_class), "pdf")
    assert done.data.startswith(b"%PDF-")
    _assert_nothing_leaked(done.data, seen)
    assert done.warnings == ()  # nothing in the HTML even referred to a resource


def test_the_payload_html_is_effective_without_the_fetcher(
    server: tuple[str, list[str]], secret_file: Path
) -> None:
    """The control: WeasyPrint's own fetcher does attach the file and call the server, so the
    tests above and below can fail."""
    from weasyprint import HTML

    url, seen = server
    pdf = HTML(string="<p>x</p>" + "".join(_payloads(url, secret_file)), base_url=".").write_pdf()
    assert pdf is not None
    assert SECRET.encode() in b"\n".join(pdf_chunks(pdf))
    assert seen


def test_the_fetcher_refuses_raw_references_in_html(server: tuple[str, list[str]], secret_file: Path) -> None:
    """Defence in depth: even markup that reached the HTML loads nothing."""
    url, seen = server
    raw = "<p>x</p>" + "".join(_payloads(url, secret_file)) + '<img src="data:image/png;base64,AAAA">'
    pdf, refused = print_html(raw)
    _assert_nothing_leaked(pdf, seen)
    assert any("secret.txt" in r for r in refused) and any(r.startswith(url) for r in refused)


def test_markup_in_values_is_printed_literally(server: tuple[str, list[str]], secret_file: Path) -> None:
    from docx import Document

    inst = hostile_instrument(*server[:1], secret_file)
    html = render_html(inst)
    assert "<script>" not in html and "<img" not in html and "<link rel=attachment" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; A&amp;B &amp;amp; Co." in html
    assert "&lt;link rel=attachment href=file:///etc/passwd&gt;" in html
    text = render_text(inst)
    assert "<script>alert(1)</script> A&B &amp; Co." in text
    word = Document(io.BytesIO(render_document(inst, "docx").data))
    cells = [c.text for t in word.tables for r in t.rows for c in r.cells]
    assert "Fund 6 <script>alert(1)</script> A&B &amp; Co." in cells


UNPRINTABLE = "Bad\x00Fund\x1b[31m Red\x07\u202eevil\x0b\x85\ud800 Trust\tTab"


def _unprintable_instrument() -> Instrument:
    row = ScheduleRow(fund=UNPRINTABLE, registrant="R\x1b]0;title\x07", service_fee=Decimal("0.25"))
    return Instrument(
        source=Source("x.txt", ""),
        kind="schedule",
        title="T\x01",
        schedule=Schedule("Schedule A", True, (row,)),
        signatories=("S\ufffe",),
    )


@pytest.mark.parametrize("fmt", ["text", "docx", "pdf"])
def test_control_characters_are_stripped_with_a_warning_naming_the_field(fmt: str) -> None:
    done = render_document(_unprintable_instrument(), fmt)
    assert done.data
    fields = [w.split(":", 1)[0] for w in done.warnings]
    assert fields == ["title", "schedule.rows[0].fund", "schedule.rows[0].registrant", "signatories[0]"]
    assert "U+001B" in done.warnings[1] and "U+D800" in done.warnings[1] and "U+202E" in done.warnings[1]
    if fmt == "text":
        text = done.data.decode("utf-8")
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", text)
        assert "BadFund[31m Redevil Trust Tab" in text


def test_cli_prints_warnings_and_no_escape_sequences(tmp_path: Path) -> None:
    src = tmp_path / "x.json"
    src.write_text(json.dumps(instrument_to_json(_unprintable_instrument())))
    out = subprocess.run([str(DISTPLAN), "render", str(src)], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert "\x1b" not in out.stdout and "\x1b" not in out.stderr
    assert "Traceback" not in out.stderr
    assert out.stderr.count("distplan: warning:") == 4
    assert "schedule.rows[0].fund: removed unprintable characters" in out.stderr
