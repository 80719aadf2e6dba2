"""`distplan record` on a full EDGAR submission: each Rule 12b-1 exhibit is recorded, in one
transaction, with the exhibit's own text as its source (never the prospectus around it)."""

from __future__ import annotations

from pathlib import Path

from aim_inputs import run_cli
from distplan.ledger import Ledger

SAMPLES = Path(__file__).parents[1] / "documents" / "samples"
REFERENCE = Path(__file__).parents[1] / "corpus" / "documents" / "aim-investor-amend2-2003-11-03.txt"


def test_each_exhibit_is_recorded_with_its_own_text(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'distplan.db'}"
    run = run_cli("--db", url, "record", "--json", str(SAMPLES / "submission-two-exhibits.txt"))
    assert run.code == 0, run.err
    recorded = [r for r in run.json()["recorded"] if r["seq"]]
    assert len(recorded) == 2
    with Ledger.open(url) as ledger:
        entries = ledger.entries()
        sources = [ledger.source_text(e.seq) for e in entries]
    assert entries[0].effective_date.isoformat() == "2003-11-03"
    # The stored source is the exhibit alone: the prospectus (the 485BPOS document) is not in it.
    assert all("485BPOS" not in s and "<DOCUMENT>" not in s for s in sources)
    assert sources[0].rstrip() == REFERENCE.read_text().rstrip()


def test_a_submission_wrapping_a_recorded_exhibit_adds_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'distplan.db'}"
    assert run_cli("--db", url, "record", str(REFERENCE)).code == 0
    run = run_cli("--db", url, "record", str(SAMPLES / "submission-one-exhibit.txt"))
    assert run.code == 0, run.err
    assert "already recorded" in run.out + run.err
    with Ledger.open(url) as ledger:
        assert len(ledger.entries()) == 1


def test_a_submission_without_an_exhibit_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "distplan.db"
    run = run_cli("--db", f"sqlite:///{db}", "record", str(SAMPLES / "submission-no-exhibit.txt"))
    assert run.code == 2
    assert "no Rule 12b-1 exhibit" in run.err
    assert len(run.err.strip().splitlines()) == 1
    assert not db.exists()
