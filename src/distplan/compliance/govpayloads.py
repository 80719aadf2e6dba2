"""Governance facts as ledger payloads (one per fact, in the file's own format plus its
source) and back: one reader parses both."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from distplan.compliance.governance import (
    FundClass,
    GovernanceFacts,
    Tally,
    Where,
)
from distplan.compliance.govparse import parse_governance
from distplan.compliance.govreader import SECTIONS
from distplan.errors import InputError


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _tally_doc(t: Tally | None) -> dict[str, Any] | None:
    if t is None:
        return None
    out: dict[str, Any] = {"members": t.members, "for": t.voted_for}
    if t.against is not None:
        out["against"] = t.against
    return out


def _scope_doc(scope: tuple[FundClass, ...] | None) -> Any:
    if scope is None:
        return "all"
    return [
        {k: v for k, v in (("fund", fc.fund), ("class", fc.share_class)) if v is not None} for fc in scope
    ]


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not None and v != [] and v != {}}


def _docs(facts: GovernanceFacts) -> list[tuple[str, str, dict[str, Any], Where, date | None]]:
    """(section, id, item in file format, where, effective date) for every fact."""
    out: list[tuple[str, str, dict[str, Any], Where, date | None]] = []
    if facts.plan is not None:
        p = facts.plan
        classes = [
            _clean(
                {
                    "class": c.share_class,
                    "fund": c.fund,
                    "first_offered": _iso(c.first_offered),
                    "no_load": c.no_load or None,
                }
            )
            for c in p.classes
        ]
        doc: dict[str, Any] = {
            "ref": p.ref,
            "title": p.title,
            "adopted": _iso(p.adopted),
            "document": p.document,
            "classes": classes,
        }
        out.append(("plan", "plan", _clean(doc), p.where, p.adopted))
    for m in facts.meetings:
        approvals = [
            _clean(
                {
                    "id": a.id,
                    "what": a.what,
                    "amendment": a.amendment,
                    "effective": _iso(a.effective),
                    "agreement": a.agreement,
                    "funds": _scope_doc(a.scope),
                    "findings": sorted(a.findings),
                }
            )
            for a in facts.approvals
            if a.meeting.id == m.id
        ]
        doc = {
            "id": m.id,
            "date": m.date.isoformat(),
            "in_person": m.in_person,
            "called_for_purpose": m.called_for_purpose,
            "board": _tally_doc(m.board),
            "qualified": _tally_doc(m.qualified),
            "minutes": m.minutes,
            "approvals": approvals,
        }
        out.append(("meetings", m.id, _clean(doc), m.where, m.date))
    for v in facts.shareholder_votes:
        doc = {
            "id": v.id,
            "date": v.date.isoformat(),
            "fund": v.fund,
            "class": v.share_class,
            "outstanding": str(v.outstanding),
            "present": str(v.present),
            "for": str(v.voted_for),
            "matter": v.matter,
            "amendment": v.amendment,
            "max_rate": str(v.max_rate) if v.max_rate is not None else None,
        }
        out.append(("shareholder_votes", v.id, _clean(doc), v.where, v.date))
    for r in facts.reports:
        doc = {
            "id": r.id,
            "quarter": r.label,
            "delivered": _iso(r.delivered),
            "reviewed": _iso(r.reviewed),
            "spent": {k: str(v) for k, v in r.spent},
            "document": r.document,
        }
        out.append(("quarterly_reports", r.id, _clean(doc), r.where, r.reviewed or r.delivered))
    for a in facts.agreements:
        doc = {
            "id": a.id,
            "name": a.name,
            "parties": list(a.parties),
            "effective": _iso(a.effective),
            "written": a.written,
            "terminable_without_penalty": a.without_penalty,
            "notice_days": a.notice_days,
            "terminates_on_assignment": a.terminates_on_assignment,
            "terminated": _iso(a.terminated),
            "document": a.document,
        }
        out.append(("agreements", a.id, _clean(doc), a.where, a.effective))
    for k in facts.records:
        doc = {
            "id": k.id,
            "document": k.document,
            "dated": k.dated.isoformat(),
            "location": k.location,
            "offsite_from": _iso(k.offsite_from),
            "destroyed": _iso(k.destroyed),
        }
        out.append(("records", k.id, _clean(doc), k.where, k.dated))
    if facts.policies is not None:
        doc = {"directed_brokerage": _iso(facts.policies.directed_brokerage)}
        out.append(
            ("policies", "policies", _clean(doc), facts.policies.where, facts.policies.directed_brokerage)
        )
    return out


def governance_payloads(facts: GovernanceFacts) -> list[dict[str, Any]]:
    """One JSON-ready payload per fact, for `ledger.append("governance", plan_id, payload,
    effective_date=payload_effective_date(payload), ...)`. The item is in the file's own format;
    `source` keeps the file and the line of each field."""
    payloads = []
    for section, fact_id, doc, where, _ in _docs(facts):
        source: dict[str, Any] = {"path": where.path, "line": where.line}
        # The lines of the items nested inside this fact, so evidence can point at them.
        nested: list[tuple[str, Where]] = []
        if section == "meetings":
            mine = [a for a in facts.approvals if a.meeting.id == fact_id]
            nested = [(f"approvals[{j}]", a.where) for j, a in enumerate(mine)]
        elif section == "plan" and facts.plan is not None:
            nested = [(f"classes[{j}]", c.where) for j, c in enumerate(facts.plan.classes)]
        lines = {key: w.line for key, w in nested if w.line is not None}
        if lines:
            source["lines"] = lines
        payloads.append({"type": section, "id": fact_id, "item": doc, "source": source})
    return payloads


def payload_effective_date(payload: dict[str, Any]) -> date | None:
    """The date a governance fact speaks for (the meeting, vote or report date)."""
    item = payload.get("item") or {}
    for key in ("date", "reviewed", "delivered", "effective", "dated", "adopted", "directed_brokerage"):
        value = item.get(key)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                return None
    return None


def governance_from_payloads(items: Iterable[tuple[dict[str, Any], int | None]]) -> GovernanceFacts:
    """Rebuild facts from recorded payloads (each with its ledger seq), oldest first. A later
    payload with the same type and id replaces an earlier one (a correction)."""
    latest: dict[tuple[str, str], tuple[dict[str, Any], int | None]] = {}
    for payload, seq in items:
        key = (str(payload.get("type")), str(payload.get("id")))
        latest.pop(key, None)  # keep insertion order = order of the latest version
        latest[key] = (payload, seq)
    facts = GovernanceFacts()
    for (section, _), (payload, seq) in latest.items():
        source = payload.get("source") or {}
        path = str(source.get("path") or "<ledger>")
        where = f"{path} (entry {seq})" if seq is not None else path
        line = source.get("line") if isinstance(source.get("line"), int) else None
        nested: dict[str, Any] = source["lines"] if isinstance(source.get("lines"), dict) else {}
        one = _parse_item(section, payload.get("item"), where, line, nested)
        facts = facts.merge(_with_seq(one, path, seq))
    return facts


def _parse_item(
    section: str, item: Any, where: str, line: int | None, nested: dict[str, Any]
) -> GovernanceFacts:
    if section not in SECTIONS:
        raise InputError(f"{where}: unknown governance payload type {section!r}")
    base = section if section in ("plan", "policies") else f"{section}[0]"
    lines = {f"{base}.{k}": v for k, v in nested.items() if isinstance(v, int)}
    if line is not None:
        lines[base] = line
    return parse_governance({section: item if base == section else [item]}, where, lines)


def _with_seq(facts: GovernanceFacts, path: str, seq: int | None) -> GovernanceFacts:
    """Point each fact's provenance at its file path (without the entry suffix) and ledger seq."""
    from dataclasses import fields, is_dataclass, replace

    def fix(obj: Any) -> Any:
        if isinstance(obj, Where):
            return Where(path, obj.line, seq)
        if isinstance(obj, tuple):
            return tuple(fix(x) for x in obj)
        if is_dataclass(obj) and not isinstance(obj, type):
            changes = {f.name: fix(getattr(obj, f.name)) for f in fields(obj)}
            return replace(obj, **changes)
        return obj

    result: GovernanceFacts = fix(facts)
    return result
