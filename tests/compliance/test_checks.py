"""The checks one by one on small inputs, and the engine's promise: never raise on bad data."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))

from aim import AIM, PLAN, aim_input, aim_records, approve_amendment, gold_instrument, meeting

from distplan.compliance import (
    Agreement,
    Approval,
    CheckInput,
    ClassFacts,
    FundClass,
    GovernanceFacts,
    InstrumentRecord,
    PlanFacts,
    QuarterlyReport,
    RateSpan,
    RecordKeeping,
    ShareholderVote,
    Tally,
    run_checks,
)
from distplan.compliance.checks import (
    check_agreement_terms,
    check_per_class_action,
    check_record_retention,
    check_schedule_integrity,
    check_shareholder_approval,
    check_written_plan,
)
from distplan.compliance.rulebook import load_rulebook
from distplan.model import Diagnostic

BOOK = load_rulebook()
DAY = date(2003, 12, 1)


def test_written_plan() -> None:
    empty = CheckInput(PLAN, DAY)
    (f,) = check_written_plan(empty, BOOK)
    assert f.severity == "error" and "no written plan" in f.message
    (w,) = check_written_plan(aim_input(DAY), BOOK)
    assert w.severity == "warning" and "not the plan itself" in w.message
    gov = GovernanceFacts(plan=PlanFacts(document="Master Plan, July 1, 2003"))
    assert check_written_plan(aim_input(DAY, gov), BOOK) == []
    oral = GovernanceFacts(plan=gov.plan, agreements=(Agreement(id="a", name="Handshake", written=False),))
    (e,) = check_written_plan(aim_input(DAY, oral), BOOK)
    assert e.severity == "error" and "'Handshake' is not in writing" in e.message


def test_agreement_terms() -> None:
    good = Agreement(
        id="g",
        name="Dealer",
        without_penalty=True,
        notice_days=60,
        terminates_on_assignment=True,
        written=True,
    )
    assert check_agreement_terms(aim_input(DAY, GovernanceFacts(agreements=(good,))), BOOK) == []
    bad = replace(good, without_penalty=False, notice_days=90, terminates_on_assignment=None)
    found = check_agreement_terms(aim_input(DAY, GovernanceFacts(agreements=(bad,))), BOOK)
    assert sorted((f.severity, f.message.split("'Dealer' ")[1]) for f in found) == [
        ("error", "cannot be terminated without penalty"),
        ("error", "requires 90 days' notice to terminate (at most 60)"),
        ("warning", "does not record automatic termination on assignment"),
    ]


def test_per_class_action_names_missing_and_lumped_classes() -> None:
    m = meeting("2003-10-21")
    only_two = Approval(
        id="x",
        meeting=m,
        what="amendment",
        amendment=2,
        scope=(FundClass("INVESCO Dynamics Fund", "Investor"), FundClass("INVESCO Leisure Fund", "Investor")),
    )
    found = check_per_class_action(
        aim_input(DAY, GovernanceFacts(meetings=(m,), approvals=(only_two,))), BOOK
    )
    (missing,) = [f for f in found if f.severity == "error"]
    assert "no approval acts for 16 of the 18 fund-classes" in missing.message
    assert len(missing.subject.members) == 16
    class_wide = replace(only_two, scope=(FundClass(None, "Investor"),))
    found = check_per_class_action(
        aim_input(DAY, GovernanceFacts(meetings=(m,), approvals=(class_wide,))), BOOK
    )
    assert [f.severity for f in found] == ["warning"] and "one vote stands for 18" in found[0].message


def test_shareholder_approval_after_public_offering() -> None:
    facts = PlanFacts(
        adopted=date(2003, 7, 1),
        classes=(
            ClassFacts(share_class="Investor", fund="INVESCO Leisure Fund", first_offered=date(1999, 1, 4)),
        ),
    )
    inp = aim_input(DAY, GovernanceFacts(plan=facts))
    (f,) = [f for f in check_shareholder_approval(inp, BOOK) if f.severity == "error"]
    assert f.subject.fund == "INVESCO Leisure Fund" and "no shareholder vote" in f.message
    vote = ShareholderVote(
        id="v",
        date=date(2003, 6, 20),
        fund="INVESCO Leisure Fund",
        share_class="Investor",
        outstanding=Decimal(100),
        present=Decimal(80),
        voted_for=Decimal(60),
    )
    inp = aim_input(DAY, GovernanceFacts(plan=facts, shareholder_votes=(vote,)))
    assert [f for f in check_shareholder_approval(inp, BOOK) if f.severity == "error"] == []
    # A class first offered on the day the plan took effect needs no vote (since 1996).
    pre = replace(facts, classes=(replace(facts.classes[0], first_offered=date(2003, 7, 1)),))
    assert [
        f
        for f in check_shareholder_approval(aim_input(DAY, GovernanceFacts(plan=pre)), BOOK)
        if f.severity == "error"
    ] == []


def test_record_retention() -> None:
    early = RecordKeeping(
        id="r", document="2003Q4 report", dated=date(2004, 1, 20), destroyed=date(2008, 1, 1)
    )
    moved = RecordKeeping(id="s", document="plan", dated=date(2003, 7, 1), offsite_from=date(2004, 7, 1))
    ok = RecordKeeping(id="t", document="old plan", dated=date(1990, 1, 1), destroyed=date(1996, 1, 1))
    gov = GovernanceFacts(records=(early, moved, ok))
    found = check_record_retention(aim_input(date(2009, 1, 1), gov), BOOK)
    assert sorted(f.message for f in found) == [
        "2003Q4 report (dated 2004-01-20) was destroyed on 2008-01-01, before 2010-01-20",
        "plan (dated 2003-07-01) left the easily accessible place on 2004-07-01, before 2005-07-01",
    ]


def test_schedule_integrity() -> None:
    inst = gold_instrument(AIM[0], signatories=[])
    assert inst.schedule is not None
    rows = list(inst.schedule.rows)
    rows[0] = replace(
        rows[0], distribution_fee=Decimal("0.10"), service_fee=Decimal("0.25"), aggregate_fee=Decimal("0.25")
    )
    rows.append(rows[1])
    inst = replace(inst, schedule=replace(inst.schedule, rows=tuple(rows)))
    inst = inst.with_diagnostics(Diagnostic("error", "could not read the fee column", 40))
    undated = replace(gold_instrument(AIM[1]), effective_date=None)
    inp = CheckInput(PLAN, DAY, (InstrumentRecord(inst, 1), InstrumentRecord(undated, 2)))
    messages = {f.message for f in check_schedule_integrity(inp, BOOK)}
    assert "Amendment No. 2 (seq 1) has no signatories (each registrant and the distributor sign)" in messages
    assert (
        "INVESCO Tax-Free Bond Fund (Investor Class): aggregate 0.25% is not asset-based 0.10% + service 0.25%"
        in messages
    )
    assert (
        "Amendment No. 2 (seq 1) lists INVESCO U.S. Government Securities Fund (Investor Class) more than once"
        in messages
    )
    assert "Amendment No. 2 (seq 1) was extracted with 1 error(s): could not read the fee column" in messages
    assert "Amendment No. 3 (seq 2) states no effective date" in messages


def test_amendment_gap_in_the_middle_is_a_warning() -> None:
    records = aim_records()
    inp = aim_input(DAY)
    inp = replace(inp, instruments=(records[0], records[2]))
    gaps = [f for f in check_schedule_integrity(inp, BOOK) if "not recorded" in f.message]
    assert [(f.severity, f.message) for f in gaps] == [
        ("warning", "amendment number(s) 1, 3 are not recorded")
    ]


def test_facts_dated_after_as_of_do_not_count() -> None:
    m = meeting("2003-12-15")
    approvals = tuple(approve_amendment(m, n) for n in (2, 3, 4))
    gov = GovernanceFacts(meetings=(m,), approvals=approvals)
    before = {
        f.subject.name for f in run_checks(aim_input(date(2003, 12, 1), gov)) if f.rule == "12b-1(b)(2)"
    }
    assert len(before) == 3  # the meeting has not happened yet
    after = [f for f in run_checks(aim_input(date(2003, 12, 16), gov)) if f.rule == "12b-1(b)(4)-(5)"]
    assert len(after) == 3  # approved, but after each effective date


def test_unreviewed_report_and_missing_amounts() -> None:
    report = QuarterlyReport(id="r", year=2003, quarter=4, delivered=date(2004, 1, 20), document="book")
    found = [
        f
        for f in run_checks(aim_input(date(2004, 4, 2), GovernanceFacts(reports=(report,))))
        if f.rule == "12b-1(b)(3)(ii)"
    ]
    assert sorted((f.severity, f.message) for f in found) == [
        (
            "error",
            "the 2003Q4 report was delivered 2004-01-20 but no board review is recorded (due by 2004-03-31)",
        ),
        ("warning", "the 2003Q4 report records no amounts spent by purpose"),
    ]


# --- robustness: any facts, any rates, never an exception --------------------------------------

dates = st.dates(min_value=date(1985, 1, 1), max_value=date(2030, 12, 31))
rates = st.none() | st.decimals(min_value=0, max_value=5, places=2)
names = st.sampled_from(["INVESCO Leisure Fund", "INVESCO Dynamics Fund", "Fund Ω", ""])
classes = st.none() | st.sampled_from(["Investor", "A", ""])


@st.composite
def spans(draw: st.DrawFn) -> RateSpan:
    start = draw(dates)
    end = draw(st.none() | dates.filter(lambda d: d > start))
    return RateSpan(
        PLAN, None, draw(names), draw(classes), start, end, draw(rates), draw(rates), draw(rates), "x"
    )


@st.composite
def governance(draw: st.DrawFn) -> GovernanceFacts:
    meetings = []
    approvals = []
    for i in range(draw(st.integers(0, 4))):
        members = draw(st.integers(0, 12))
        m = replace(
            meeting(draw(dates).isoformat()),
            id=f"m{i}",
            in_person=draw(st.none() | st.booleans()),
            board=draw(st.none() | st.just(Tally(members, draw(st.integers(0, max(members, 0)))))),
        )
        meetings.append(m)
        approvals.append(
            Approval(
                id=f"a{i}",
                meeting=m,
                what=draw(st.sampled_from(["plan", "agreement", "amendment", "continuance"])),
                amendment=draw(st.none() | st.integers(0, 6)),
                agreement=draw(st.none() | names),
                scope=draw(st.none() | st.just((FundClass(draw(st.none() | names), draw(classes)),))),
            )
        )
    votes = tuple(
        ShareholderVote(
            id=f"v{i}",
            date=draw(dates),
            fund=draw(names),
            share_class=draw(classes),
            outstanding=Decimal(draw(st.integers(0, 1000))),
            present=Decimal(draw(st.integers(0, 1000))),
            voted_for=Decimal(draw(st.integers(0, 1000))),
            matter=draw(st.sampled_from(["plan", "amendment", "increase"])),
            max_rate=draw(rates),
        )
        for i in range(draw(st.integers(0, 3)))
    )
    agreements = tuple(
        Agreement(
            id=f"g{i}",
            name=draw(names),
            effective=draw(st.none() | dates),
            terminated=draw(st.none() | dates),
            notice_days=draw(st.none() | st.integers(0, 400)),
        )
        for i in range(draw(st.integers(0, 2)))
    )
    plan = PlanFacts(
        adopted=draw(st.none() | dates),
        classes=(ClassFacts("Investor", first_offered=draw(st.none() | dates), no_load=True),),
    )
    return GovernanceFacts(plan, tuple(meetings), tuple(approvals), votes, (), agreements)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(spans(), max_size=6), governance(), dates)
def test_checks_never_raise(periods: list[RateSpan], gov: GovernanceFacts, as_of: date) -> None:
    inp = CheckInput(PLAN, as_of, tuple(aim_records()), tuple(periods), gov)
    findings = run_checks(inp, BOOK)
    assert not [f for f in findings if f.rule == "distplan.check-failed"], [
        f.message for f in findings if f.rule == "distplan.check-failed"
    ]
    for f in findings:
        assert f.severity in ("error", "warning", "info") and f.citation and f.message
