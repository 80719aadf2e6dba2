"""The rulebook: rule texts, citations, thresholds and the dates each rule applies from, as data.

The checks ask the rulebook for a rule by id and date (`book.rule("12b-1(b)(2)", on=day)`) and
read thresholds from `rule.params`; nothing legal is a constant in code. The bundled
`rulebook.yaml` is the default; a different file can be loaded for what-if runs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from distplan.compliance import yamlsafe
from distplan.errors import InputError

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    id: str
    citation: str
    title: str
    text: str
    severity: str
    applies_from: date
    applies_until: date | None = None  # exclusive
    source: str = ""
    params: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def in_force(self, day: date) -> bool:
        return self.applies_from <= day and (self.applies_until is None or day < self.applies_until)

    def decimal(self, name: str) -> Decimal:
        """A numeric threshold; rulebook files write them as strings to keep them exact."""
        try:
            return Decimal(str(self.params[name]))
        except (KeyError, InvalidOperation):
            raise InputError(f"rulebook: rule {self.id}: params.{name}: missing or not a number") from None

    def integer(self, name: str) -> int:
        value = self.params.get(name)
        if not isinstance(value, int) or isinstance(value, bool):
            raise InputError(f"rulebook: rule {self.id}: params.{name}: missing or not an integer")
        return value

    def day(self, name: str) -> date:
        value = self.params.get(name)
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise InputError(f"rulebook: rule {self.id}: params.{name}: not a date") from None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "citation": self.citation,
            "title": self.title,
            "severity": self.severity,
            "applies_from": self.applies_from.isoformat(),
            "applies_until": self.applies_until.isoformat() if self.applies_until else None,
            "source": self.source,
            "text": self.text,
            "params": {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.params.items()},
        }


@dataclass(frozen=True)
class Rulebook:
    rules: tuple[Rule, ...]

    def versions(self, rule_id: str) -> list[Rule]:
        """Every dated version of a rule, oldest first."""
        found = sorted((r for r in self.rules if r.id == rule_id), key=lambda r: r.applies_from)
        if not found:
            raise KeyError(f"the rulebook has no rule {rule_id!r}")
        return found

    def rule(self, rule_id: str, on: date | None = None) -> Rule | None:
        """The version in force on `on` (None when the rule did not apply then); without `on`,
        the latest version."""
        versions = self.versions(rule_id)
        if on is None:
            return versions[-1]
        for version in versions:
            if version.in_force(on):
                return version
        return None

    def latest(self, rule_id: str) -> Rule:
        return self.versions(rule_id)[-1]

    def ids(self) -> list[str]:
        return sorted({r.id for r in self.rules})


def _parse_date(value: Any, where: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{where}: not an ISO date: {value!r}") from None


def parse_rulebook(data: Any, where: str = "rulebook") -> Rulebook:
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise InputError(f"{where}: expected a mapping with a list `rules`")
    rules = []
    for i, item in enumerate(data["rules"]):
        at = f"{where}: rules[{i}]"
        if not isinstance(item, dict):
            raise InputError(f"{at}: expected a mapping")
        for key in ("id", "citation", "title", "text", "severity", "applies_from"):
            if item.get(key) in (None, ""):
                raise InputError(f"{at}.{key}: missing")
        if item["severity"] not in SEVERITIES:
            raise InputError(f"{at}.severity: expected one of {', '.join(SEVERITIES)}")
        params = item.get("params") or {}
        if not isinstance(params, dict):
            raise InputError(f"{at}.params: expected a mapping")
        start = _parse_date(item["applies_from"], f"{at}.applies_from")
        assert start is not None
        rules.append(
            Rule(
                id=str(item["id"]),
                citation=str(item["citation"]),
                title=str(item["title"]),
                text=" ".join(str(item["text"]).split()),
                severity=str(item["severity"]),
                applies_from=start,
                applies_until=_parse_date(item.get("applies_until"), f"{at}.applies_until"),
                source=str(item.get("source") or ""),
                params=params,
            )
        )
    book = Rulebook(tuple(rules))
    for rule_id in book.ids():
        versions = book.versions(rule_id)
        for before, after in itertools.pairwise(versions):
            if before.applies_until is None or before.applies_until > after.applies_from:
                raise InputError(f"{where}: rule {rule_id}: versions overlap at {after.applies_from}")
    return book


def load_rulebook(path: str | Path | None = None) -> Rulebook:
    """The bundled rulebook, or the YAML file at `path`."""
    if path is None:
        text = resources.files("distplan.compliance").joinpath("rulebook.yaml").read_text(encoding="utf-8")
        where = "rulebook.yaml"
    else:
        where = str(path)
        text = yamlsafe.decode(yamlsafe.read_bounded(Path(path), "a rulebook"), where)
    return parse_rulebook(yamlsafe.load(text, where), where)
