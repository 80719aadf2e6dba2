"""One fund-class identity and one list of spending categories (issue 8 items 3 and 4)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest
from fees_aim import aim_coverage, aim_nav

from distplan.compliance.checks import check_finra_caps
from distplan.compliance.governance import ClassFacts, FundClass, GovernanceFacts, PlanFacts
from distplan.compliance.inputs import CheckInput
from distplan.compliance.loader import parse_governance
from distplan.compliance.rulebook import load_rulebook
from distplan.errors import InputError
from distplan.fees import Coverage, Engine, payables, read_expenses, reimburse
from distplan.ledger.plankey import class_key
from distplan.model import FundClassKey, N1ACategory

NOV = (date(2003, 11, 1), date(2003, 12, 1))
LEISURE = "INVESCO Leisure Fund"


def test_one_key_folds_class_words_everywhere() -> None:
    key = FundClassKey.of("INVESCO Leisure Fund", "Investor")
    for spelling in ("Investor Class", "Investor Class Shares", "investor  class", "INVESTOR"):
        assert FundClassKey.of("invesco leisure fund", spelling) == key
        assert class_key(spelling) == key.share_class  # the ledger's plan key agrees
        assert FundClass("INVESCO Leisure Fund", spelling).matches(LEISURE, "Investor")
        assert FundClass(None, spelling).matches(LEISURE, "Investor")
    assert FundClassKey.of("F", "Class A") == FundClassKey.of("F", "A Shares") == FundClassKey.of("F", "A")
    assert FundClassKey.of("F", "A") != FundClassKey.of("F", "B")
    assert FundClassKey.of("F", None) == FundClassKey.of("F", "")


def test_a_nav_file_saying_investor_class_matches_investor(duck: Engine) -> None:
    nav = aim_nav()
    nav = nav.set_column(1, "share_class", pa.array(["Investor Class"] * nav.num_rows, pa.string()))
    result = payables(aim_coverage(), nav, *NOV, engine=duck)
    row = next(r for r in result.table.to_pylist() if r["fund"] == LEISURE)
    assert row["fee"] == Decimal("19178.04") and row["share_class"] == "Investor"
    assert not [w for w in result.warnings if "never covered" in w.message]


def test_a_governance_file_saying_investor_class_sets_the_no_load_limit() -> None:
    cov = Coverage(
        "Plan", "T", LEISURE, "Investor", date(2003, 11, 3), None, Decimal("0.10"), Decimal("0.25"), None, "S"
    )
    gov = GovernanceFacts(plan=PlanFacts(classes=(ClassFacts(share_class="Investor Class", no_load=True),)))
    inp = CheckInput(plan="Plan", as_of=date(2003, 12, 31), rates=(cov,), governance=gov)
    assert [f.rule for f in check_finra_caps(inp, load_rulebook())] == ["finra-2341.no-load"]


def test_expense_categories_are_one_enumeration(tmp_path: Path, duck: Engine) -> None:
    path = tmp_path / "spent.csv"
    path.write_text(
        "month,fund,share_class,category,amount\n"
        f"2003-11,{LEISURE},Investor Class,printing_and_mailing,100.00\n"  # the governance spelling
        f"2003-11,{LEISURE},Investor,printing_mailing,20.00\n"  # the old CSV spelling
        f"2003-11,{LEISURE},Investor,Compensation to Broker-Dealers,3.00\n"
    )
    spent = read_expenses(path)
    assert [e.category for e in spent] == [
        N1ACategory.PRINTING_AND_MAILING,
        N1ACategory.PRINTING_AND_MAILING,
        N1ACategory.BROKER_DEALERS,
    ]
    rows, warnings = reimburse(payables(aim_coverage(), aim_nav(), *NOV, engine=duck).table, spent)
    row = next(r for r in rows.to_pylist() if r["fund"] == LEISURE)
    assert row["expense_printing_and_mailing"] == Decimal("120.00") and row["paid"] == Decimal("123.00")
    assert warnings == []


def test_an_unknown_category_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "spent.csv"
    path.write_text(f"month,fund,share_class,category,amount\n2003-11,{LEISURE},Investor,advertsing,1\n")
    with pytest.raises(
        InputError, match=r"spent\.csv:2: category: 'advertsing' .*did you mean 'advertising'"
    ):
        read_expenses(path)


def test_governance_reports_read_the_same_categories() -> None:
    def spent(categories: dict[str, str]) -> tuple[tuple[str, Decimal], ...]:
        facts = parse_governance(
            {"quarterly_reports": [{"quarter": "2003Q4", "spent": categories}]}, "g.yaml"
        )
        return facts.reports[0].spent

    assert spent({"printing_mailing": "1.00", "Advertising": "2.00"}) == (
        ("printing_and_mailing", Decimal("1.00")),
        ("advertising", Decimal("2.00")),
    )
    with pytest.raises(InputError, match=r"spent\.printng.*did you mean 'printing"):
        spent({"printng": "1.00"})
