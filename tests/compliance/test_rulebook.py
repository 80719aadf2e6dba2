"""The rulebook is data: every cited rule exists, versions do not overlap, dates govern which
version applies, and changing a threshold in the file changes the verdict."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))

from aim import aim_input

from distplan.compliance import CHECKS, GovernanceFacts, Policies, load_rulebook, run_checks
from distplan.compliance.rulebook import parse_rulebook
from distplan.errors import InputError

RULEBOOK = Path(__file__).resolve().parents[2] / "src" / "distplan" / "compliance" / "rulebook.yaml"


def test_every_check_cites_rules_in_the_book() -> None:
    book = load_rulebook()
    for _, _, rule_ids in CHECKS:
        for rule_id in rule_ids:
            assert book.versions(rule_id)
    for rule in book.rules:
        assert rule.citation and rule.text and rule.source


def test_versions_by_date() -> None:
    book = load_rulebook()
    assert book.rule("12b-1(h)", on=date(2004, 12, 12)) is None
    h = book.rule("12b-1(h)", on=date(2004, 12, 13))
    assert h is not None and h.citation == "Rule 12b-1(h)"
    old = book.rule("finra-2341.service", on=date(2003, 11, 3))
    new = book.rule("finra-2341.service", on=date(2020, 1, 1))
    assert old is not None and old.citation.startswith("NASD Conduct Rule 2830(d)")
    assert new is not None and new.citation == "FINRA Rule 2341(d)(5)"
    assert book.rule("finra-2341.service", on=date(1993, 7, 6)) is None  # before the caps


def test_directed_brokerage_applies_only_from_december_2004() -> None:
    assert [f for f in run_checks(aim_input(date(2004, 12, 12))) if f.rule == "12b-1(h)"] == []
    found = [f for f in run_checks(aim_input(date(2004, 12, 13))) if f.rule == "12b-1(h)"]
    assert len(found) == 1 and "no board-approved directed-brokerage policies" in found[0].message
    gov = GovernanceFacts(policies=Policies(directed_brokerage=date(2004, 11, 1)))
    assert [f for f in run_checks(aim_input(date(2005, 1, 1), gov)) if f.rule == "12b-1(h)"] == []


def test_a_threshold_change_in_the_file_changes_the_verdict(tmp_path: Path) -> None:
    data = yaml.safe_load(RULEBOOK.read_text(encoding="utf-8"))
    for rule in data["rules"]:
        if rule["id"] == "finra-2341.service":
            rule["params"]["max_rate"] = "0.30"
    path = tmp_path / "whatif.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    inp = aim_input(date(2003, 12, 1), service="0.30")
    assert any(f.rule == "finra-2341.service" for f in run_checks(inp))
    assert not any(f.rule == "finra-2341.service" for f in run_checks(inp, load_rulebook(path)))


def test_bad_rulebooks_are_input_errors(tmp_path: Path) -> None:
    base = yaml.safe_load(RULEBOOK.read_text(encoding="utf-8"))
    overlapping = {"rules": [r for r in base["rules"] if r["id"] == "finra-2341.service"]}
    overlapping["rules"][0] = {**overlapping["rules"][0], "applies_until": "2017-01-01"}
    with pytest.raises(InputError, match="versions overlap"):
        parse_rulebook(overlapping)
    with pytest.raises(InputError, match=r"rules\[0\]\.severity"):
        parse_rulebook({"rules": [{**base["rules"][0], "severity": "fatal"}]})
    with pytest.raises(InputError, match="not valid YAML"):
        bad = tmp_path / "bad.yaml"
        bad.write_text("rules: [", encoding="utf-8")
        load_rulebook(bad)
    book = parse_rulebook({"rules": [{**base["rules"][0], "params": {"x": "many"}}]})
    with pytest.raises(InputError, match=r"params\.x"):
        book.rules[0].decimal("x")


def test_rule_json_is_plain() -> None:
    rule = load_rulebook().latest("12b-1(b)(1)")
    data = rule.to_json()
    assert data["params"]["pre_offering_exemption_from"] == "1996-10-17"
    assert replace(rule, params={}).to_json()["params"] == {}
