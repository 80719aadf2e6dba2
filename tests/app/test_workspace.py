"""The application layer: the same answers as the CLI, errors about the data, who recorded what."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from aim_inputs import record_aim, run_cli, text_paths
from distplan.app import Conflict, Invalid, NotFound, Upload, Workspace
from distplan.app.values import parse_date, parse_known_at

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def aim_cli_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('ws') / 'distplan.db'}"
    record_aim(url)
    return url


@pytest.fixture
def empty(tmp_path: Path) -> Workspace:
    with Workspace.open(f"sqlite:///{tmp_path / 'distplan.db'}") as ws:
        yield ws


def _uploads() -> list[Upload]:
    return [Upload(p.name, p.read_bytes()) for p in text_paths()]


def test_schedule_is_the_same_json_as_the_cli(aim_cli_url: str) -> None:
    for as_of, known_at in (("2003-11-21", None), ("2003-12-01", "2")):
        args = ["--db", aim_cli_url, "schedule", "--as-of", as_of, "--json"]
        cli = run_cli(*args, *(["--known-at", known_at] if known_at else [])).json()
        with Workspace.open(aim_cli_url) as ws:
            view = ws.schedule(None, parse_date(as_of, "as_of"), parse_known_at(known_at))
        assert view.to_json() == cli
    assert len(cli["rows"]) == 18


def test_diff_timeline_and_history_match_the_cli(aim_cli_url: str) -> None:
    with Workspace.open(aim_cli_url) as ws:
        diff = ws.diff(None, date(2003, 11, 19), date(2003, 11, 24)).to_json()
        timeline = ws.timeline(None, "INVESCO Telecommunications Fund").to_json()
        history = ws.history(None, date(2004, 1, 1)).to_json()
    assert (
        diff
        == run_cli("--db", aim_cli_url, "diff", "--from", "2003-11-19", "--to", "2003-11-24", "--json").json()
    )
    assert timeline["coverage"] == [{"start": "2003-11-03", "end": "2003-11-24"}]
    cli_history = run_cli("--db", aim_cli_url, "history", "--as-of", "2004-01-01", "--json").json()
    assert [e["status"] for e in history["entries"]] == [e["status"] for e in cli_history["entries"]]


def test_record_names_the_user_and_is_idempotent(empty: Workspace) -> None:
    first = empty.record(_uploads(), recorded_at=AT, recorded_by="carol")
    assert [r["recorded_by"] for r in first.recorded] == ["carol"] * 3
    again = empty.record(_uploads()[:1], recorded_at=AT, recorded_by="dave")
    assert again.recorded == [] and again.unchanged[0]["duplicate_of"] == 1
    history = empty.history(None, date(2004, 1, 1)).to_json()
    assert {e["recorded_by"] for e in history["entries"]} == {"carol"}
    rows = empty.ledger_rows(date(2004, 1, 1))
    assert [r.recorded_by for r in rows] == ["carol"] * 3
    assert rows[0].status == "in force" and empty.verify().ok


def test_retroactive_recording_is_a_warning(empty: Workspace) -> None:
    ups = _uploads()
    empty.record([ups[0], ups[2]], recorded_at=AT, recorded_by="carol")
    late = empty.record([ups[1]], recorded_at=AT, recorded_by="carol")
    assert any("is retroactive" in w and "known_at 2 shows the state before it" in w for w in late.warnings)


def test_reviewed_instrument_keeps_the_original_source(empty: Workspace) -> None:
    upload = _uploads()[0]
    inst = empty.extract(upload)
    from distplan.model import instrument_to_json

    data = instrument_to_json(inst)
    data["schedule"]["rows"][0]["fund"] = "INVESCO Tax-Free Bond Fund (edited)"
    done = empty.record_reviewed(data, upload.text, name=upload.name, recorded_at=AT, recorded_by="carol")
    seq = done.recorded[0]["seq"]
    assert empty.source_text(seq) == upload.text
    funds = {r["fund"] for r in empty.schedule(None, date(2003, 11, 4)).to_json()["rows"]}
    assert "INVESCO Tax-Free Bond Fund (edited)" in funds


def test_errors_speak_about_the_data(empty: Workspace) -> None:
    with pytest.raises(NotFound, match="no plans yet"):
        empty.schedule(None, date(2003, 11, 21))
    empty.record(_uploads()[:1], recorded_at=AT, recorded_by="carol")
    with pytest.raises(NotFound, match="plan 7: no plan with that id"):
        empty.schedule(7, date(2003, 11, 21))
    with pytest.raises(NotFound):
        empty.timeline(None, "No Such Fund")
    with pytest.raises(NotFound):
        empty.entry(99)
    with pytest.raises(Invalid) as bad:
        parse_date("2003-13-01", "as_of")
    assert bad.value.field == "as_of" and "--" not in str(bad.value)
    empty.void(1, "wrong filing", recorded_at=AT, recorded_by="carol")
    with pytest.raises(Conflict, match="already voided"):
        empty.void(1, "again", recorded_at=AT, recorded_by="carol")
    with pytest.raises(Invalid):
        empty.record([Upload("notes.pdf", b"%PDF")], recorded_at=AT, recorded_by="carol")


def test_users_passwords_and_tokens(empty: Workspace) -> None:
    users = empty.users
    alice = users.add("alice", "counsel", "correct horse", created_at=AT)
    with pytest.raises(Conflict):
        users.add("alice", "auditor", None, created_at=AT)
    with pytest.raises(Invalid):
        users.add("eve", "superuser", None, created_at=AT)
    assert users.authenticate("alice", "correct horse") == alice
    assert users.authenticate("alice", "wrong") is None
    assert users.authenticate("nobody", "correct horse") is None
    token = users.issue_token("alice", created_at=AT)
    assert users.for_token(token) == alice
    assert users.for_token(token + "x") is None
    from sqlalchemy import select

    from distplan.ledger.schema import api_tokens
    from distplan.ledger.schema import users as user_table

    with empty.ledger.engine.connect() as conn:
        stored = conn.execute(select(api_tokens.c.token_sha256)).scalars().all()
        hashes = conn.execute(select(user_table.c.password_hash)).scalars().all()
    assert token not in stored and all(h.startswith("$argon2") for h in hashes)
