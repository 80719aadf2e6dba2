"""The server-rendered pages: sign-in with CSRF, every page renders, data is escaped, and the
review form records what the person edited."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from webapp import PASSWORD, Site, nav_csv

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


def test_schedule_page_pages_and_filters(browser: TestClient) -> None:
    _sign_in(browser, "auditor")
    first = browser.get("/plans/1/schedule?as_of=2003-11-21&limit=5").text
    assert len(re.findall(r"<tr><td>", first)) == 5 and "rows 1&ndash;5 of 18" in first
    assert 'rel="prev"' not in first
    link = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert link is not None
    second = browser.get(link.group(1).replace("&amp;", "&")).text
    assert "rows 6&ndash;10 of 18" in second and 'rel="prev"' in second
    last = browser.get("/plans/1/schedule?as_of=2003-11-21&limit=5&offset=15").text
    assert "rows 16&ndash;18 of 18" in last and 'rel="next"' not in last
    found = browser.get("/plans/1/schedule?as_of=2003-11-21&fund=telecom").text
    assert len(re.findall(r"<tr><td>", found)) == 1 and "of 1 matching &ldquo;telecom&rdquo;" in found
    assert browser.get("/plans/1/schedule?as_of=2003-11-21&limit=5000").status_code == 422


def test_ledger_page_pages(browser: TestClient) -> None:
    _sign_in(browser, "auditor")
    first = browser.get("/ledger?limit=2").text
    assert len(re.findall(r"<tr><td>\d+</td>", first)) == 2 and "rows 1&ndash;2 of" in first
    link = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert link is not None and 'rel="prev"' not in first
    second = browser.get(link.group(1).replace("&amp;", "&")).text
    assert "rows 3&ndash;" in second and 'rel="prev"' in second


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


def test_schedule_and_payables_download_as_xlsx(browser: TestClient, aim_site: Site) -> None:
    _sign_in(browser, "distributor")
    schedule = browser.get("/plans/1/schedule?as_of=2003-11-21&limit=5")
    link = re.search(r'<a id="xlsx" href="([^"]+)"', schedule.text)
    assert link is not None and "limit" not in link.group(1)  # every row, not the page shown
    sheet = browser.get(link.group(1).replace("&amp;", "&"))
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("application/vnd.openxml")
    ws = load_workbook(io.BytesIO(sheet.content))["Schedule"]
    rows = [r for r in ws.iter_rows(values_only=True) if r and r[1] and str(r[1]).startswith("INVESCO")]
    assert len(rows) == 18 and all(isinstance(r[6], datetime) for r in rows)
    telecom = browser.get("/plans/1/schedule.xlsx?as_of=2003-11-21&fund=telecom")
    found = load_workbook(io.BytesIO(telecom.content))["Schedule"]
    assert (
        sum(1 for r in found.iter_rows(values_only=True) if r and r[1] == "INVESCO Telecommunications Fund")
        == 1
    )

    admin = aim_site.auth("administrator")
    terms = {"effective": "2003-07-01", "source": "plan body", "distribution": "0", "service": "0.25"}
    assert browser.post("/api/v1/plans/1/terms", json=terms, headers=admin).status_code == 201
    path = nav_csv(aim_site.workspace, aim_site.directory / "nav-pages.csv")
    with path.open("rb") as f:
        up = browser.post("/api/v1/uploads/nav", files={"file": ("nav.csv", f, "text/csv")}, headers=admin)
    nav = up.json()["id"]
    _sign_in(browser, "distributor")
    page = browser.get(f"/plans/1/payables?month=2003-11&nav={nav}")
    assert page.status_code == 200 and 'id="xlsx"' in page.text
    csv = browser.get(f"/plans/1/payables.csv?month=2003-11&nav={nav}")
    assert csv.status_code == 200 and csv.headers["content-disposition"].endswith('2003-11.csv"')
    book = browser.get(f"/plans/1/payables.xlsx?month=2003-11&nav={nav}")
    assert book.status_code == 200 and book.headers["content-disposition"].endswith('2003-11.xlsx"')
    statement = load_workbook(io.BytesIO(book.content))["Statement"]
    fees = [r for r in statement.iter_rows(values_only=True) if r and isinstance(r[3], int)]
    assert fees and len(fees) == csv.text.count("\n") - 1 and all(isinstance(r[7], float | int) for r in fees)
    assert browser.get(f"/plans/1/payables.xlsx?month=2003-13&nav={nav}").status_code == 422
