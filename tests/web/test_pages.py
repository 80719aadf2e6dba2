"""The server-rendered pages: sign-in with CSRF, every page renders, data is escaped, and the
review form records what the person edited."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from webapp import PASSWORD, Site

from aim_inputs import AIM_DIR

AMEND2 = AIM_DIR / "aim-investor-amend2-2003-11-03.txt"


def _sign_in(client: TestClient, name: str) -> str:
    client.cookies.clear()
    client.get("/signin")
    csrf = client.cookies.get("distplan_csrf")
    r = client.post(
        "/signin", data={"name": name, "password": PASSWORD, "csrf": csrf}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/plans"
    return str(csrf)


@pytest.fixture
def browser(aim_site: Site) -> Iterator[TestClient]:
    with TestClient(aim_site.app) as c:
        yield c


def test_pages_need_a_session(browser: TestClient) -> None:
    r = browser.get("/plans/1/schedule?as_of=2003-11-21", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/signin?next=%2Fplans%2F1%2Fschedule")
    wrong = browser.post("/signin", data={"name": "counsel", "password": "nope", "csrf": "x" * 30})
    assert wrong.status_code == 403  # no CSRF cookie: the form did not come from this site
    browser.get("/signin")
    csrf = browser.cookies.get("distplan_csrf")
    wrong = browser.post("/signin", data={"name": "counsel", "password": "nope", "csrf": csrf})
    assert wrong.status_code == 401 and "Wrong name or password" in wrong.text


def test_open_redirects_are_refused(browser: TestClient) -> None:
    browser.get("/signin")
    csrf = browser.cookies.get("distplan_csrf")
    for target in ("//evil.example/", "https://evil.example/", "/\\evil"):
        r = browser.post(
            "/signin",
            data={"name": "auditor", "password": PASSWORD, "csrf": csrf, "next": target},
            follow_redirects=False,
        )
        assert r.headers["location"] == "/plans"


def test_every_page_renders(browser: TestClient) -> None:
    _sign_in(browser, "counsel")
    for url in (
        "/plans",
        "/plans/1/schedule?as_of=2003-11-21",
        "/plans/1/schedule?as_of=2003-12-01&known_at=2",
        "/plans/1/coverage",
        "/plans/1/coverage?q=telecom",
        "/plans/1/diff?from=2003-11-19&to=2003-11-24",
        "/plans/1/timeline?fund=INVESCO+Telecommunications+Fund",
        "/ledger",
        "/ledger?verify=1",
        "/ledger?show=1",
        "/plans/1/findings?as_of=2004-12-31",
        "/plans/1/calendar?from=2004-12-31&to=2005-07-01",
        "/review",
        "/fees",
    ):
        r = browser.get(url)
        assert r.status_code == 200, (url, r.text[:300])
        assert "<script>" not in r.text
        assert r.headers["content-security-policy"].startswith("default-src 'self'")
    assert browser.get("/plans/9/schedule").status_code == 404
    assert "chain intact" in browser.get("/ledger?verify=1").text


def test_coverage_chart_is_svg_split_at_amendments(browser: TestClient) -> None:
    _sign_in(browser, "auditor")
    page = browser.get("/plans/1/coverage?q=Telecommunications").text
    bars = re.findall(r'<rect class="bar[^"]*"[^>]*><title>([^<]*)</title>', page)
    # Telecommunications: covered [11-03, 11-24), split at Amendment 3 (11-20).
    assert len(bars) == 2 and "Amendment No. 2" in bars[0] and "in force: Amendment No. 3" in bars[1]


def test_review_records_the_edited_rows_and_auditors_get_no_record_button(
    browser: TestClient, aim_site: Site
) -> None:
    csrf = _sign_in(browser, "counsel")
    with AMEND2.open("rb") as f:
        up = browser.post(
            "/review",
            files={"file": (AMEND2.name, f, "text/plain")},
            data={"csrf": csrf},
            follow_redirects=False,
        )
    assert up.status_code == 303
    review = browser.get(up.headers["location"])
    assert review.status_code == 200 and 'id="record"' in review.text
    assert len(re.findall(r'name="row" value="\d+"', review.text)) == 18
    assert 'id="L24"' in review.text  # the source beside the rows
    _sign_in(browser, "auditor")
    seen = browser.get(up.headers["location"])
    assert seen.status_code == 200 and 'id="record"' not in seen.text
    denied = browser.post(
        up.headers["location"] + "/record", data={"csrf": browser.cookies.get("distplan_csrf")}
    )
    assert denied.status_code == 403


def test_data_is_never_markup(aim_site: Site, browser: TestClient) -> None:
    evil = AMEND2.read_text().replace("INVESCO Telecommunications Fund", "<script>alert(1)</script> Fund")
    csrf = _sign_in(browser, "counsel")
    up = browser.post(
        "/review",
        files={"file": ("evil<b>.txt", evil.encode(), "text/plain")},
        data={"csrf": csrf},
        follow_redirects=False,
    )
    page = browser.get(up.headers["location"]).text
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "evil<b>" not in page
