"""The authorization matrix: every role against every write endpoint (allowed, or 403), and no
credentials at all (401). The bodies are deliberately incomplete: an allowed role gets past
authorization and is stopped by validation (422) or the data (404/409), never by a 403, and
nothing is written."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from webapp import Site, site

from distplan.app.roles import FEES, READ_ALL, READ_FEES, RECORD, ROLES, TERMS, USERS, VERIFY, VOID, allowed

FILE = {"file": ("x.txt", b"not a filing", "text/plain")}
WRITES = [
    ("POST", "/api/v1/documents/extract", {"files": FILE}, RECORD),
    ("POST", "/api/v1/plans/1/instruments", {"json": {}}, RECORD),
    ("POST", "/api/v1/instruments", {"json": {}}, RECORD),
    ("POST", "/api/v1/governance", {"files": {"file": ("g.txt", b"x", "text/plain")}}, RECORD),
    ("POST", "/api/v1/plans/1/terms", {"json": {}}, TERMS),
    ("POST", "/api/v1/entries/1/void", {"json": {}}, VOID),
    ("POST", "/api/v1/uploads/nav", {"files": {"file": ("n.txt", b"x", "text/plain")}}, FEES),
    ("POST", "/api/v1/users", {"json": {}}, USERS),
    ("DELETE", "/api/v1/users/nobody/tokens", {}, USERS),
]
READS = [
    ("GET", "/api/v1/entries?as_of=2004-01-01", {}, READ_ALL),
    ("GET", "/api/v1/plans/1/findings?as_of=2004-01-01", {}, READ_ALL),
    ("GET", "/api/v1/plans/1/payables?month=2003-11&nav=" + "0" * 64, {}, READ_FEES),
    ("GET", "/api/v1/verify", {}, VERIFY),
    ("GET", "/api/v1/users", {}, USERS),
]


@pytest.fixture(scope="module")
def matrix_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, TestClient]]:
    with site(tmp_path_factory.mktemp("authz")) as made, TestClient(made.app) as client:
        yield made, client


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "permission"), WRITES + READS, ids=lambda v: str(v)[:40]
)
def test_each_role(
    matrix_site: tuple[Site, TestClient], method: str, path: str, kwargs: dict, permission: str
) -> None:
    made, client = matrix_site
    head = made.workspace.head_seq()
    for role in ROLES:
        r = client.request(method, path, headers=made.auth(role), **kwargs)
        if allowed(role, permission):
            assert r.status_code not in (401, 403), (role, r.status_code, r.text)
        else:
            assert r.status_code == 403, (role, r.status_code, r.text)
            assert r.json()["error"]
    assert made.workspace.head_seq() == head  # nothing was written


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "permission"), WRITES + READS, ids=lambda v: str(v)[:40]
)
def test_no_credentials(
    matrix_site: tuple[Site, TestClient], method: str, path: str, kwargs: dict, permission: str
) -> None:
    _, client = matrix_site
    for headers in ({}, {"Authorization": "Bearer dp_not-a-token"}, {"Authorization": "Basic eDp5"}):
        r = client.request(method, path, headers=headers, **kwargs)
        assert r.status_code == 401, (headers, r.text)


def test_auditor_reads_everything_and_writes_nothing() -> None:
    assert all(allowed("auditor", p) for p in (READ_ALL, READ_FEES, VERIFY))
    assert not any(allowed("auditor", p) for p in (RECORD, VOID, TERMS, FEES, USERS))


def test_a_cookie_session_needs_the_csrf_header_on_api_writes(matrix_site: tuple[Site, TestClient]) -> None:
    made, _ = matrix_site
    with TestClient(made.app) as browser:
        form = browser.get("/signin")
        csrf = browser.cookies.get("distplan_csrf")
        assert csrf and csrf in form.text
        signed = browser.post(
            "/signin",
            data={"name": "admin", "password": "correct horse battery", "csrf": csrf},
            follow_redirects=False,
        )
        assert signed.status_code == 303
        body = {"name": "newbie", "role": "auditor"}
        assert browser.post("/api/v1/users", json=body).status_code == 403
        assert browser.post("/api/v1/users", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
