"""`distplan record` sends governance files (.yaml, governance JSON) to the compliance loader."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def distplan(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "distplan", "--db", f"sqlite:///{db}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_record_dispatches_governance_yaml(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    amendments = sorted(str(p) for p in (ROOT / "examples" / "aim").glob("*.txt"))
    assert distplan(db, "record", *amendments).returncode == 0
    first = distplan(db, "record", str(ROOT / "examples" / "governance.yaml"), "--json")
    assert first.returncode == 0, first.stderr
    entry = json.loads(first.stdout)["governance"][0]["entry"]
    assert entry["kind"] == "governance" and entry["seq"] == 4
    again = distplan(db, "record", str(ROOT / "examples" / "governance.yaml"), "--json")
    assert json.loads(again.stdout)["governance"][0]["entry"] is None  # idempotent
    history = json.loads(distplan(db, "verify", "--json").stdout)
    assert history["ok"] is True


def test_bad_governance_file_exits_2_and_records_nothing(tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    amendments = sorted(str(p) for p in (ROOT / "examples" / "aim").glob("*.txt"))
    assert distplan(db, "record", *amendments).returncode == 0
    bad = tmp_path / "gov.yaml"
    bad.write_text("version: 1\nmeetings:\n  - date: not-a-date\n", encoding="utf-8")
    done = distplan(db, "record", str(bad))
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "gov.yaml" in done.stderr
    entries = json.loads(distplan(db, "history", "--json").stdout)
    assert all(e.get("kind", "instrument") != "governance" for e in entries.get("instruments", []))
