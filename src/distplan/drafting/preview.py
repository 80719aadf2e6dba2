"""Preview a draft: apply it to a copy of the plan's history and ask the questions recording it
would answer (OpenFisca's reform: a function applied to a copy of the baseline).

The copy is the ledger's entries as read, plus the draft as one more instrument entry that
exists only here (the next seq, a hash that says it is a draft); nothing is written and the
workspace's history cache is not used (the draft must not be remembered). Then: the diff the
draft makes on its effective date (as `distplan diff --json`), coverage before and after, the
findings it would trigger on its effective date (those not found without it), each with what
to record to clear it, and with net assets the fee change (impact.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from distplan import history as H
from distplan.app.errors import Conflict, Invalid, NotFound
from distplan.drafting.impact import FeeImpact, fee_impact
from distplan.drafting.remedies import to_clear
from distplan.ledger import KIND_INSTRUMENT, Entry, Plan
from distplan.ledger.plankey import plan_classes, plan_key, plan_title
from distplan.model import CoveragePeriod, Instrument, instrument_to_json
from distplan.validation import validate_instrument

DRAFT_HASH = "draft (not recorded)"


@dataclass(frozen=True)
class Preview:
    plan: Plan
    draft: Instrument
    diff: dict[str, Any]
    before: list[CoveragePeriod]
    after: list[CoveragePeriod]
    findings: list[tuple[Any, str]]  # (compliance Finding, what to record to clear it)
    fees: FeeImpact | None
    warnings: tuple[str, ...] = ()  # what makes the draft stale or clash with the ledger

    def counts(self) -> dict[str, int]:
        changed = self.diff["changed"]
        return {
            "added": len(self.diff["added"]),
            "removed": len(self.diff["removed"]),
            "renamed": sum(1 for c in changed if "fund" in c["fields"]),
            "rate_changes": sum(1 for c in changed if set(c["fields"]) & set(H.FIELDS)),
            "registrant_changes": sum(1 for c in changed if "registrant" in c["fields"]),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "draft": {
                "title": self.draft.title,
                "amendment_number": self.draft.amendment_number,
                "effective_date": self.draft.effective_date.isoformat()
                if self.draft.effective_date
                else None,
            },
            "diff": {**self.diff, "known_at": None, "plan": self.plan.to_json()},
            "counts": self.counts(),
            "coverage": {
                "before": [p.to_json() for p in self.before],
                "after": [p.to_json() for p in self.after],
            },
            "findings": [{**f.to_json(), "to_clear": fix} for f, fix in self.findings],
            "fees": self.fees.to_json() if self.fees is not None else None,
            "warnings": list(self.warnings),
        }


def plan_of(draft: Instrument, plans: list[Plan], chosen: Plan | None) -> Plan:
    """The plan the draft names (as recording would decide it)."""
    key = plan_key(plan_title(draft), plan_classes(draft))
    if chosen is not None and chosen.key != key:
        raise Conflict(
            f"the draft names the plan {plan_title(draft)!r}, not plan {chosen.id} ({chosen.label})", "plan"
        )
    for plan in plans:
        if plan.key == key:
            return plan
    raise NotFound(f"the draft names the plan {plan_title(draft)!r}, which the ledger does not hold", "plan")


def draft_entry(draft: Instrument, plan: Plan, entries: list[Entry]) -> Entry:
    """The draft as the entry recording it would make (but never written)."""
    last = entries[-1] if entries else None
    return Entry(
        seq=(last.seq if last else 0) + 1,
        kind=KIND_INSTRUMENT,
        plan_id=plan.id,
        effective_date=draft.effective_date,
        recorded_at=last.recorded_at if last else datetime(1970, 1, 1, tzinfo=UTC),
        payload=instrument_to_json(draft),
        source_sha256=None,
        prev_hash=last.hash if last else "",
        hash=DRAFT_HASH,
    )


def _findings(entries: list[Entry], plan: Plan, day: date, rulebook: Any, extra: Any) -> list[Any]:
    """The findings on `day`. A fund the draft renames stays one fund-class under its first
    name (compliance/renames.py, as `check` does once the draft is recorded), so both runs
    name it alike and facts under either name act for it."""
    from distplan.compliance.engine import run_checks
    from distplan.compliance.rulebook import load_rulebook
    from distplan.compliance.sources import check_input

    inp = check_input(entries, plan, day, extra)
    return run_checks(inp, rulebook if rulebook is not None else load_rulebook(None))


def preview(
    entries: list[Entry],
    plan: Plan,
    draft: Instrument,
    *,
    nav: Path | None = None,
    rulebook: Any = None,
    extra: Any = None,
) -> Preview:
    """`extra`: governance facts not recorded (a what-if: the approvals and votes meant to clear
    the findings); they may name the draft's amendment and funds."""
    validate_instrument(draft, "draft")
    effective = draft.effective_date
    if effective is None:
        raise Invalid("the draft has no effective_date", "effective_date")
    if draft.kind != "amendment":
        raise Invalid(f"the draft is a {draft.kind}, not an amendment", "kind")
    copy = [*entries, draft_entry(draft, plan, entries)]
    cache = H.HistoryCache()  # the draft's own: the workspace's cache must not keep it
    day_before = effective - timedelta(days=1)
    diff = H.diff(copy, plan, day_before, effective, cache=cache)
    before = H.coverage(entries, plan, cache=H.HistoryCache())
    after = H.coverage(copy, plan, cache=cache)
    if extra is not None:
        from distplan.compliance.names import check_names, plan_names

        check_names(extra, plan_names(copy, plan))  # a typo is no what-if
    known = {f.id: f for f in _findings(entries, plan, effective, rulebook, extra)}
    triggered = [
        f
        for f in _findings(copy, plan, effective, rulebook, extra)
        if f.id not in known or known[f.id].message != f.message
    ]
    fees = None
    if nav is not None:
        old = H.plan_state(copy, plan, day_before, cache=cache).rows
        new = H.plan_state(copy, plan, effective, cache=cache).rows
        fees = fee_impact(old, new, nav, effective, plan.label)
    fixes = [(f, to_clear(f, draft)) for f in triggered]
    return Preview(plan, draft, diff, before, after, fixes, fees, stale(entries, plan, draft))


def stale(entries: list[Entry], plan: Plan, draft: Instrument) -> tuple[str, ...]:
    """What the ledger holds that the draft did not see or clashes with: the same amendment
    number, or instruments in force from its effective date on (recorded since it was drafted,
    or the draft is retroactive): it restates Schedule A, so those changes would be undone."""
    from distplan.ledger import KIND_VOID

    voided = {e.target_seq for e in entries if e.kind == KIND_VOID}
    live = [e for e in entries if e.kind == KIND_INSTRUMENT and e.plan_id == plan.id and e.seq not in voided]
    out = []
    number = draft.amendment_number
    same = [e for e in live if number is not None and e.payload.get("amendment_number") == number]
    if same:
        out.append(
            f"Amendment No. {number} is already recorded ({H.instrument_label(same[0])}): renumber the draft"
        )
    effective = draft.effective_date
    later = [
        e
        for e in live
        if effective is not None and e.effective_date is not None and e.effective_date >= effective
    ]
    if later:
        names = ", ".join(f"{H.instrument_label(e)} effective {e.effective_date}" for e in later[:3])
        out.append(
            f"{len(later)} recorded instrument(s) take effect on or after the draft's {effective} ({names}); "
            "the draft restates Schedule A as it stood when drafted: draft again from a later --as-of"
        )
    return tuple(out)
