"""A recorded rename is one fund in `check` and `calendar` (compliance/renames.py): the AIM
draft (renaming INVESCO Dynamics Fund to INVESCO Dynamic Growth Fund on 2004-07-01) recorded
with the approval of Amendment No. 5 and the Energy vote; then facts under the old name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from aim_draft import RENAMED, AimDraft, approvals_and_vote, make, meeting, ok

from aim_inputs import run_cli

OLD, NEW = RENAMED


@pytest.fixture(scope="module")
def aim(tmp_path_factory: pytest.TempPathFactory) -> AimDraft:
    aim = make(tmp_path_factory.mktemp("rename"))
    governance = approvals_and_vote(aim, aim.root / "approvals.yaml")
    ok("--db", aim.url, "record", str(aim.draft), "--recorded-at", "2004-06-30T00:00:00Z")
    ok("--db", aim.url, "record", str(governance), "--recorded-at", "2004-06-30T00:00:01Z")
    return aim


def _names(subject: dict[str, Any]) -> set[str]:
    return {subject.get("fund") or "", subject.get("name") or "", *(subject.get("members") or ())}


def _about_the_fund(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Findings (error or warning) whose subject is the renamed fund, under either name."""
    return [
        f
        for f in findings
        if f["severity"] != "info" and any(n in s for s in _names(f["subject"]) for n in RENAMED)
    ]


def _check(aim: AimDraft, as_of: str) -> list[dict[str, Any]]:
    result = run_cli("--db", aim.url, "check", "--as-of", as_of, "--json")
    assert result.code in (0, 1), result.err
    findings = result.json()["findings"]
    assert isinstance(findings, list)
    return findings


def test_check_finds_nothing_for_the_renamed_fund(aim: AimDraft) -> None:
    findings = _check(aim, "2004-07-01")
    assert findings  # the AIM ledger has its own gaps (Amendments 2-4 unapproved, reports)
    assert _about_the_fund(findings) == []
    # One fund-class under its first name: the (b)(1) group counts it once, not twice.
    unknown = next(f for f in findings if f["rule"] == "12b-1(b)(1)")
    members = " ".join(unknown["subject"]["members"] or [unknown["subject"]["name"]])
    assert NEW not in members


def test_the_renamed_fund_keeps_its_continuance_chain(aim: AimDraft) -> None:
    """Its annual continuance is the one its old name owed since 2003-11-03 (with the other
    funds of Amendment No. 2), not a new chain from the approval of Amendment No. 5."""
    result = run_cli("--db", aim.url, "calendar", "--from", "2004-07-01", "--to", "2005-07-01", "--json")
    assert result.code == 0, result.err
    continuances = [d for d in result.json()["deadlines"] if d["kind"] == "continuance"]
    dues = {d["due"] for d in continuances if any(OLD in n for n in _names(d["subject"]))}
    assert dues == {"2004-11-03"}, continuances
    assert not [d for d in continuances if any(NEW in n for n in _names(d["subject"]))]


def test_a_continuance_under_the_old_name_still_counts_after_the_rename(
    aim: AimDraft, tmp_path: Path
) -> None:
    before = json.loads(ok("--db", aim.url, "schedule", "--as-of", "2004-06-30", "--json"))
    funds = [r["fund"] for r in before["rows"]]
    assert OLD in funds and NEW not in funds
    facts = {
        "version": 1,
        "meetings": [meeting("2004-10-20", {"what": "continuance", "class": "Investor", "funds": funds})],
    }
    path = tmp_path / "continuance.yaml"
    path.write_text(yaml.safe_dump(facts, sort_keys=False))
    ok("--db", aim.url, "record", str(path), "--recorded-at", "2004-10-21T00:00:00Z")
    lapsed = [f for f in _about_the_fund(_check(aim, "2005-08-01")) if f["rule"] == "12b-1(b)(3)(i)"]
    assert lapsed == []
