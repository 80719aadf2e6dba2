"""The JSON API, endpoint by endpoint, on the AIM ledger (FastAPI's TestClient: the real app)."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from webapp import NOW, Site, nav_csv, site

from aim_inputs import AIM_DIR, gold_instrument_json, run_cli

AMEND2 = AIM_DIR / "aim-investor-amend2-2003-11-03.txt"
GOVERNANCE = AIM_DIR.parent / "governance.yaml"


def test_health_needs_no_sign_in(client: TestClient) -> None:
    r = client.get("/api/v1/health")
    assert r.status_code == 200 and r.json() == {"status": "ok", "entries": 3}


def test_openapi_documents_the_endpoints(client: TestClient) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/v1/plans",
        "/api/v1/plans/{plan_id}/schedule",
        "/api/v1/plans/{plan_id}/diff",
        "/api/v1/plans/{plan_id}/timeline",
        "/api/v1/plans/{plan_id}/history",
        "/api/v1/verify",
        "/api/v1/documents/extract",
        "/api/v1/plans/{plan_id}/instruments",
        "/api/v1/governance",
        "/api/v1/plans/{plan_id}/payables",
        "/api/v1/plans/{plan_id}/findings",
        "/api/v1/plans/{plan_id}/calendar",
    ):
        assert path in paths
    assert not any(p.startswith("/plans") or p == "/signin" for p in paths)  # pages are not API


def test_schedule_pages_and_fund_filter(client: TestClient, aim_site: Site) -> None:
    h = aim_site.auth("distributor")
    url, day = "/api/v1/plans/1/schedule", {"as_of": "2003-11-21"}
    every = [r["fund"] for r in client.get(url, params=day, headers=h).json()["rows"]]
    pages, offset = [], 0
    while offset is not None:  # 5 rows a page: 5, 5, 5, 3
        body = client.get(url, params={**day, "limit": 5, "offset": offset}, headers=h).json()
        pages.append([r["fund"] for r in body["rows"]])
        assert body["page"]["total"] == 18 and body["message"].startswith("18 funds")
        offset = body["page"]["next_offset"]
    assert [len(p) for p in pages] == [5, 5, 5, 3] and [f for p in pages for f in p] == every
    telecom = client.get(url, params={**day, "fund": "telecommunications"}, headers=h).json()
    assert [r["fund"] for r in telecom["rows"]] == ["INVESCO Telecommunications Fund"]
    assert telecom["page"]["total"] == 1 and telecom["page"]["fund"] == "telecommunications"
    past = client.get(url, params={**day, "offset": 40}, headers=h).json()
    assert past["rows"] == [] and past["page"]["total"] == 18
    for bad in ({"limit": 0}, {"limit": 1001}, {"offset": -1}):
        assert client.get(url, params={**day, **bad}, headers=h).status_code == 422


def test_entries_come_a_page_at_a_time(client: TestClient, aim_site: Site) -> None:
    h, url = aim_site.auth("auditor"), "/api/v1/entries"
    every = client.get(url, params={"as_of": "2004-01-01"}, headers=h).json()
    seqs = [e["seq"] for e in every["entries"]]
    assert seqs == sorted(seqs, reverse=True) and every["page"]["total"] == len(seqs) >= 3
    first = client.get(url, params={"as_of": "2004-01-01", "limit": 2}, headers=h).json()
    assert [e["seq"] for e in first["entries"]] == seqs[:2] and first["page"]["next_offset"] == 2
    rest = client.get(url, params={"as_of": "2004-01-01", "limit": 2, "offset": 2}, headers=h).json()
    assert [e["seq"] for e in rest["entries"]] == seqs[2:4]
    assert client.get(url, params={"as_of": "2004-01-01", "limit": 1001}, headers=h).status_code == 422


def test_reads(client: TestClient, aim_site: Site) -> None:
    h = aim_site.auth("auditor")
    assert [p["instruments"] for p in client.get("/api/v1/plans", headers=h).json()["plans"]] == [3]
    sched = client.get("/api/v1/plans/1/schedule", params={"as_of": "2003-11-21"}, headers=h).json()
    cli = run_cli("--db", aim_site.workspace.ledger.url, "schedule", "--as-of", "2003-11-21", "--json").json()
    page = sched.pop("page")
    assert sched == cli and len(sched["rows"]) == 18  # one page holds them all: the CLI's JSON
    assert page == {"offset": 0, "limit": 200, "total": 18, "fund": None, "next_offset": None}
    before = client.get(
        "/api/v1/plans/1/schedule", params={"as_of": "2003-12-01", "known_at": "2"}, headers=h
    )
    assert before.json()["known_at"] == 2 and before.json()["instruments"] == ["Amendment No. 3 (seq 2)"]
    diff = client.get(
        "/api/v1/plans/1/diff", params={"from": "2003-11-19", "to": "2003-11-24"}, headers=h
    ).json()
    assert (len(diff["added"]), len(diff["removed"])) == (1, 5)
    tl = client.get("/api/v1/plans/1/timeline", params={"fund": "INVESCO Telecommunications Fund"}, headers=h)
    assert tl.json()["coverage"] == [{"start": "2003-11-03", "end": "2003-11-24"}]
    hist = client.get("/api/v1/plans/1/history", params={"as_of": "2004-01-01"}, headers=h).json()
    assert [e["status"] for e in hist["entries"]] == ["superseded", "superseded", "in force"]
    assert {e["recorded_by"] for e in hist["entries"]} == {"setup"}
    cov = client.get("/api/v1/plans/1/coverage", headers=h).json()
    assert len(cov["amendments"]) == 3 and cov["periods"]
    entries = client.get("/api/v1/entries", params={"as_of": "2004-01-01"}, headers=h).json()["entries"]
    assert entries[0]["seq"] == 3 and entries[0]["recorded_by"] == "setup"
    src = client.get("/api/v1/entries/1/source", headers=h)
    assert src.status_code == 200 and "AMENDMENT NO. 2" in src.text.upper()
    verify = client.get("/api/v1/verify", headers=h).json()
    assert verify["ok"] is True and verify["entries"] >= 3


def test_compliance_reads(client: TestClient, aim_site: Site) -> None:
    h = aim_site.auth("auditor")
    found = client.get("/api/v1/plans/1/findings", params={"as_of": "2004-12-31"}, headers=h).json()
    assert found["summary"]["error"] >= 1 and all("citation" in f for f in found["findings"])
    cal = client.get("/api/v1/plans/1/calendar", params={"from": "2004-12-31", "to": "2005-07-01"}, headers=h)
    assert cal.status_code == 200 and cal.json()["deadlines"]


def test_extract_then_record_into_the_plan(client: TestClient, aim_site: Site) -> None:
    counsel = aim_site.auth("counsel")
    with AMEND2.open("rb") as f:
        r = client.post(
            "/api/v1/documents/extract", files={"file": (AMEND2.name, f, "text/plain")}, headers=counsel
        )
    assert r.status_code == 200
    body = r.json()
    assert len(body["instrument"]["schedule"]["rows"]) == 18
    inst = body["instrument"]
    inst["schedule"]["rows"][0]["fund"] = "INVESCO Tax-Free Bond Fund II"
    made = client.post(
        "/api/v1/plans/1/instruments",
        json={"instrument": inst, "upload_id": body["upload_id"]},
        headers=counsel,
    )
    assert made.status_code == 201, made.text
    # Amendment 2's source is already recorded (entry 1): recording it again changes nothing.
    assert made.json()["recorded"] == [] and made.json()["unchanged"][0]["duplicate_of"] == 1


def test_record_new_instrument_and_conflicting_plan(client: TestClient, aim_site: Site) -> None:
    counsel = aim_site.auth("counsel")
    other = gold_instrument_json("aim-investor-amend3-2003-11-20")
    other["plan"] = {"title": "Another Plan", "share_classes": ["Z"], "dated": None}
    other["source"]["sha256"] = "0" * 64
    wrong = client.post("/api/v1/plans/1/instruments", json={"instrument": other}, headers=counsel)
    assert wrong.status_code == 409 and wrong.json()["field"] == "instrument"
    made = client.post("/api/v1/instruments", json={"instrument": other}, headers=counsel)
    assert made.status_code == 201 and made.json()["recorded"][0]["plan_created"] is True
    assert made.json()["recorded"][0]["recorded_by"] == "counsel"


def test_governance_terms_void(client: TestClient, aim_site: Site) -> None:
    with GOVERNANCE.open("rb") as f:
        r = client.post(
            "/api/v1/governance",
            files={"file": ("governance.yaml", f, "application/yaml")},
            data={"plan": "1"},
            headers=aim_site.auth("counsel"),
        )
    assert r.status_code == 201, r.text
    assert r.json()["governance"][0]["entry"]["kind"] == "governance"
    terms = client.post(
        "/api/v1/plans/1/terms",
        json={"effective": "2003-07-01", "source": "plan body", "distribution": "0", "service": "0.25"},
        headers=aim_site.auth("administrator"),
    )
    assert terms.status_code == 201 and terms.json()["kind"] == "terms"
    seq = terms.json()["seq"]
    void = client.post(
        f"/api/v1/entries/{seq}/void", json={"reason": "typo"}, headers=aim_site.auth("counsel")
    )
    assert void.status_code == 201 and void.json()["target_seq"] == seq
    again = client.post(
        f"/api/v1/entries/{seq}/void", json={"reason": "typo"}, headers=aim_site.auth("counsel")
    )
    assert again.status_code == 409 and "already voided" in again.json()["error"]


def test_payables_from_an_uploaded_nav(client: TestClient, aim_site: Site) -> None:
    terms = {
        "effective": "2003-07-01",
        "source": "Investor Class plan body",
        "distribution": "0",
        "service": "0.25",
    }
    made = client.post("/api/v1/plans/1/terms", json=terms, headers=aim_site.auth("administrator"))
    assert made.status_code == 201
    path = nav_csv(aim_site.workspace, aim_site.directory / "nav.csv")
    with path.open("rb") as f:
        up = client.post(
            "/api/v1/uploads/nav",
            files={"file": ("nav.csv", f, "text/csv")},
            headers=aim_site.auth("administrator"),
        )
    assert up.status_code == 201
    nav = up.json()["id"]
    r = client.get(
        "/api/v1/plans/1/payables",
        params={"month": "2003-11", "nav": nav},
        headers=aim_site.auth("distributor"),
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["month"] == "2003-11" and body["payables"] and body["totals"]["plans"]
    missing = client.get(
        "/api/v1/plans/1/payables",
        params={"month": "2003-11", "nav": "f" * 64},
        headers=aim_site.auth("distributor"),
    )
    assert missing.status_code == 404 and missing.json()["field"] == "id"


def test_users_endpoints(client: TestClient, aim_site: Site) -> None:
    admin = aim_site.auth("admin")
    made = client.post(
        "/api/v1/users", json={"name": "zoe", "role": "auditor", "password": "long enough"}, headers=admin
    )
    assert made.status_code == 201 and made.json()["role"] == "auditor"
    dup = client.post("/api/v1/users", json={"name": "zoe", "role": "auditor"}, headers=admin)
    assert dup.status_code == 409
    bad = client.post("/api/v1/users", json={"name": "yan", "role": "root"}, headers=admin)
    assert bad.status_code == 422 and bad.json()["field"] == "role"
    assert "zoe" in {u["name"] for u in client.get("/api/v1/users", headers=admin).json()["users"]}


def test_revoked_tokens_are_refused(client: TestClient, aim_site: Site) -> None:
    admin, ws = aim_site.auth("admin"), aim_site.workspace
    ws.users.add("kim", "distributor", None, created_at=NOW)
    first, second = (ws.users.issue_token("kim", created_at=NOW) for _ in range(2))
    kim = {"Authorization": f"Bearer {first}"}
    assert client.get("/api/v1/plans", headers=kim).status_code == 200  # now in the lookup cache
    done = client.delete("/api/v1/users/kim/tokens", headers=admin)
    assert done.status_code == 200 and done.json() == {"user": "kim", "revoked": 2}
    for token in (first, second):  # refused at once, the cached lookup too
        assert client.get("/api/v1/plans", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.delete("/api/v1/users/kim/tokens", headers=admin).json()["revoked"] == 0
    assert client.delete("/api/v1/users/nobody/tokens", headers=admin).status_code == 404
    assert client.get("/api/v1/plans", headers=admin).status_code == 200  # others' tokens stay
    fresh = ws.users.issue_token("kim", created_at=NOW)  # a new token works again
    assert client.get("/api/v1/plans", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_a_token_revoked_from_the_cli_is_refused_on_the_next_request(
    client: TestClient, aim_site: Site
) -> None:
    ws = aim_site.workspace
    ws.users.add("lee", "auditor", None, created_at=NOW)
    lee = {"Authorization": f"Bearer {ws.users.issue_token('lee', created_at=NOW)}"}
    assert client.get("/api/v1/plans", headers=lee).status_code == 200
    done = run_cli("--db", f"sqlite:///{aim_site.directory / 'distplan.db'}", "users", "revoke", "lee")
    assert done.code == 0 and done.out.strip() == "revoked 1 token of lee"
    assert client.get("/api/v1/plans", headers=lee).status_code == 401  # the very next request


def test_a_write_outside_the_server_is_seen_on_the_next_request(tmp_path: Path) -> None:
    with site(tmp_path) as own, TestClient(own.app) as c:
        h, url, day = own.auth("distributor"), "/api/v1/plans/1/schedule", {"as_of": "2003-11-25"}
        before = c.get(url, params=day, headers=h).json()
        assert c.get(url, params=day, headers=h).json() == before and own.workspace.answers.made == 1
        db = f"sqlite:///{tmp_path / 'distplan.db'}"
        done = run_cli(
            "--db", db, "void", "3", "--reason", "filed in error", "--recorded-at", "2026-12-01T10:00:00Z"
        )
        assert done.code == 0, done.err
        after = c.get(url, params=day, headers=h).json()
        assert before["instruments"] == ["Amendment No. 4 (seq 3)"]
        assert after["instruments"] == ["Amendment No. 3 (seq 2)"]  # No. 4 is void
        assert c.get("/api/v1/health").json()["entries"] == 4
        entries = c.get("/api/v1/entries", params=day, headers=own.auth("admin")).json()["entries"]
        assert entries[0]["kind"] == "void" and entries[0]["seq"] == 4


def test_errors_are_json_with_a_field(client: TestClient, aim_site: Site) -> None:
    h = aim_site.auth("counsel")
    cases = [
        (client.get("/api/v1/plans/9/schedule", params={"as_of": "2003-11-21"}, headers=h), 404, "plan"),
        (client.get("/api/v1/plans/1/schedule", params={"as_of": "2003-02-30"}, headers=h), 422, "as_of"),
        (
            client.get(
                "/api/v1/plans/1/schedule", params={"as_of": "2003-11-21", "known_at": "soon"}, headers=h
            ),
            422,
            "known_at",
        ),
        (client.get("/api/v1/plans/1/timeline", params={"fund": "Nope Fund"}, headers=h), 404, "fund"),
        (
            client.get("/api/v1/plans/1/payables", params={"month": "2003-13", "nav": "x"}, headers=h),
            422,
            "month",
        ),
        (
            client.post(
                "/api/v1/plans/1/instruments",
                content=b"{not json",
                headers={**h, "content-type": "application/json"},
            ),
            400,
            None,
        ),
        (client.post("/api/v1/plans/1/instruments", json={"instrument": {"kind": 5}}, headers=h), 422, None),
        (client.get("/api/v1/entries/999/source", headers=h), 404, "seq"),
    ]
    for response, status, field in cases:
        assert response.status_code == status, response.text
        body = response.json()
        assert set(body) == {"error", "field"} and body["error"], body
        assert "--" not in body["error"], body  # about the data, not a CLI flag
        if field:
            assert body["field"] == field, body


def test_upload_names_are_not_paths(client: TestClient, aim_site: Site) -> None:
    r = client.post(
        "/api/v1/uploads/nav",
        files={"file": ("../../etc/evil.csv", b"fund,share_class,date,net_assets\n", "text/csv")},
        headers=aim_site.auth("administrator"),
    )
    assert r.status_code == 201 and r.json()["name"] == "evil.csv"
    stored = {p.name for p in (aim_site.directory / "uploads").iterdir()}
    assert all(len(n.split(".")[0]) == 64 for n in stored)
    assert json.loads(json.dumps(r.json()))["id"] in {n.split(".")[0] for n in stored}
