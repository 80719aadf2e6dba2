"""In a real Chromium (Debian's, driven by Playwright; never a downloaded browser): a counsel
reviews the reference filing, edits a cell, records it, and sees it on the schedule and the
coverage chart; an auditor finds no record button. One server, one browser, one scenario.

DISTPLAN_SCREENSHOTS=docs/img saves the screenshots the README shows (else to a temp dir)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from server import serving
from webapp import NOW, sign_in, site

from aim_inputs import ROOT, text_paths
from distplan.app import Upload

REFERENCE = ROOT / "tests" / "corpus" / "documents" / "aim-investor-amend2-2003-11-03.txt"
EDITED = "INVESCO Tax-Free Bond Fund (reviewed)"


def test_review_record_and_see_it(browser: Any, tmp_path: Path) -> None:
    shots = Path(os.environ.get("DISTPLAN_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with site(tmp_path, record=False) as made, serving(made.app) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        sign_in(page, base, "counsel")
        page.click("text=Review a filing")
        page.set_input_files("input[type=file]", str(REFERENCE))
        page.click("#upload")
        page.wait_for_selector("#review-rows")
        review_url = page.url
        rows = page.locator("#review-rows tbody tr")
        assert rows.count() == 18
        cell = page.locator("input[name='row-0-fund']")
        cell.fill(EDITED)
        page.screenshot(path=str(shots / "review.png"), full_page=False)
        page.click("#add-row")  # add a row, then take it out again
        assert rows.count() == 19
        rows.nth(18).locator("input[type=checkbox]").check()
        page.click("#record")
        page.wait_for_url("**/schedule?**")
        assert page.locator("#schedule tbody tr").count() == 18
        assert page.locator(f"#schedule >> text={EDITED}").count() == 1

        # Amendments 3 and 4 recorded behind the page's back (another process, say): the
        # chart shows all three, split at each amendment.
        ups = [Upload(p.name, p.read_bytes()) for p in text_paths()[1:]]
        made.workspace.record(ups, recorded_at=NOW.replace(minute=45), recorded_by="setup")
        page.click("nav.plan >> text=Coverage")
        chart = page.locator("#coverage-chart")
        chart.wait_for()
        titles = chart.locator("rect.bar title").all_text_contents()
        assert any(EDITED in t and "Amendment No. 2" in t for t in titles)
        assert any("in force: Amendment No. 4" in t for t in titles)
        chart.screenshot(path=str(shots / "coverage.png"))
        history = page.request.get(f"{base}/api/v1/plans/1/history?as_of=2004-01-01")
        assert history.status == 200 and history.json()["entries"][0]["recorded_by"] == "counsel"

        page.click("header button")  # sign out
        sign_in(page, base, "auditor")
        page.goto(review_url)
        assert page.locator("#review-rows tbody tr").count() == 18
        assert page.locator("#record").count() == 0
        assert page.locator("text=Review a filing").count() == 0
        context.close()
