"""The cap rule (issue 8 items 1 and 2): a stated aggregate caps the fee, one rule (`Rates`) for
fees and compliance checks; a reimbursement plan's totals are what is paid, not the cap."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from fees_aim import aim_coverage, aim_nav
from hypothesis import given
from hypothesis import strategies as st

from distplan.compliance.checks import check_finra_caps
from distplan.compliance.governance import ClassFacts, GovernanceFacts, PlanFacts
from distplan.compliance.inputs import CheckInput
from distplan.compliance.rulebook import load_rulebook
from distplan.fees import Coverage, Engine, payables, reimburse, totals
from distplan.fees.reimbursement import Expense

try:
    from distplan.model import Rates
except ImportError:
    Rates = None

NOV = (date(2003, 11, 1), date(2003, 12, 1))
LEISURE = "INVESCO Leisure Fund"
D = Decimal


def leisure_at(dist: str | None, serv: str | None, agg: str | None) -> list[Coverage]:
    def rate(v: str | None) -> Decimal | None:
        return None if v is None else D(v)

    return [
        Coverage(
            "Plan",
            "Trust",
            LEISURE,
            "Investor",
            date(2003, 11, 3),
            None,
            rate(dist),
            rate(serv),
            rate(agg),
            "S",
        )
    ]


@pytest.mark.parametrize(
    ("dist", "serv", "agg"),
    [("0.10", "0.25", "0.25"), (None, "1.5", "0.25"), ("0.10", "1.5", "0.25"), ("0.00", None, "0.25")],
)
def test_a_stated_aggregate_caps_the_fee_service_first(duck: Engine, dist: str, serv: str, agg: str) -> None:
    # 100M x 0.25% / 365 = 684.93 a day, 28 days: exactly the 0.25% aggregate, all of it service.
    result = payables(leisure_at(dist, serv, agg), aim_nav(), *NOV, engine=duck)
    (row,) = result.table.to_pylist()
    assert (row["fee_distribution"], row["fee_service"], row["fee"]) == (
        D("0.00"),
        D("19178.04"),
        D("19178.04"),
    )
    assert any("aggregate 0.25%" in w.message for w in result.warnings)


def test_distribution_takes_what_the_aggregate_leaves(duck: Engine) -> None:
    (row,) = payables(leisure_at("0.75", "0.25", "0.90"), aim_nav(), *NOV, engine=duck).table.to_pylist()
    # service 0.25% (684.93/day) first, then 0.65% distribution (1780.82/day).
    assert (row["fee_service"], row["fee_distribution"]) == (D("684.93") * 28, D("1780.82") * 28)


rates = st.none() | st.decimals(min_value=0, max_value=5, places=2)


@given(rates, rates, rates)
def test_the_charge_never_exceeds_a_stated_rate(
    dist: Decimal | None, serv: Decimal | None, agg: Decimal | None
) -> None:
    charged = Rates(dist, serv, agg).charged()
    if charged is None:
        assert dist is None and serv is None and agg is None
        return
    assert min(charged.distribution, charged.service) >= 0
    if agg is not None:
        assert charged.total <= agg
    for stated, got in ((dist, charged.distribution), (serv, charged.service)):
        if stated is not None:
            assert got <= stated
    if dist is not None and serv is not None and agg is not None:
        assert charged.total == min(agg, dist + serv)
        assert charged.service == min(serv, agg)  # service first


NO_LOAD = GovernanceFacts(plan=PlanFacts(classes=(ClassFacts(share_class="Investor", no_load=True),)))


@pytest.mark.parametrize(
    ("dist", "serv", "agg"),
    [
        ("0.10", "0.25", "0.25"),  # capped to 0.25: no breach
        ("0.10", "0.25", None),  # 0.35 charged: a breach
        ("0.10", "0.25", "0.30"),  # 0.30 charged: a breach
        ("0.00", "0.25", "0.50"),  # the components cap it at 0.25
        (None, None, "0.25"),
        (None, None, "0.40"),
    ],
)
def test_check_judges_the_no_load_limit_on_what_the_fees_charge(
    duck: Engine, dist: str | None, serv: str | None, agg: str | None
) -> None:
    coverage = leisure_at(dist, serv, agg)
    (row,) = payables(coverage, aim_nav(), *NOV, engine=duck).table.to_pylist()
    charged_rate = (row["fee"] / D("684.93") / 28 * D("0.25")).quantize(D("0.01"))
    inp = CheckInput(plan="Plan", as_of=date(2003, 12, 31), rates=tuple(coverage), governance=NO_LOAD)
    no_load = [f for f in check_finra_caps(inp, load_rulebook()) if f.rule == "finra-2341.no-load"]
    if charged_rate > D("0.25"):
        (finding,) = no_load
        assert f"{charged_rate}%" in finding.message
    else:
        assert no_load == []


def test_reimbursement_totals_are_what_is_paid_not_the_cap(duck: Engine) -> None:
    table = payables(aim_coverage(), aim_nav(), *NOV, engine=duck).table
    spent = [Expense("2003-11", LEISURE, "Investor", "advertising", D("1000.00"))]
    rows, _ = reimburse(table, spent, {})
    plan = totals(rows)["plans"][0]
    paid = sum((r["paid"] for r in rows.to_pylist()), D("0.00"))
    assert paid == D("1000.00")  # only Leisure spent anything
    assert plan["payable"] == paid and plan["fee"] > paid  # the fee is only the cap
    assert totals(table)["plans"][0]["payable"] == totals(table)["plans"][0]["fee"]  # compensation
