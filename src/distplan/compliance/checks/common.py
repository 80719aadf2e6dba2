"""Helpers the checks share: which approvals concern an instrument, whether an approval meets
Rule 12b-1(b)(2), subjects and grouping of fund-classes with the same finding."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from distplan.compliance.findings import Evidence, Subject
from distplan.compliance.governance import Approval, GovernanceFacts
from distplan.compliance.inputs import CheckInput, InstrumentRecord, fact_evidence, fund_class_label
from distplan.compliance.rulebook import Rule, Rulebook
from distplan.model import fold_name


def plan_subject(inp: CheckInput) -> Subject:
    return Subject("plan", inp.plan)


def instrument_subject(rec: InstrumentRecord) -> Subject:
    return Subject("instrument", rec.label, start=rec.instrument.effective_date)


def class_subject(members: list[tuple[str, str | None]]) -> Subject:
    """One fund-class, or a group of them sharing a finding (named by class and count)."""
    labels = sorted({fund_class_label(f, c) for f, c in members})
    if len(labels) == 1:
        fund, share_class = members[0]
        return Subject("fund-class", labels[0], fund=fund, share_class=share_class)
    classes = sorted({c or "" for _, c in members})
    name = f"{len(labels)} fund-classes"
    if len(classes) == 1 and classes[0]:
        name = f"{classes[0]} Class of {len(labels)} funds"
        return Subject("fund-classes", name, share_class=classes[0], members=tuple(labels))
    return Subject("fund-classes", name, members=tuple(labels))


def approval_evidence(a: Approval) -> Evidence:
    return fact_evidence(f"board meeting {a.date.isoformat()}: {describe(a)}", a.where)


def describe(a: Approval) -> str:
    if a.what == "amendment":
        target = (
            f"Amendment No. {a.amendment}"
            if a.amendment is not None
            else f"amendment effective {a.effective}"
        )
        return f"approval of {target}"
    if a.what == "agreement":
        return f"approval of {a.agreement}"
    if a.what == "continuance":
        return f"continuance of {a.agreement}" if a.agreement else "continuance of the plan"
    return "approval of the plan"


def defects(a: Approval, rule: Rule) -> list[str]:
    """What keeps an approval from meeting Rule 12b-1(b)(2); empty when it does."""
    m = a.meeting
    out = []
    if m.in_person is not True:
        out.append("votes not cast in person" if m.in_person is False else "in-person voting not recorded")
    if m.called_for_purpose is not True:
        out.append(
            "meeting not called for the purpose"
            if m.called_for_purpose is False
            else "not recorded whether the meeting was called for the purpose"
        )
    board_more, qualified_more = rule.decimal("board_more_than"), rule.decimal("qualified_more_than")
    if m.board is None:
        out.append("the board's vote is not recorded")
    elif not m.board.majority(board_more):
        out.append(f"board {m.board.voted_for} of {m.board.members} for, not a majority")
    if m.qualified is None:
        out.append("the qualified directors' vote is not recorded")
    elif not m.qualified.majority(qualified_more):
        out.append(
            f"qualified directors {m.qualified.voted_for} of {m.qualified.members} for, not a majority"
        )
    return out


def is_valid(a: Approval, book: Rulebook) -> bool:
    rule = book.rule("12b-1(b)(2)", on=a.date) or book.latest("12b-1(b)(2)")
    return not defects(a, rule)


def approvals_of_instrument(gov: GovernanceFacts, rec: InstrumentRecord) -> list[Approval]:
    inst = rec.instrument
    if inst.kind == "plan":
        return sorted((a for a in gov.approvals if a.what == "plan"), key=lambda a: a.date)
    found = []
    for a in gov.approvals:
        if a.what != "amendment":
            continue
        if a.amendment is not None and a.amendment != inst.amendment_number:
            continue
        if a.effective is not None and a.effective != inst.effective_date:
            continue
        found.append(a)
    return sorted(found, key=lambda a: a.date)


def approvals_of_agreement(gov: GovernanceFacts, name: str, kinds: Iterable[str]) -> list[Approval]:
    kinds = set(kinds)
    return sorted(
        (
            a
            for a in gov.approvals
            if a.what in kinds and a.agreement and fold_name(a.agreement) == fold_name(name)
        ),
        key=lambda a: a.date,
    )


def the_rule(book: Rulebook, rule_id: str, day: date) -> Rule | None:
    """The version of a rule in force on `day` (None: the rule did not apply then)."""
    return book.rule(rule_id, on=day)


def iso(day: date | None) -> str:
    return day.isoformat() if day else "(no date)"
