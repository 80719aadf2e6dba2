"""Findings: what a check reports. A finding cites its rule, names its subject and carries the
evidence it rests on (ledger entries, source lines of documents and governance files)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from distplan.compliance.rulebook import Rule

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Evidence:
    """One thing a finding rests on. `seq` is the ledger entry when the fact was recorded;
    `path`/`lines` the source file and 1-based line span."""

    what: str
    seq: int | None = None
    path: str | None = None
    lines: tuple[int, int] | None = None

    def label(self) -> str:
        parts = [self.what]
        if self.seq is not None:
            parts.append(f"entry {self.seq}")
        if self.path:
            where = self.path
            if self.lines:
                first, last = self.lines
                where += f":{first}" if first == last else f":{first}-{last}"
            parts.append(where)
        return ", ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {
            "what": self.what,
            "seq": self.seq,
            "path": self.path,
            "lines": list(self.lines) if self.lines else None,
        }


@dataclass(frozen=True)
class Subject:
    """What a finding is about: the plan, a fund-class (or a group of them with the same
    finding), an instrument, an agreement, a quarter, a record."""

    kind: str
    name: str
    fund: str | None = None
    share_class: str | None = None
    start: date | None = None
    end: date | None = None
    members: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "fund": self.fund,
            "share_class": self.share_class,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "members": list(self.members),
        }


@dataclass(frozen=True)
class Finding:
    id: str
    rule: str
    citation: str
    severity: str
    subject: Subject
    message: str
    evidence: tuple[Evidence, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rule": self.rule,
            "citation": self.citation,
            "severity": self.severity,
            "subject": self.subject.to_json(),
            "message": self.message,
            "evidence": [e.to_json() for e in self.evidence],
        }


def finding(
    rule: Rule,
    subject: Subject,
    message: str,
    evidence: Iterable[Evidence] = (),
    *,
    severity: str | None = None,
    key: str = "",
) -> Finding:
    """Build a finding citing `rule`; its id is stable across runs (rule, subject, key)."""
    digest = hashlib.sha256(f"{rule.id}|{subject.kind}|{subject.name}|{key}".encode()).hexdigest()[:10]
    return Finding(
        id=f"{rule.id}#{digest}",
        rule=rule.id,
        citation=rule.citation,
        severity=severity or rule.severity,
        subject=subject,
        message=message,
        evidence=tuple(evidence),
    )


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then info; within a severity by rule, subject and message."""
    return sorted(
        findings,
        key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.rule, f.subject.kind, f.subject.name, f.message),
    )


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for f in findings:
        counts[f.severity] = counts.get(f.severity, 0) + 1
    return counts
