"""A parsed governance document (a mapping of its sections) as `GovernanceFacts`."""

from __future__ import annotations

from typing import Any

from distplan.compliance.governance import GovernanceFacts
from distplan.compliance.govreader import TOP_KEYS, GovernanceReader


def parse_governance(data: Any, where: str, lines: dict[str, int] | None = None) -> GovernanceFacts:
    """Facts from an already-parsed document (a mapping of the sections)."""
    rd = GovernanceReader(where, lines or {})
    if data is None:
        raise rd.fail("", "the governance file is empty")
    top = rd.mapping(data, "", TOP_KEYS)
    version = top.get("version", 1)
    if version != 1:
        raise rd.fail("version", f"unsupported version {version!r} (this distplan reads version 1)")
    meetings, approvals = [], []
    for i, item in enumerate(rd.items(top, "meetings", "")):
        meeting, items = rd.meeting(item, f"meetings[{i}]")
        meetings.append(meeting)
        approvals.extend(items)
    _unique(rd, "meetings", [m.id for m in meetings])
    facts = GovernanceFacts(
        plan=rd.plan(top["plan"], "plan") if top.get("plan") is not None else None,
        meetings=tuple(meetings),
        approvals=tuple(approvals),
        shareholder_votes=tuple(
            rd.vote(v, f"shareholder_votes[{i}]")
            for i, v in enumerate(rd.items(top, "shareholder_votes", ""))
        ),
        reports=tuple(
            rd.report(r, f"quarterly_reports[{i}]")
            for i, r in enumerate(rd.items(top, "quarterly_reports", ""))
        ),
        agreements=tuple(
            rd.agreement(a, f"agreements[{i}]") for i, a in enumerate(rd.items(top, "agreements", ""))
        ),
        records=tuple(rd.record(r, f"records[{i}]") for i, r in enumerate(rd.items(top, "records", ""))),
        policies=rd.policies(top["policies"], "policies") if top.get("policies") is not None else None,
    )
    _unique(rd, "shareholder_votes", [v.id for v in facts.shareholder_votes])
    _unique(rd, "quarterly_reports", [r.id for r in facts.reports])
    _unique(rd, "agreements", [a.id for a in facts.agreements])
    return facts


def _unique(rd: GovernanceReader, section: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for i, fact_id in enumerate(ids):
        if fact_id in seen:
            raise rd.fail(f"{section}[{i}]", f"a second entry with id {fact_id!r} (give each an `id`)")
        seen.add(fact_id)
