"""`distplan check`, `calendar` and `rules` end to end on a real SQLite ledger holding the three
AIM amendments (extracted from the filed text) and the plan's terms."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from aim_inputs import run_cli as run
from distplan.compliance import load_governance
from distplan.compliance.sources import governance_from_entries, record_governance
from distplan.ledger import Ledger

ROOT = Path(__file__).resolve().parents[2]
AIM_TEXTS = sorted((ROOT / "examples" / "aim").glob("aim-investor-amend*.txt"))
SAMPLE = ROOT / "examples" / "governance.yaml"

CLEAN_2003 = """\
plan: {adopted: 2003-07-01, document: "Master Plan (Investor Class), July 1, 2003"}
meetings:
  - date: 2003-06-11
    in_person: true
    called_for_purpose: true
    board: {members: 10, for: 10}
    qualified: {members: 8, for: 8}
    approvals:
      - {what: plan, class: Investor, findings: [reasonable_likelihood_of_benefit]}
      - {what: amendment, amendment: 2, class: Investor, findings: [no_material_increase]}
      - {what: amendment, amendment: 3, class: Investor, findings: [no_material_increase]}
      - {what: amendment, amendment: 4, class: Investor, findings: [no_material_increase]}
"""


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    for i, path in enumerate(AIM_TEXTS, start=1):
        r = run("--db", url, "record", str(path), "--recorded-at", f"2003-12-0{i}T12:00:00Z")
        assert r.code == 0, r.err
    r = run(
        "--db", url, "terms", "set", "--effective", "2003-07-01", "--distribution", "0", "--service", "0.25",
        "--source", "Investor Class plan: 0.00% asset-based, 0.25% service",
    )  # fmt: skip
    assert r.code == 0, r.err
    return url


def test_check_without_governance_exits_1_with_b2_errors(db: str) -> None:
    r = run("--db", db, "check", "--as-of", "2003-12-01", "--json")
    assert r.code == 1, r.err
    data = r.json()
    assert data["as_of"] == "2003-12-01" and data["summary"]["error"] == 3
    b2 = [f for f in data["findings"] if f["citation"] == "Rule 12b-1(b)(2)"]
    assert [f["subject"]["name"] for f in b2] == [
        "Amendment No. 2 (seq 1)",
        "Amendment No. 3 (seq 2)",
        "Amendment No. 4 (seq 3)",
    ]
    # Evidence: the ledger entry and the source line of the effective date.
    ev = b2[0]["evidence"][0]
    assert ev["seq"] == 1 and ev["path"].endswith("aim-investor-amend2-2003-11-03.txt") and ev["lines"]
    severities = [f["severity"] for f in data["findings"]]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)


def test_check_with_a_clean_governance_file_exits_0(db: str, tmp_path: Path) -> None:
    gov = tmp_path / "gov.yaml"
    gov.write_text(CLEAN_2003, encoding="utf-8")
    r = run("--db", db, "check", "--as-of", "2003-12-01", "--governance", str(gov))
    assert r.code == 0, r.out + r.err
    assert "0 error(s)" in r.out


def test_check_text_output_with_the_sample(db: str) -> None:
    r = run("--db", db, "check", "--as-of", "2004-12-31", "--governance", str(SAMPLE))
    assert r.code == 1
    assert "ERRORS (4)" in r.out and "Rule 12b-1(b)(4)-(b)(5)" in r.out
    assert "governance.yaml:" in r.out  # evidence names the file and line


def test_recorded_governance_is_bitemporal(db: str) -> None:
    facts = load_governance(SAMPLE)
    text = SAMPLE.read_text(encoding="utf-8")
    moment = datetime(2005, 1, 3, tzinfo=UTC)
    with Ledger.open(db) as ledger:
        plan = ledger.resolve_plan(facts.plan.ref if facts.plan else None)
        entry = record_governance(
            ledger, plan, facts, text, path="examples/governance.yaml", recorded_at=moment
        )
        assert entry is not None and entry.kind == "governance"
        again = record_governance(
            ledger, plan, facts, text, path="examples/governance.yaml", recorded_at=moment
        )
        assert again is None  # same text: nothing new
        back = governance_from_entries(ledger.entries(), plan)
    assert len(back.approvals) == len(facts.approvals) and back.meetings[0].where.seq == entry.seq

    now = run("--db", db, "check", "--as-of", "2004-12-31", "--json").json()
    b2 = [f for f in now["findings"] if f["citation"] == "Rule 12b-1(b)(2)"]
    assert [f["subject"]["name"] for f in b2] == ["Amendment No. 3 (seq 2)"]
    assert any(e["seq"] == entry.seq and e["path"] == "examples/governance.yaml" for e in b2[0]["evidence"])

    before = run(
        "--db", db, "check", "--as-of", "2004-12-31", "--known-at", str(entry.seq - 1), "--json"
    ).json()
    assert len([f for f in before["findings"] if f["citation"] == "Rule 12b-1(b)(2)"]) == 3


def test_calendar(db: str) -> None:
    r = run(
        "--db",
        db,
        "calendar",
        "--from",
        "2004-12-31",
        "--to",
        "2005-07-01",
        "--governance",
        str(SAMPLE),
        "--json",
    )
    assert r.code == 0, r.err
    found = r.json()["deadlines"]
    cont = [d for d in found if d["kind"] == "continuance"]
    assert {(d["due"], d["status"], d["days_left"]) for d in cont} == {("2005-06-09", "upcoming", 160)}
    assert {d["subject"]["name"] for d in cont} == {
        "Investor Class of 14 funds",
        "Shareholder Service Agreement",
    }
    overdue = [d for d in found if d["status"] == "overdue"]
    assert [(d["kind"], d["subject"]["name"], d["due"]) for d in overdue] == [
        ("quarterly-report", "2004Q1", "2004-06-30")
    ]
    text = run(
        "--db", db, "calendar", "--from", "2004-12-31", "--to", "2005-07-01", "--governance", str(SAMPLE)
    )
    assert text.code == 0 and "2005-06-09" in text.out and "upcoming" in text.out


def test_retention_dates_in_the_calendar(db: str) -> None:
    r = run("--db", db, "calendar", "--from", "2005-11-01", "--to", "2005-12-01", "--json")
    kinds = {(d["kind"], d["due"], d["subject"]["name"]) for d in r.json()["deadlines"]}
    assert ("retention-accessible", "2005-11-03", "Amendment No. 2 (seq 1)") in kinds


def test_bad_input_is_one_line_and_exit_2(db: str, tmp_path: Path) -> None:
    gov = tmp_path / "gov.yaml"
    gov.write_text("meetings:\n  - date: 2003-10-21\n    quorum: true\n", encoding="utf-8")
    r = run("--db", db, "check", "--as-of", "2003-12-01", "--governance", str(gov))
    assert r.code == 2
    assert r.err.strip().count("\n") == 0
    assert r.err.startswith("distplan: ") and "gov.yaml:3: meetings[0].quorum: unknown field" in r.err
    r = run("--db", db, "calendar", "--from", "2005-01-01", "--to", "2004-01-01")
    assert r.code == 2 and "must be after" in r.err
    r = run("--db", db, "check", "--as-of", "someday")
    assert r.code == 2 and "--as-of" in r.err


def test_rules_lists_the_rulebook() -> None:
    r = run("rules", "--json")
    assert r.code == 0
    ids = {rule["id"] for rule in r.json()["rules"]}
    assert {"12b-1(b)(2)", "12b-1(b)(3)(i)", "finra-2341.service", "12b-1(h)"} <= ids
