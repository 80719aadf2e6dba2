"""Issue 4 acceptance: DOMAIN.md's worked examples and the AIM November 2003 case."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from fees_aim import AMENDMENTS, aim_coverage, aim_nav

from aim_inputs import gold_instrument_json as aim_instrument_json
from distplan import history
from distplan.fees import Coverage, Engine, FeeOptions, accrue, payables
from distplan.ledger import KIND_TERMS, Ledger, Pending
from distplan.model import instrument_from_json
from distplan.periods import Period, nyse_sessions

NOV = (date(2003, 11, 1), date(2003, 12, 1))


def one_fund(rate_d: str = "0.00", rate_s: str = "0.25", start: date = date(2000, 1, 1)) -> list[Coverage]:
    return [
        Coverage(
            "Plan",
            "Trust",
            "Fund One",
            "A",
            start,
            None,
            Decimal(rate_d),
            Decimal(rate_s),
            None,
            "Schedule A",
        )
    ]


def flat_nav(start: date, end: date, amount: str = "100000000.00", fund: str = "Fund One") -> pa.Table:
    days = nyse_sessions(Period(start, end))
    return pa.table(
        {
            "fund": [fund] * len(days),
            "share_class": ["A"] * len(days),
            "date": pa.array(days, pa.date32()),
            "net_assets": pa.array([Decimal(amount)] * len(days), pa.decimal128(18, 2)),
        }
    )


def row_of(table: pa.Table, fund: str) -> dict[str, object]:
    rows = [r for r in table.to_pylist() if r["fund"] == fund]
    assert len(rows) == 1, rows
    return rows[0]


# --- DOMAIN.md worked examples -------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "monthly", "one_day"),
    [(2024, Decimal("21174.86"), Decimal("683.06")), (2023, Decimal("21232.88"), Decimal("684.93"))],
)
def test_domain_worked_examples(duck: Engine, year: int, monthly: Decimal, one_day: Decimal) -> None:
    start, end = date(year, 1, 1), date(year, 2, 1)
    nav = flat_nav(date(year - 1, 12, 20), end)
    opts = FeeOptions(rounding="monthly-cents-half-even")
    month = row_of(payables(one_fund(), nav, start, end, engine=duck, options=opts).table, "Fund One")
    assert month["days"] == 31
    assert month["fee"] == monthly
    assert month["fee_service"] == monthly and month["fee_distribution"] == Decimal("0.00")
    day = row_of(payables(one_fund(), nav, date(year, 1, 2), date(year, 1, 3), engine=duck).table, "Fund One")
    assert (day["days"], day["fee"]) == (1, one_day)
    # The default policy posts each day's cents: 31 x the one-day figure.
    daily = row_of(payables(one_fund(), nav, start, end, engine=duck).table, "Fund One")
    assert daily["fee"] == one_day * 31


# --- AIM November 2003 ---------------------------------------------------------------------


def check_aim_november(table: pa.Table) -> None:
    leisure = row_of(table, "INVESCO Leisure Fund")
    assert (leisure["days"], leisure["fee"], leisure["fee_service"]) == (
        28,
        Decimal("19178.04"),
        Decimal("19178.04"),
    )
    assert leisure["fee_distribution"] == Decimal("0.00")
    assert leisure["average_net_assets"] == Decimal("100000000.00")
    assert leisure["due_date"] == date(2003, 12, 10)
    assert row_of(table, "INVESCO Telecommunications Fund")["days"] == 21
    assert row_of(table, "INVESCO International Core Equity Fund")["days"] == 7
    assert table.num_rows == 19  # 18 funds, one removed and one added on 11-24


def test_aim_november_payables(duck: Engine) -> None:
    result = payables(aim_coverage(), aim_nav(), *NOV, engine=duck)
    check_aim_november(result.table)
    assert result.warnings == ()
    # The registrant renamed on 11-20 reports under its new name, one row for the month.
    assert row_of(result.table, "INVESCO Leisure Fund")["registrant"] == "AIM Sector Funds"


def test_aim_daily_rows_and_thanksgiving(duck: Engine) -> None:
    daily = accrue(aim_coverage(), aim_nav(), *NOV, engine=duck).table
    leisure = daily.filter(pc.equal(daily["fund"], "INVESCO Leisure Fund")).to_pylist()
    days = [r["date"] for r in leisure]
    assert days[0] == date(2003, 11, 3) and days[-1] == date(2003, 11, 30) and len(days) == 28
    by_day = {r["date"]: r for r in leisure}
    assert by_day[date(2003, 11, 27)]["nav_date"] == date(2003, 11, 26)  # Thanksgiving
    assert by_day[date(2003, 11, 29)]["nav_date"] == date(2003, 11, 28)  # weekend after
    assert by_day[date(2003, 11, 12)]["accrual"] == Decimal("684.93")
    assert sum((r["accrual"] for r in leisure), Decimal(0)) == Decimal("19178.04")
    telecom = daily.filter(pc.equal(daily["fund"], "INVESCO Telecommunications Fund"))
    assert max(telecom["date"].to_pylist()) == date(2003, 11, 23)
    ice = daily.filter(pc.equal(daily["fund"], "INVESCO International Core Equity Fund"))
    assert min(ice["date"].to_pylist()) == date(2003, 11, 24)
    instruments = {r["date"]: r["instrument"] for r in leisure}
    assert instruments[date(2003, 11, 19)] == "Amendment No. 2"
    assert instruments[date(2003, 11, 24)] == "Amendment No. 4"


def record_aim(url: str) -> None:
    """The three amendments (instrument JSON from the gold labels) and the plan terms."""
    at = datetime(2004, 1, 5, tzinfo=UTC)
    with Ledger.open(url) as ledger:
        for name, _ in AMENDMENTS:
            data = aim_instrument_json(name)
            ledger.record_many([Pending(instrument_from_json(data), str(data))], recorded_at=at)
        plan = ledger.resolve_plan(None)
        payload = history.terms_payload(
            distribution=Decimal("0.00"),
            service=Decimal("0.25"),
            aggregate=Decimal("0.25"),
            source="First Restated Master Distribution Plan, Schedule A",
            fund=None,
            share_class=None,
        )
        ledger.append(
            KIND_TERMS, plan.id, payload, recorded_at=at, effective_date=date(2003, 7, 1), source_text="x"
        )


def test_aim_november_through_the_ledger(duck: Engine, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    record_aim(url)
    with Ledger.open(url) as ledger:
        cov = history.coverage(ledger.entries(), ledger.resolve_plan(None))
    result = payables(cov, aim_nav(), *NOV, engine=duck)
    check_aim_november(result.table)
    assert row_of(result.table, "INVESCO Leisure Fund")["instruments"].count("Amendment No.") == 3
