"""Governance facts read against the plan they are for: every fund and amendment a fact names
must be one the plan's recorded instruments name. A typo ("INVESCO Liesure Fund",
`amendment: 9`) would otherwise make a fact about nothing, and the checks would silently
ignore it; here it is an error naming the file, line and field, with a suggestion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from distplan.compliance.governance import GovernanceFacts, Where
from distplan.errors import InputError
from distplan.ledger import KIND_INSTRUMENT, KIND_VOID, Entry, Plan
from distplan.model import fold_name, suggest


@dataclass(frozen=True)
class PlanNames:
    """What a plan's recorded instruments name."""

    plan: Plan
    funds: dict[str, str]  # folded name -> as first written
    amendments: frozenset[int]
    effective: frozenset[date]


def plan_names(entries: Iterable[Entry], plan: Plan) -> PlanNames:
    entries = list(entries)
    voided = {e.target_seq for e in entries if e.kind == KIND_VOID}
    funds: dict[str, str] = {}
    amendments: set[int] = set()
    effective: set[date] = set()
    for e in entries:
        if e.kind != KIND_INSTRUMENT or e.plan_id != plan.id or e.seq in voided:
            continue
        inst = e.instrument
        rows = [r for op in inst.operations for r in op.rows]
        rows += list(inst.schedule.rows) if inst.schedule is not None else []
        names = [r.fund for r in rows]
        names += [op.new_name for op in inst.operations if op.op == "rename_fund" and op.new_name]
        for name in names:
            funds.setdefault(fold_name(name), name)
        if inst.amendment_number is not None:
            amendments.add(inst.amendment_number)
        if inst.effective_date is not None:
            effective.add(inst.effective_date)
    return PlanNames(plan, funds, frozenset(amendments), frozenset(effective))


def _refuse(where: Where, field: str, problem: str) -> InputError:
    line = f":{where.line}" if where.line is not None else ""
    return InputError(f"{where.path}{line}: {field}: {problem}")


def _fund(names: PlanNames, fund: str, where: Where, field: str) -> None:
    if fold_name(fund) not in names.funds:
        close = suggest(fund, sorted(names.funds.values()))
        hint = f"; did you mean {close!r}?" if close else ""
        problem = f"unknown fund {fund!r}: no recorded instrument of plan {names.plan.id} names it{hint}"
        raise _refuse(where, field, problem)


def _amendment(names: PlanNames, number: int, where: Where, field: str) -> None:
    if number not in names.amendments:
        recorded = ", ".join(str(n) for n in sorted(names.amendments)) or "none"
        problem = f"no Amendment No. {number} is recorded for plan {names.plan.id} (recorded: {recorded})"
        raise _refuse(where, field, problem)


def _effective(names: PlanNames, day: date, where: Where, field: str) -> None:
    if day not in names.effective:
        close = min(names.effective, key=lambda d: abs((d - day).days), default=None)
        hint = f"; did you mean {close}?" if close else ""
        raise _refuse(where, field, f"no instrument of plan {names.plan.id} is effective {day}{hint}")


def check_names(facts: GovernanceFacts, names: PlanNames) -> None:
    """InputError for the first fact naming a fund or amendment the plan's instruments do not.
    Nothing to check against (no instrument recorded yet) passes."""
    if not names.funds and not names.amendments:
        return
    if facts.plan is not None:
        for i, c in enumerate(facts.plan.classes):
            if c.fund is not None:
                _fund(names, c.fund, c.where, f"plan.classes[{i}].fund")
    for m_i, meeting in enumerate(facts.meetings):
        mine = [a for a in facts.approvals if a.meeting.id == meeting.id]
        for a_i, a in enumerate(mine):
            at = f"meetings[{m_i}].approvals[{a_i}]"
            for f_i, fc in enumerate(a.scope or ()):
                if fc.fund is not None:
                    _fund(names, fc.fund, a.where, f"{at}.funds[{f_i}]")
            if a.what == "amendment" and a.amendment is not None:
                _amendment(names, a.amendment, a.where, f"{at}.amendment")
            if a.what == "amendment" and a.effective is not None:
                _effective(names, a.effective, a.where, f"{at}.effective")
    for v_i, v in enumerate(facts.shareholder_votes):
        _fund(names, v.fund, v.where, f"shareholder_votes[{v_i}].fund")
        if v.amendment is not None:
            _amendment(names, v.amendment, v.where, f"shareholder_votes[{v_i}].amendment")
