"""The "draft amendment" page: the schedule as a form, the preview, the downloads, and counsel
recording the draft (no other role can)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from webapp import PASSWORD, Site, site

BASE = {"as_of": "2004-06-01", "effective": "2004-07-01"}


@pytest.fixture(scope="module")
def aim_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with site(tmp_path_factory.mktemp("draftweb")) as made:
        yield made


def _browser(made: Site, role: str) -> TestClient:
    client = TestClient(made.app)
    client.get("/signin")
    csrf = client.cookies.get("distplan_csrf")
    r = client.post(
        "/signin", data={"name": role, "password": PASSWORD, "csrf": csrf}, follow_redirects=False
    )
    assert r.status_code == 303
    return client


def _row(client: TestClient, fund: str) -> int:
    page = client.get(f"/plans/1/draft?{urlencode(BASE)}").text
    marker = f'aria-label="name of {fund}"'
    before = page[: page.index(marker)]
    return int(before[before.rindex('name="r') + 7 :].split("-")[0])


def _fields(client: TestClient) -> dict[str, str]:
    energy, leisure = _row(client, "INVESCO Energy Fund"), _row(client, "INVESCO Leisure Fund")
    return {
        **BASE,
        f"r{energy}-d": "0.10",
        f"r{energy}-s": "0.25",
        f"r{energy}-a": "0.35",
        f"r{leisure}-remove": "1",
        "new0-fund": "INVESCO <script>alert(1)</script> Fund",
        "new0-class": "Investor",
        "new0-registrant": "AIM Sector Funds",
        "new0-d": "0.00",
        "new0-s": "0.25",
        "new0-a": "0.25",
    }


def test_the_page_previews_the_draft(aim_site: Site) -> None:
    client = _browser(aim_site, "counsel")
    page = client.get(f"/plans/1/draft?{urlencode(_fields(client))}")
    assert page.status_code == 200, page.text
    assert "1 added, 1 removed, 0 renamed, 1 rate changes" in page.text
    assert "Rule 12b-1(b)(4)" in page.text and "To clear" in page.text
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    assert 'id="record"' in page.text
    assert 'id="coverage-before"' in page.text and 'id="coverage-after"' in page.text
    assert "Amendment No. 5 (draft)" in page.text


def test_the_downloads(aim_site: Site) -> None:
    client = _browser(aim_site, "auditor")
    query = urlencode(_fields(client))
    for path, magic in (("draft.docx", b"PK"), ("draft.pdf", b"%PDF")):
        r = client.get(f"/plans/1/{path}?{query}")
        assert r.status_code == 200 and r.content.startswith(magic), r.text[:200]
    red = client.get(f"/plans/1/draft.docx?{query}&redline=true")
    assert red.status_code == 200 and red.content.startswith(b"PK")
    assert client.get(f"/plans/1/draft.exe?{query}").status_code in (400, 422)


def test_only_counsel_records_it(aim_site: Site) -> None:
    auditor = _browser(aim_site, "auditor")
    fields = _fields(auditor)
    assert 'id="record"' not in auditor.get(f"/plans/1/draft?{urlencode(fields)}").text
    csrf = auditor.cookies.get("distplan_csrf")
    assert auditor.post("/plans/1/draft/record", data={**fields, "csrf": csrf}).status_code == 403
    head = aim_site.workspace.head_seq()
    counsel = _browser(aim_site, "counsel")
    r = counsel.post(
        "/plans/1/draft/record",
        data={**fields, "csrf": counsel.cookies.get("distplan_csrf")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert aim_site.workspace.head_seq() == head + 1
    assert "Amendment No. 5" in counsel.get(r.headers["location"]).text


def test_a_bad_rate_is_one_message(aim_site: Site) -> None:
    client = _browser(aim_site, "counsel")
    fields = {**BASE, "new0-fund": "X Fund", "new0-registrant": "R", "new0-d": "abc"}
    r = client.get(f"/plans/1/draft?{urlencode(fields)}")
    assert r.status_code in (400, 422) and "rates of X Fund" in r.text
