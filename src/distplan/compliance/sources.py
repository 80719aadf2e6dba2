"""Between the ledger and the checks: gather a plan's instruments, rate periods and governance
facts from ledger entries into a `CheckInput`, and record a governance file as one entry.

A governance file is recorded as ONE ledger entry (kind "governance") whose payload holds every
fact (`{"type": "governance-file", "path": ..., "facts": [governance_payloads(...)]}`), so the
file goes in whole or not at all. Recording the same text again adds nothing. Facts from later
entries replace earlier facts with the same type and id (a corrected file).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from distplan.compliance.governance import GovernanceFacts
from distplan.compliance.inputs import CheckInput, InstrumentRecord
from distplan.compliance.loader import governance_from_payloads, governance_payloads
from distplan.compliance.names import check_names, plan_names
from distplan.ledger import KIND_GOVERNANCE, KIND_INSTRUMENT, KIND_VOID, Entry, Ledger, Plan
from distplan.ledger.chain import sha256_text

PAYLOAD_TYPE = "governance-file"


def governance_from_entries(entries: Iterable[Entry], plan: Plan | None = None) -> GovernanceFacts:
    """The governance facts in these entries (voided entries left out), for one plan or all."""
    entries = list(entries)
    voided = {e.target_seq for e in entries if e.kind == KIND_VOID}
    items: list[tuple[dict[str, Any], int | None]] = []
    for e in entries:
        if e.kind != KIND_GOVERNANCE or e.seq in voided:
            continue
        if plan is not None and e.plan_id not in (None, plan.id):
            continue
        if e.payload.get("type") == PAYLOAD_TYPE:
            items.extend((p, e.seq) for p in e.payload.get("facts") or [] if isinstance(p, dict))
        else:
            items.append((e.payload, e.seq))  # a single fact appended on its own
    return governance_from_payloads(items)


def check_input(
    entries: Iterable[Entry], plan: Plan, as_of: date, extra: GovernanceFacts | None = None
) -> CheckInput:
    """Everything the checks need for one plan, from entries as known at some moment; a
    renamed fund is one fund-class under one name (renames.py)."""
    from distplan import history
    from distplan.compliance.renames import follow_renames

    entries = list(entries)
    voided = {e.target_seq for e in entries if e.kind == KIND_VOID}
    instruments = tuple(
        InstrumentRecord(e.instrument, e.seq)
        for e in entries
        if e.kind == KIND_INSTRUMENT and e.plan_id == plan.id and e.seq not in voided
    )
    governance = governance_from_entries(entries, plan)
    if extra is not None:
        governance = governance.merge(extra)
    tracked = history.tracked_coverage(entries, plan)
    inp = CheckInput(
        plan=plan.label,
        as_of=as_of,
        instruments=instruments,
        rates=tuple(p for _, p in tracked),
        governance=governance,
    )
    return follow_renames(inp, tracked)


def check_governance_names(ledger: Ledger, plan: Plan, facts: GovernanceFacts) -> None:
    """InputError when the facts name a fund or amendment no recorded instrument of the plan
    names (see names.py). Run it on every file before recording any."""
    check_names(facts, plan_names(ledger.entries(kinds=[KIND_INSTRUMENT, KIND_VOID]), plan))


def record_governance(
    ledger: Ledger, plan: Plan, facts: GovernanceFacts, source_text: str, *, path: str, recorded_at: datetime
) -> Entry | None:
    """Append the file's facts as one entry; None when the same text is already recorded.
    InputError (nothing recorded) when they name a fund or amendment the plan does not have."""
    check_governance_names(ledger, plan, facts)
    digest = sha256_text(source_text)
    for e in ledger.entries(kinds=[KIND_GOVERNANCE], plan_id=plan.id):
        if e.source_sha256 == digest:
            return None
    items = governance_payloads(facts)
    for item in items:
        item["source"]["path"] = path  # as the user named the file, not where it was read from
    payload = {"type": PAYLOAD_TYPE, "path": path, "facts": items}
    return ledger.append(KIND_GOVERNANCE, plan.id, payload, recorded_at=recorded_at, source_text=source_text)
