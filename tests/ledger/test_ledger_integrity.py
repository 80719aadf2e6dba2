"""Issue 8 item 14 and the ledger parts of 22: what the chain covers (every column, hash scheme
2, old scheme-1 ledgers still verifiable), TRUNCATE, source bytes kept exactly (a NUL byte on
PostgreSQL), the head hash after every write, read-only and full ledgers."""

from __future__ import annotations

import contextlib
import json
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from aim_inputs import NAMES, gold_instrument_json, make_ledger_url, record_aim, run_cli, text_paths
from distplan.ledger import Ledger

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return make_ledger_url(request.param, tmp_path, request)


def sql(url: str, *statements: str) -> None:
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(sa.text(statement))
    finally:
        engine.dispose()


def drop_guards(url: str) -> list[str]:
    if url.startswith("sqlite"):
        return ["DROP TRIGGER entries_no_update", "DROP TRIGGER entries_no_delete"]
    return ["DROP TRIGGER entries_append_only ON entries"]


def test_every_column_is_in_the_hash(url: str) -> None:
    record_aim(url)
    sql(url, *drop_guards(url), "UPDATE entries SET payload_sha256 = '" + "0" * 64 + "' WHERE seq = 2")
    run = run_cli("--db", url, "verify", "--json")
    assert run.code == 1 and run.json()["first_broken"] == 2
    assert "content does not match its hash" in run.json()["problem"]


def test_source_bytes_are_kept_exactly_even_a_nul(url: str) -> None:
    """`extract` refuses a text with NUL bytes, but the store must not depend on that: any
    source (bytes that are not UTF-8, a NUL) is kept exactly, on PostgreSQL too."""
    from distplan.ledger import Pending
    from distplan.ledger.identity import decode_source
    from distplan.model import instrument_from_json

    data = text_paths()[0].read_bytes() + b"\nSigned copy on file.\x00\r\n\xff"
    inst = instrument_from_json(gold_instrument_json(NAMES[0]))
    at = datetime(2024, 1, 1, tzinfo=UTC)
    with Ledger.open(url) as ledger:
        [result] = ledger.record_many([Pending(inst, decode_source(data), "nul.txt", data)], recorded_at=at)
        assert result.entry is not None
        assert ledger.source_bytes(1) == data
        assert ledger.source_text(1) == decode_source(data)
        assert ledger.verify().ok
    sql(url, *drop_guards(url), "UPDATE entries SET source_bytes = NULL WHERE seq = 1")
    assert run_cli("--db", url, "verify").code == 1  # the bytes are covered by the hash


def test_head_is_printed_after_every_write_and_anchors_verify(url: str, tmp_path: Path) -> None:
    rec = run_cli("--db", url, "record", *map(str, text_paths()), "--json")
    head = rec.json()["head"]
    assert head["seq"] == 3 and len(head["hash"]) == 64
    terms = run_cli(
        "--db", url, "terms", "set", "--effective", "2003-07-01", "--source", "s", "--service", "0.25"
    )
    assert terms.code == 0
    line = [x for x in terms.err.splitlines() if x.startswith("ledger head: entry 4 ")]
    assert len(line) == 1
    new_head = line[0].split()[4]
    assert run_cli("--db", url, "verify", "--expect-head", new_head).code == 0
    assert run_cli("--db", url, "verify", "--expect-head", head["hash"]).code == 0  # still in the chain
    nothing = run_cli("--db", url, "record", str(text_paths()[0]), "--json").json()
    assert nothing["head"] is None  # nothing written


@pytest.mark.postgres
def test_truncate_is_refused_and_detected(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    url = make_ledger_url("postgresql", tmp_path, request)
    record_aim(url)
    head = run_cli("--db", url, "verify", "--json").json()["head"]
    for statement in ("TRUNCATE entries", "TRUNCATE plans CASCADE"):
        with pytest.raises(sa.exc.DBAPIError, match="cannot be truncated"):
            sql(url, statement)
    assert run_cli("--db", url, "verify", "--json").json()["entries"] == 3
    # Someone with the rights to drop the guard: the plans left behind give it away...
    sql(url, "DROP TRIGGER entries_no_truncate ON entries", "TRUNCATE entries")
    cut = run_cli("--db", url, "verify", "--json")
    assert cut.code == 1 and "plan 1 has no instrument entries" in cut.json()["problem"]
    # ...and with the plans gone too, the head kept elsewhere does.
    sql(url, "DROP TRIGGER plans_no_truncate ON plans", "TRUNCATE plans CASCADE")
    assert run_cli("--db", url, "verify").code == 0  # an empty chain is a valid chain
    anchored = run_cli("--db", url, "verify", "--expect-head", head)
    assert anchored.code == 1 and "no entry has the expected head hash" in anchored.err


def _scheme_1_ledger(url: str) -> None:
    """A ledger as distplan wrote it before hash scheme 2 (schema revision 0003)."""
    from alembic import command

    from distplan.ledger import engine as db
    from distplan.ledger.chain import GENESIS, canonical_json, entry_hash
    from distplan.ledger.identity import legacy_content_sha256
    from distplan.ledger.plankey import plan_classes, plan_key, plan_title
    from distplan.model import instrument_from_json, instrument_to_json

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        command.upgrade(db._alembic_config(conn), "0003")
        prev = GENESIS
        for seq, name in enumerate(NAMES[:2], start=1):
            inst = instrument_from_json(gold_instrument_json(name))
            if seq == 1:
                title, classes = plan_title(inst), plan_classes(inst)
                conn.execute(
                    sa.text("INSERT INTO plans VALUES (1, :t, :c, :k)"),
                    {"t": title, "c": ", ".join(classes), "k": plan_key(title, classes)},
                )
            payload = instrument_to_json(inst)
            text = text_paths()[seq - 1].read_text()
            at = datetime(2003, 12, seq, 12, tzinfo=UTC)
            fields = dict(
                seq=seq, kind="instrument", plan_id=1, effective_date=inst.effective_date, recorded_at=at,
                payload=canonical_json(payload), source_sha256=inst.source.sha256, source_text=text,
                target_seq=None, prev_hash=prev,
            )  # fmt: skip
            digest = entry_hash(**fields)  # type: ignore[arg-type]
            conn.execute(
                sa.text(
                    "INSERT INTO entries (seq, kind, plan_id, effective_date, recorded_at, payload, "
                    "payload_sha256, source_sha256, source_text, target_seq, prev_hash, hash) VALUES "
                    "(:seq, :kind, :plan_id, :effective_date, :recorded_at, :payload, :ph, "
                    ":source_sha256, :source_text, :target_seq, :prev_hash, :hash)"
                ),
                {**fields, "ph": legacy_content_sha256(payload), "hash": digest},
            )
            prev = digest
    engine.dispose()


def test_a_scheme_1_ledger_migrates_and_stays_verifiable(url: str) -> None:
    _scheme_1_ledger(url)
    first = run_cli("--db", url, "verify", "--json")
    assert first.code == 0 and first.json()["entries"] == 2, first.out + first.err
    again = run_cli("--db", url, "record", *map(str, text_paths()), "--json").json()
    assert [u["duplicate_of"] for u in again["unchanged"]] == [1, 2]  # found among scheme-1 entries
    assert [r["seq"] for r in again["recorded"]] == [3]
    assert run_cli("--db", url, "verify").code == 0
    sql(url, *drop_guards(url), "UPDATE entries SET source_text = 'x' WHERE seq = 1")
    assert run_cli("--db", url, "verify", "--json").json()["first_broken"] == 1


def test_schedule_from_a_scheme_1_ledger(url: str) -> None:
    _scheme_1_ledger(url)
    rows = run_cli("--db", url, "schedule", "--as-of", date(2003, 11, 21).isoformat(), "--json").json()[
        "rows"
    ]
    assert len(rows) == 18


# --- read-only and full ledgers (SQLite files) -------------------------------------------------


@contextlib.contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """chmod a-w, and chattr +i so that even root (the CI user) cannot write them."""
    for p in paths:
        p.chmod(p.stat().st_mode & ~0o222)
    done = []
    try:
        for p in paths:
            if subprocess.run(["chattr", "+i", str(p)], capture_output=True, check=False).returncode != 0:
                pytest.skip("chattr +i is not available here")
            done.append(p)
        yield
    finally:
        for p in done:
            subprocess.run(["chattr", "-i", str(p)], check=False)
        for p in paths:
            p.chmod(p.stat().st_mode | 0o200)


def test_a_read_only_archived_copy_can_be_read_and_verified(tmp_path: Path) -> None:
    live = tmp_path / "live.db"
    record_aim(f"sqlite:///{live}")
    archive = tmp_path / "archive"
    archive.mkdir()
    shutil.copy(live, archive / "ledger.db")
    db = f"sqlite:///{archive / 'ledger.db'}"
    with immutable(archive / "ledger.db", archive):
        assert run_cli("--db", db, "verify", "--json").json()["entries"] == 3
        rows = run_cli("--db", db, "schedule", "--as-of", "2003-11-21", "--json").json()["rows"]
        assert len(rows) == 18
        write = run_cli("--db", db, "record", str(text_paths()[0]), "--force")
        assert write.code in (0, 2)  # a duplicate needs no write; a new document cannot be written
        new = tmp_path / "new.json"
        doc = gold_instrument_json(NAMES[0])
        doc["title"] = doc["plan"]["title"] = "Another Plan"
        new.write_text(json.dumps(doc))
        refused = run_cli("--db", db, "record", str(new))
        assert refused.code == 2 and len(refused.err.strip().splitlines()) == 1
        assert "cannot write the ledger" in refused.err and "readonly" in refused.err
        assert sorted(p.name for p in archive.iterdir()) == ["ledger.db"]


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
    resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))


def test_a_full_disk_during_record_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    assert run_cli("--db", db, "init").code == 0
    big = gold_instrument_json(NAMES[0])
    row = big["schedule"]["rows"][0]
    big["schedule"]["rows"] = [{**row, "fund": f"Fund number {i} of many"} for i in range(3000)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(big))
    done = subprocess.run(
        [sys.executable, "-m", "distplan", "--db", db, "record", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_limit_file_size,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "cannot write the ledger" in done.stderr and "Traceback" not in done.stderr
    assert run_cli("--db", db, "verify", "--json").json()["entries"] == 0
