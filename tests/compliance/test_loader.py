"""The governance file: YAML or JSON, validated with file:line: field errors, and its ledger
payloads round-tripping to the same facts."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from distplan.compliance import (
    GovernanceFacts,
    Where,
    governance_from_payloads,
    governance_payloads,
    is_governance_document,
    load_governance,
    payload_effective_date,
)
from distplan.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "governance.yaml"

MINIMAL = """\
version: 1
meetings:
  - date: 2003-10-21
    in_person: true
    called_for_purpose: true
    board: {members: 10, for: 9}
    qualified: {members: 7, for: 7}
    approvals:
      - what: amendment
        amendment: 2
        class: Investor
        funds: [INVESCO Dynamics Fund, {fund: INVESCO Leisure Fund, class: Investor}]
shareholder_votes:
  - date: 2004-08-25
    fund: INVESCO Leisure Fund
    class: Investor
    matter: increase
    outstanding: 1000000.125
    present: 600000
    for: 420000
"""


def write(tmp_path: Path, text: str, name: str = "gov.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_file(tmp_path: Path) -> None:
    facts = load_governance(write(tmp_path, MINIMAL))
    (m,) = facts.meetings
    assert m.date == date(2003, 10, 21) and m.board is not None and m.board.voted_for == 9
    (a,) = facts.approvals
    assert a.meeting == m and a.amendment == 2
    assert a.names_separately("INVESCO Dynamics Fund", "Investor")
    assert not a.covers("INVESCO Energy Fund", "Investor")
    assert a.where.line == 9  # the approval's own line
    (v,) = facts.shareholder_votes
    assert v.outstanding == Decimal("1000000.125")  # the written digits, not a float


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            MINIMAL.replace("in_person: true", "in_persn: true"),
            "gov.yaml:4: meetings[0].in_persn: unknown field",
        ),
        (
            MINIMAL.replace("date: 2003-10-21", "date: 2003-13-21"),
            "gov.yaml:3: meetings[0].date: expected a date",
        ),
        (
            MINIMAL.replace("    for: 420000", "    for: 700000"),
            "gov.yaml:20: shareholder_votes[0].for: 700000",
        ),
        (
            MINIMAL.replace("{members: 10, for: 9}", "{members: 10, for: 11}"),
            "gov.yaml:6: meetings[0].board: 11 for",
        ),
        (
            MINIMAL.replace("what: amendment", "what: merger"),
            "gov.yaml:9: meetings[0].approvals[0].what: expected",
        ),
        (
            MINIMAL.replace("        amendment: 2\n", ""),
            "gov.yaml:9: meetings[0].approvals[0]: an amendment approval",
        ),
        (MINIMAL.replace("matter: increase", "matter: 7"), "shareholder_votes[0].matter: expected one of"),
        (
            MINIMAL.replace("outstanding: 1000000.125", "outstanding: lots"),
            "shareholder_votes[0].outstanding: not a",
        ),
        ("version: 2\n", "gov.yaml:1: version: unsupported version 2"),
        ("meetings: {date: 2003-01-01}\n", "gov.yaml:1: meetings: expected a list"),
        ("meetings:\n  - in_person: true\n", "gov.yaml:2: meetings[0].date: missing"),
        (
            "quarterly_reports:\n  - quarter: 2004-Q5\n",
            "gov.yaml:2: quarterly_reports[0].quarter: expected a quarter",
        ),
        (
            "quarterly_reports:\n  - quarter: 2004Q1\n    spent: {lunch: 5}\n",
            "quarterly_reports[0].spent.lunch",
        ),
        ("meetings: [\n", "gov.yaml:2: not valid YAML"),
        ("", "gov.yaml: (top): the governance file is empty"),
        ("- a\n- b\n", "gov.yaml:1: (top): expected a mapping, got a list"),
        ("meetings: []\nmeetings: []\n", "gov.yaml:2: meetings: given twice"),
    ],
)
def test_errors_name_file_line_and_field(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        load_governance(write(tmp_path, text))
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_json_file_with_lines(tmp_path: Path) -> None:
    data = {"meetings": [{"date": "2003-10-21", "in_person": "yes"}]}
    path = write(tmp_path, json.dumps(data, indent=2), "gov.json")
    with pytest.raises(InputError, match=r"gov\.json:5: meetings\[0\]\.in_person: expected true or false"):
        load_governance(path)
    with pytest.raises(InputError, match=r"gov\.json:1: not valid JSON"):
        load_governance(write(tmp_path, "{meetings: ", "gov.json"))


def test_unreadable_inputs(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no such file|cannot read"):
        load_governance(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="is a directory"):
        load_governance(tmp_path)
    (tmp_path / "bin.yaml").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InputError, match="not UTF-8"):
        load_governance(tmp_path / "bin.yaml")


def _strip_seq(obj: Any) -> Any:
    if isinstance(obj, Where):
        return Where(obj.path, obj.line, None)
    if isinstance(obj, tuple):
        return tuple(_strip_seq(x) for x in obj)
    if is_dataclass(obj) and not isinstance(obj, type):
        return replace(obj, **{f.name: _strip_seq(getattr(obj, f.name)) for f in fields(obj)})
    return obj


def test_payloads_round_trip_the_sample() -> None:
    facts = load_governance(SAMPLE)
    payloads = governance_payloads(facts)
    assert json.loads(json.dumps(payloads)) == payloads  # JSON-ready
    assert {p["type"] for p in payloads} == {
        "plan",
        "meetings",
        "shareholder_votes",
        "quarterly_reports",
        "agreements",
        "records",
        "policies",
    }
    back = governance_from_payloads((p, 7) for p in payloads)
    assert all(m.where.seq == 7 for m in back.meetings)
    assert _strip_seq(back) == facts


def test_a_later_payload_with_the_same_id_replaces_the_earlier() -> None:
    facts = load_governance(SAMPLE)
    payloads = governance_payloads(facts)
    report = next(p for p in payloads if p["type"] == "quarterly_reports")
    corrected = json.loads(json.dumps(report))
    corrected["item"]["reviewed"] = "2003-10-28"
    back = governance_from_payloads([(p, 1) for p in payloads] + [(corrected, 2)])
    assert len(back.reports) == len(facts.reports)
    fixed = next(r for r in back.reports if r.id == report["id"])
    assert fixed.reviewed == date(2003, 10, 28) and fixed.where.seq == 2


def test_effective_dates_and_detection() -> None:
    facts = load_governance(SAMPLE)
    payloads = governance_payloads(facts)
    meeting = next(p for p in payloads if p["type"] == "meetings")
    assert payload_effective_date(meeting) == date(2003, 6, 11)
    assert is_governance_document({"meetings": []})
    assert not is_governance_document({"kind": "amendment", "schedule": {}})
    assert GovernanceFacts().merge(facts) == facts


def test_the_documented_example_loads(tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "governance.md").read_text(encoding="utf-8")
    block = doc.split("### A full example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    facts = load_governance(write(tmp_path, block))
    assert facts.plan is not None and len(facts.plan.classes) == 2
    assert [a.what for a in facts.approvals] == ["amendment", "continuance", "continuance", "agreement"]
    assert facts.approvals[1].scope is not None  # `funds: all` with a class: every fund of the class
    assert facts.reports[0].spent[1] == ("printing_and_mailing", Decimal("16950.75"))
    assert facts.agreements[0].notice_days == 60 and facts.policies is not None


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_loads_or_is_one_input_error(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("g") / "gov.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_governance(path)
    except InputError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(MINIMAL.splitlines()), max_size=25))
def test_shuffled_lines_load_or_are_one_input_error(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str]
) -> None:
    path = tmp_path_factory.mktemp("g") / "gov.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        load_governance(path)
    except InputError as exc:
        assert "\n" not in str(exc)


def test_a_self_referencing_alias_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"gov\.yaml:1: meetings\[0\]: refers to itself"):
        load_governance(write(tmp_path, "meetings: &x [*x]\n"))
