"""The draft page in a real Chromium (Debian's, driven by Playwright, as test_browser.py): a
counsel opens /plans/1/draft, removes a fund, raises a rate, previews (the diff and the
(b)(4) finding), downloads the DOCX; an auditor previews the same draft but cannot record it,
neither by the page (no button) nor by posting the form."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from docx import Document
from server import serving
from webapp import sign_in, site

REMOVED, RAISED = "INVESCO Leisure Fund", "INVESCO Energy Fund"
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _edit_and_preview(page: Any, base: str) -> None:
    page.goto(f"{base}/plans/1/draft")
    page.fill("input[name=as_of]", "2004-06-01")
    page.fill("input[name=effective]", "2004-07-01")
    page.check(f"input[aria-label='remove {REMOVED}']")
    for part, rate in (("d", "0.10"), ("s", "0.25"), ("a", "0.35")):
        page.fill(f"input[aria-label='{part} rate of {RAISED}']", rate)
    page.click("#preview")
    page.wait_for_selector("#preview-result")


def _docx(download: Any, where: Path) -> bytes:
    assert download.suggested_filename == "amendment-5.docx"
    path = where / download.suggested_filename
    download.save_as(str(path))
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # a DOCX: a zip with a WordprocessingML body
        assert WORD in z.read("[Content_Types].xml").decode()
        assert "word/document.xml" in z.namelist()
    return data


def test_counsel_drafts_previews_and_downloads_an_auditor_cannot_record(browser: Any, tmp_path: Path) -> None:
    with site(tmp_path) as made, serving(made.app) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
        page = context.new_page()
        sign_in(page, base, "counsel")
        _edit_and_preview(page, base)
        assert page.inner_text("#counts") == "0 added, 1 removed, 0 renamed, 1 rate changes"
        assert page.locator("ul.diff li.removed").all_inner_texts() == [f"- {REMOVED} (Investor)"]
        changed = page.locator("ul.diff li.changed").all_inner_texts()
        assert len(changed) == 1 and changed[0].startswith(f"~ {RAISED}:") and "0.35" in changed[0]
        findings = page.locator("#findings li").all_inner_texts()
        raised = [f for f in findings if "Rule 12b-1(b)(4)" in f]
        assert len(raised) == 1 and RAISED in raised[0] and "To clear:" in raised[0], findings
        assert page.locator("#record").count() == 1

        with page.expect_download() as download:
            page.click("#download-docx")
        doc = Document(io.BytesIO(_docx(download.value, tmp_path)))
        assert doc.paragraphs[0].text == "AMENDMENT NO. 5"
        schedule = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
        assert [RAISED, "0.10%", "0.25%", "0.35%"] in schedule
        assert not [row for row in schedule if REMOVED in row[0]]
        draft_url = page.url

        page.click("header button")  # sign out
        head = made.workspace.head_seq()
        sign_in(page, base, "auditor")
        page.goto(draft_url)
        page.wait_for_selector("#preview-result")
        assert page.locator("#findings >> text=Rule 12b-1(b)(4)").count() == 1
        assert page.locator("#record").count() == 0
        assert "can preview but not record" in page.inner_text("#preview-result")
        csrf = next(c["value"] for c in context.cookies() if c["name"] == "distplan_csrf")
        fields = dict(parse_qsl(urlsplit(draft_url).query))
        posted = page.request.post(f"{base}/plans/1/draft/record", form={**fields, "csrf": csrf})
        assert posted.status == 403
        assert made.workspace.head_seq() == head
        context.close()
