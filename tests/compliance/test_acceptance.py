"""Issue 5 acceptance, on the AIM Investor Class history built from the corpus gold labels."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from aim import AIM, PLAN, aim_input, approve_amendment, gold_instrument, meeting

from distplan.compliance import (
    Approval,
    CheckInput,
    ClassFacts,
    GovernanceFacts,
    InstrumentRecord,
    PlanFacts,
    QuarterlyReport,
    ShareholderVote,
    deadlines,
    load_governance,
    run_checks,
)
from distplan.compliance.findings import Finding
from distplan.compliance.governance import FundClass

ROOT = Path(__file__).resolve().parents[2]
EFFECTIVE = {2: "2003-11-03", 3: "2003-11-20", 4: "2003-11-24"}


def cited(findings: list[Finding], citation: str, severity: str = "error") -> list[Finding]:
    return [f for f in findings if f.citation == citation and f.severity == severity]


def approvals_before_each_amendment() -> GovernanceFacts:
    meetings = [meeting("2003-10-21"), meeting("2003-11-18"), meeting("2003-11-21")]
    approvals = [approve_amendment(m, n) for m, n in zip(meetings, (2, 3, 4), strict=True)]
    return GovernanceFacts(meetings=tuple(meetings), approvals=tuple(approvals))


# --- (b)(2): each amendment approved ---------------------------------------------------------


def test_no_governance_each_amendment_lacks_b2_approval() -> None:
    findings = run_checks(aim_input(date(2003, 12, 1)))
    missing = cited(findings, "Rule 12b-1(b)(2)")
    assert sorted(f.subject.name for f in missing) == [
        "Amendment No. 2 (seq 1)",
        "Amendment No. 3 (seq 2)",
        "Amendment No. 4 (seq 3)",
    ]
    for f in missing:
        assert "no recorded approval" in f.message
        assert f.evidence and f.evidence[0].seq is not None  # the ledger entry it rests on


def test_approvals_before_each_effective_date_clear_b2() -> None:
    findings = run_checks(aim_input(date(2003, 12, 1), approvals_before_each_amendment()))
    assert cited(findings, "Rule 12b-1(b)(2)") == []
    assert cited(findings, "Rule 12b-1(b)(4)-(b)(5)") == []
    assert [f for f in findings if f.severity == "error"] == []


@pytest.mark.parametrize(
    ("change", "defect"),
    [
        ({"in_person": False}, "not cast in person"),
        ({"called": False}, "not called for the purpose"),
        ({"board": (10, 5)}, "board 5 of 10 for, not a majority"),
        ({"qualified": (7, 3)}, "qualified directors 3 of 7 for, not a majority"),
    ],
)
def test_a_defective_approval_is_a_b2_error(change: dict, defect: str) -> None:
    good = approvals_before_each_amendment()
    bad_meeting = meeting("2003-11-18", **change)
    approvals = (*good.approvals[:1], approve_amendment(bad_meeting, 3), *good.approvals[2:])
    gov = replace(good, approvals=approvals)
    errors = cited(run_checks(aim_input(date(2003, 12, 1), gov)), "Rule 12b-1(b)(2)")
    assert [f.subject.name for f in errors] == ["Amendment No. 3 (seq 2)"]
    assert defect in errors[0].message


def test_approval_after_the_effective_date_is_a_b4_b5_error() -> None:
    gov = approvals_before_each_amendment()
    late = meeting("2003-11-25")
    gov = replace(gov, approvals=(*gov.approvals[:2], approve_amendment(late, 4)))
    findings = run_checks(aim_input(date(2003, 12, 1), gov))
    timing = cited(findings, "Rule 12b-1(b)(4)-(b)(5)")
    assert len(timing) == 1
    assert "took effect on 2003-11-24 but was approved only on 2003-11-25 (1 day later)" in timing[0].message
    assert cited(findings, "Rule 12b-1(b)(2)") == []


# --- (b)(4): material increase needs a 2(a)(42) majority --------------------------------------


def amendment_5(rate: str = "0.35") -> InstrumentRecord:
    """Amendment No. 5: Schedule A again, with INVESCO Leisure Fund at a 0.35% aggregate fee."""
    inst = gold_instrument(AIM[2])
    assert inst.schedule is not None
    rows = tuple(
        replace(r, distribution_fee=Decimal("0.10"), service_fee=Decimal("0.25"), aggregate_fee=Decimal(rate))
        if r.fund == "INVESCO Leisure Fund"
        else replace(
            r, distribution_fee=Decimal("0"), service_fee=Decimal("0.25"), aggregate_fee=Decimal("0.25")
        )
        for r in inst.schedule.rows
    )
    inst = replace(
        inst,
        amendment_number=5,
        effective_date=date(2004, 9, 1),
        schedule=replace(inst.schedule, rows=rows),
    )
    return InstrumentRecord(inst, seq=4)


def increase_input(votes: tuple[ShareholderVote, ...] = ()) -> CheckInput:
    gov = approvals_before_each_amendment()
    m = meeting("2004-08-10")
    gov = replace(
        gov,
        meetings=(*gov.meetings, m),
        approvals=(*gov.approvals, approve_amendment(m, 5, findings=())),
        shareholder_votes=votes,
    )
    return aim_input(date(2004, 9, 2), gov, extra=[amendment_5()])


def leisure_vote(outstanding: str, present: str, voted_for: str, day: str = "2004-08-25") -> ShareholderVote:
    return ShareholderVote(
        id="v",
        date=date.fromisoformat(day),
        fund="INVESCO Leisure Fund",
        share_class="Investor",
        outstanding=Decimal(outstanding),
        present=Decimal(present),
        voted_for=Decimal(voted_for),
        matter="amendment",
        amendment=5,
    )


def test_increase_without_vote_is_a_b4_error() -> None:
    errors = cited(run_checks(increase_input()), "Rule 12b-1(b)(4)")
    assert len(errors) == 1
    f = errors[0]
    assert f.subject.fund == "INVESCO Leisure Fund" and f.subject.share_class == "Investor"
    assert "from 0.25% to 0.35%" in f.message and "no shareholder vote" in f.message


def test_increase_with_a_2a42_majority_is_clean() -> None:
    # 60% present, 70% of those present for: test (A) passes.
    vote = leisure_vote("1000000", "600000", "420000")
    assert cited(run_checks(increase_input((vote,))), "Rule 12b-1(b)(4)") == []
    # More than 50% of outstanding for passes whatever the turnout.
    vote = leisure_vote("1000000", "500001", "500001")
    assert cited(run_checks(increase_input((vote,))), "Rule 12b-1(b)(4)") == []


def test_60_percent_of_present_with_40_percent_present_is_not_a_majority() -> None:
    vote = leisure_vote("1000000", "400000", "240000")
    errors = cited(run_checks(increase_input((vote,))), "Rule 12b-1(b)(4)")
    assert len(errors) == 1
    assert "not a majority of the outstanding voting securities" in errors[0].message
    assert "(A) unavailable: only 40.00% of outstanding present" in errors[0].message


def test_a_vote_after_the_increase_took_effect_is_too_late() -> None:
    vote = leisure_vote("1000000", "600000", "420000", day="2004-09-02")
    errors = cited(run_checks(increase_input((vote,))), "Rule 12b-1(b)(4)")
    assert len(errors) == 1 and "after it took effect" in errors[0].message


# --- FINRA Rule 2341 ----------------------------------------------------------------------------


def test_service_fee_of_030_is_a_finra_2341_error() -> None:
    findings = run_checks(aim_input(date(2003, 12, 1), approvals_before_each_amendment(), service="0.30"))
    finra = [f for f in findings if f.rule == "finra-2341.service" and f.severity == "error"]
    assert len(finra) == 1
    assert "FINRA Rule 2341" in finra[0].citation
    assert "service fee of 0.30% a year exceeds the 0.25% cap" in finra[0].message
    assert len(finra[0].subject.members) == 19  # every fund-class the plan covered from 2003-11-03


def test_service_fee_of_025_passes_finra() -> None:
    findings = run_checks(aim_input(date(2003, 12, 1), approvals_before_each_amendment(), service="0.25"))
    assert [f for f in findings if f.rule.startswith("finra-2341") and f.severity == "error"] == []


# --- (b)(3)(i): annual continuance --------------------------------------------------------------


def plan_approved_2003_07_01() -> CheckInput:
    m = meeting("2003-07-01")
    approval = Approval(
        id="p", meeting=m, what="plan", findings=frozenset({"reasonable_likelihood_of_benefit"})
    )
    gov = GovernanceFacts(plan=PlanFacts(adopted=date(2003, 7, 1)), meetings=(m,), approvals=(approval,))
    return CheckInput(PLAN, date(2004, 7, 2), governance=gov)


def test_no_continuance_is_an_error_the_day_after_the_anniversary() -> None:
    inp = plan_approved_2003_07_01()
    errors = cited(run_checks(inp), "Rule 12b-1(b)(3)(i)")
    assert len(errors) == 1
    assert "due by 2004-07-01" in errors[0].message
    assert cited(run_checks(replace(inp, as_of=date(2004, 7, 1))), "Rule 12b-1(b)(3)(i)") == []


def test_calendar_shows_the_continuance_upcoming_60_days_before() -> None:
    inp = plan_approved_2003_07_01()
    found = [d for d in deadlines(inp, date(2004, 5, 2), date(2004, 7, 31)) if d.kind == "continuance"]
    assert len(found) == 1
    d = found[0]
    assert (d.due, d.status, d.days_left) == (date(2004, 7, 1), "upcoming", 60)
    assert d.citation == "Rule 12b-1(b)(3)(i)"


def test_a_continuance_within_the_year_clears_it() -> None:
    inp = plan_approved_2003_07_01()
    m = meeting("2004-06-15")
    cont = Approval(
        id="c", meeting=m, what="continuance", findings=frozenset({"reasonable_likelihood_of_benefit"})
    )
    gov = replace(
        inp.governance, meetings=(*inp.governance.meetings, m), approvals=(*inp.governance.approvals, cont)
    )
    assert cited(run_checks(replace(inp, governance=gov)), "Rule 12b-1(b)(3)(i)") == []
    nxt = [d for d in deadlines(replace(inp, governance=gov), date(2004, 5, 2), date(2005, 7, 1))]
    dues = [(d.due, d.status) for d in nxt if d.kind == "continuance"]
    assert dues == [(date(2004, 7, 1), "met"), (date(2005, 6, 15), "upcoming")]


# --- (b)(3)(ii): quarterly reports --------------------------------------------------------------


def reports(*quarters: tuple[int, int]) -> tuple[QuarterlyReport, ...]:
    return tuple(
        QuarterlyReport(
            id=f"r{y}{q}",
            year=y,
            quarter=q,
            delivered=date(y + (q == 4), (q % 4) * 3 + 1, 10),
            reviewed=date(y + (q == 4), (q % 4) * 3 + 1, 20),
            spent=(("broker_dealers", Decimal("1000.00")),),
            document="board book",
        )
        for y, q in quarters
    )


def test_a_quarter_without_a_report_is_an_error_after_the_following_quarter() -> None:
    gov = replace(approvals_before_each_amendment(), reports=reports((2004, 1)))  # 2003Q4 missing
    on_deadline = run_checks(aim_input(date(2004, 3, 31), gov))
    assert cited(on_deadline, "Rule 12b-1(b)(3)(ii)") == []
    after = cited(run_checks(aim_input(date(2004, 4, 1), gov)), "Rule 12b-1(b)(3)(ii)")
    assert [f.subject.name for f in after] == ["2003Q4"]
    assert "by 2004-03-31" in after[0].message


def test_every_quarter_reported_and_reviewed_is_clean() -> None:
    gov = replace(approvals_before_each_amendment(), reports=reports((2003, 4), (2004, 1), (2004, 2)))
    assert [f for f in run_checks(aim_input(date(2004, 10, 15), gov)) if f.rule == "12b-1(b)(3)(ii)"] == []


# --- the demo's governance file -----------------------------------------------------------------


def test_the_sample_governance_file_has_its_deliberate_gaps() -> None:
    gov = load_governance(ROOT / "examples" / "governance.yaml")
    findings = run_checks(aim_input(date(2004, 12, 31), gov))
    errors = {(f.citation, f.subject.name) for f in findings if f.severity == "error"}
    assert errors == {
        ("Rule 12b-1(b)(1)", "INVESCO International Core Equity Fund (Investor Class)"),
        ("Rule 12b-1(b)(2)", "Amendment No. 3 (seq 2)"),
        ("Rule 12b-1(b)(3)(ii)", "2004Q1"),
        ("Rule 12b-1(b)(4)-(b)(5)", "Amendment No. 4 (seq 3)"),
    }
    warnings = {f.citation for f in findings if f.severity == "warning"}
    assert {"Rule 12b-1(b)(3)(iv)", "Rule 12b-1(g)"} <= warnings
    # Evidence points at the governance file's lines.
    b1 = next(f for f in findings if f.citation == "Rule 12b-1(b)(1)" and f.severity == "error")
    assert any(e.path and e.path.endswith("governance.yaml") and e.lines for e in b1.evidence)


def test_no_load_class_over_025_is_a_finra_error() -> None:
    gov = replace(
        approvals_before_each_amendment(),
        plan=PlanFacts(classes=(ClassFacts(share_class="Investor", no_load=True),)),
    )
    inp = aim_input(date(2003, 12, 1), gov)
    inp = replace(inp, rates=tuple(replace(p, rate_distribution=Decimal("0.05")) for p in inp.rates))  # type: ignore[type-var]
    rules = {f.rule for f in run_checks(inp) if f.severity == "error"}
    assert rules == {"finra-2341.no-load"}


def test_effective_dates_match_the_gold_labels() -> None:
    # Guard the fixture: the tests above rely on these dates.
    for name, (number, day) in zip(AIM, EFFECTIVE.items(), strict=True):
        inst = gold_instrument(name)
        assert (inst.amendment_number, inst.effective_date) == (number, date.fromisoformat(day))


def test_a_fund_added_by_an_amendment_continues_from_its_own_approval() -> None:
    # The plan was approved for its funds on 2003-07-01 and continued for them on 2004-06-15.
    # INVESCO International Core Equity Fund joined by Amendment No. 4 (2003-11-24), approved on
    # 2003-11-21: its first continuance is due by 2004-11-21, not by the plan's 2004-07-01.
    gov = approvals_before_each_amendment()
    adopted, renewal = meeting("2003-07-01"), meeting("2004-06-15")
    benefit = frozenset({"reasonable_likelihood_of_benefit"})
    original = aim_input(date(2004, 7, 2)).periods_by_class()
    others = tuple(
        FundClass(ps[0].fund, ps[0].share_class)
        for ps in original.values()
        if ps[0].fund != "INVESCO International Core Equity Fund"
    )
    gov = replace(
        gov,
        plan=PlanFacts(adopted=date(2003, 7, 1)),
        meetings=(adopted, *gov.meetings, renewal),
        approvals=(
            Approval(id="plan", meeting=adopted, what="plan", findings=benefit),
            *gov.approvals,
            Approval(id="renewal", meeting=renewal, what="continuance", scope=others, findings=benefit),
        ),
    )
    lapses = cited(run_checks(aim_input(date(2004, 7, 2), gov)), "Rule 12b-1(b)(3)(i)")
    assert lapses == []
    later = cited(run_checks(aim_input(date(2004, 11, 22), gov)), "Rule 12b-1(b)(3)(i)")
    assert [f.subject.name for f in later] == ["INVESCO International Core Equity Fund (Investor Class)"]
    assert "last approved or adopted on 2003-11-21" in later[0].message
    assert "due by 2004-11-21" in later[0].message
