"""Inputs and their failures: gaps, carrying, duplicates, foreign funds, rates, files, outputs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from fees_aim import aim_coverage, aim_nav

from distplan.errors import InputError
from distplan.fees import Coverage, Engine, FeeOptions, accrue, payables, reimburse, true_up
from distplan.fees.reimbursement import Expense

NOV = (date(2003, 11, 1), date(2003, 12, 1))
LEISURE = "INVESCO Leisure Fund"


def without(nav: pa.Table, fund: str, day: date) -> pa.Table:
    keep = pc.invert(pc.and_(pc.equal(nav["fund"], fund), pc.equal(nav["date"], pa.scalar(day, pa.date32()))))
    return nav.filter(keep)


def leisure(table: pa.Table) -> dict[str, object]:
    return next(r for r in table.to_pylist() if r["fund"] == LEISURE)


def test_missing_nav_is_an_error_naming_the_gap(duck: Engine) -> None:
    nav = without(aim_nav(), LEISURE, date(2003, 11, 12))
    with pytest.raises(InputError, match=r"INVESCO Leisure Fund \(Investor\): 2003-11-12.*--carry-missing"):
        payables(aim_coverage(), nav, *NOV, engine=duck)


def test_carry_missing_warns_and_uses_the_last_nav(duck: Engine) -> None:
    nav = aim_nav()
    # 11-11 is different, 11-12 missing: the 12th carries the 11th's net assets.
    nav = without(nav, LEISURE, date(2003, 11, 12))
    changed = pc.and_(
        pc.equal(nav["fund"], LEISURE), pc.equal(nav["date"], pa.scalar(date(2003, 11, 11), pa.date32()))
    )
    amounts = pc.if_else(changed, pa.scalar(Decimal("200000000.00"), pa.decimal128(38, 2)), nav["net_assets"])
    nav = nav.set_column(3, "net_assets", amounts)
    result = accrue(aim_coverage(), nav, *NOV, engine=duck, options=FeeOptions(carry_missing=True))
    assert any("carried" in w.message and "2003-11-12" in w.message for w in result.warnings)
    rows = {r["date"]: r for r in result.table.to_pylist() if r["fund"] == LEISURE}
    assert rows[date(2003, 11, 12)]["nav_date"] == date(2003, 11, 11)
    assert rows[date(2003, 11, 12)]["accrual"] == Decimal("1369.86")  # 200M x 0.25% / 365
    assert rows[date(2003, 11, 13)]["accrual"] == Decimal("684.93")


def test_duplicate_nav_rows_are_an_error(duck: Engine) -> None:
    nav = aim_nav()
    dup = nav.filter(
        pc.and_(
            pc.equal(nav["fund"], LEISURE), pc.equal(nav["date"], pa.scalar(date(2003, 11, 5), pa.date32()))
        )
    )
    with pytest.raises(InputError, match=r"duplicate NAV rows: INVESCO Leisure Fund \(Investor\) 2003-11-05"):
        payables(aim_coverage(), pa.concat_tables([nav, dup]), *NOV, engine=duck)


def test_funds_never_covered_are_reported_once_and_not_used(duck: Engine) -> None:
    nav = aim_nav()
    part = nav.filter(pc.equal(nav["fund"], LEISURE))
    extra = part.set_column(0, "fund", pa.array(["Stranger Fund"] * part.num_rows, pa.string()))
    extra2 = extra.set_column(1, "share_class", pa.array(["A"] * part.num_rows, pa.string()))
    result = payables(aim_coverage(), pa.concat_tables([nav, extra, extra2]), *NOV, engine=duck)
    strangers = [w.message for w in result.warnings if "Stranger Fund" in w.message]
    assert strangers == [
        "<arrow table>: NAV for 'Stranger Fund' (A, Investor) ignored: the plan never covered it"
    ]
    assert "Stranger Fund" not in result.table["fund"].to_pylist()


def test_names_match_case_and_punctuation_folded(duck: Engine) -> None:
    nav = aim_nav()
    shouted = pc.utf8_upper(nav["fund"])
    result = payables(aim_coverage(), nav.set_column(0, "fund", shouted), *NOV, engine=duck)
    assert leisure(result.table)["fee"] == Decimal("19178.04")
    assert leisure(result.table)["fund"] == LEISURE  # the plan's spelling


def test_aggregate_only_rate_accrues_as_distribution_with_a_warning(duck: Engine) -> None:
    cov = [
        Coverage(
            "Plan",
            "Trust",
            LEISURE,
            "Investor",
            date(2003, 11, 3),
            None,
            None,
            None,
            Decimal("0.25"),
            "Sched",
        )
    ]
    result = payables(cov, aim_nav(), *NOV, engine=duck)
    row = leisure(result.table)
    assert (row["fee_distribution"], row["fee_service"]) == (Decimal("19178.04"), Decimal("0.00"))
    assert any("only the aggregate rate" in w.message for w in result.warnings)


def test_no_rate_at_all_is_an_error(duck: Engine) -> None:
    cov = [Coverage("Plan", "Trust", LEISURE, "Investor", date(2003, 11, 3), None, None, None, None, "Sched")]
    with pytest.raises(InputError, match="no rate is known"):
        payables(cov, aim_nav(), *NOV, engine=duck)


def test_rate_change_mid_month_prorates(duck: Engine) -> None:
    cov = [
        Coverage(
            "Plan",
            "T",
            LEISURE,
            "Investor",
            date(2003, 11, 1),
            date(2003, 11, 16),
            Decimal("0.75"),
            Decimal("0.25"),
            None,
            "A1",
        ),
        Coverage(
            "Plan",
            "T",
            LEISURE,
            "Investor",
            date(2003, 11, 16),
            None,
            Decimal("0.50"),
            Decimal("0.25"),
            None,
            "A2",
        ),
    ]
    row = leisure(payables(cov, aim_nav(date(2003, 10, 20)), *NOV, engine=duck).table)
    # 15 days at 0.75% (2054.79/day) and 15 at 0.50% (1369.86/day); service 684.93 x 30.
    assert row["fee_distribution"] == Decimal("2054.79") * 15 + Decimal("1369.86") * 15
    assert row["fee_service"] == Decimal("684.93") * 30
    assert row["instruments"] == "A1; A2"


def test_nav_files_csv_and_parquet_agree(duck: Engine, tmp_path: Path) -> None:
    nav = aim_nav()
    pacsv.write_csv(nav, tmp_path / "nav.csv")
    pq.write_table(nav, tmp_path / "nav.parquet")
    floats = nav.set_column(3, "net_assets", pc.cast(nav["net_assets"], pa.float64()))
    pq.write_table(floats, tmp_path / "float.parquet")
    a = payables(aim_coverage(), tmp_path / "nav.csv", *NOV, engine=duck)
    b = payables(aim_coverage(), tmp_path / "nav.parquet", *NOV, engine=duck)
    c = payables(aim_coverage(), tmp_path / "float.parquet", *NOV, engine=duck)
    assert a.table.equals(b.table) and b.table.equals(c.table)
    assert any("floating point" in w.message for w in c.warnings)


def test_bad_nav_files_name_the_problem(duck: Engine, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("fund,share_class,date,net_assets\nX,A,2003-11-03,12x\n")
    with pytest.raises(InputError, match=r"a\.csv:2: net_assets '12x' is not an amount"):
        payables(aim_coverage(), tmp_path / "a.csv", *NOV, engine=duck)
    (tmp_path / "b.csv").write_text("fund,share_class,when,net_assets\n")
    with pytest.raises(InputError, match=r"b\.csv: missing column\(s\) date"):
        payables(aim_coverage(), tmp_path / "b.csv", *NOV, engine=duck)
    (tmp_path / "c.csv").write_text(
        f"fund,share_class,date,net_assets\n{LEISURE},Investor,2003-11-03,-5.00\n"
    )
    with pytest.raises(InputError, match="negative net_assets"):
        payables(aim_coverage(), tmp_path / "c.csv", *NOV, engine=duck)


def test_mapping_file_keys_nav_by_ticker(duck: Engine, tmp_path: Path) -> None:
    nav = aim_nav()
    tickers = pc.if_else(pc.equal(nav["fund"], LEISURE), "FLISX", nav["fund"])
    nav = nav.set_column(0, "fund", tickers)
    (tmp_path / "map.csv").write_text(f"key,fund,share_class\nflisx,{LEISURE},Investor\n")
    result = payables(
        aim_coverage(), nav, *NOV, engine=duck, options=FeeOptions(mapping=tmp_path / "map.csv")
    )
    assert leisure(result.table)["fee"] == Decimal("19178.04")


def test_accrue_writes_files_with_the_engine_and_nothing_on_error(duck: Engine, tmp_path: Path) -> None:
    for name in ("daily.csv", "daily.parquet"):
        result = accrue(aim_coverage(), aim_nav(), *NOV, tmp_path / name, engine=duck)
        assert result.rows_written == 476
    written = pq.read_table(tmp_path / "daily.parquet")
    assert written.num_rows == 476 and written.column_names[:3] == ["date", "plan", "registrant"]
    assert pacsv.read_csv(tmp_path / "daily.csv").num_rows == 476
    broken = without(aim_nav(), LEISURE, date(2003, 11, 12))
    with pytest.raises(InputError):
        accrue(aim_coverage(), broken, *NOV, tmp_path / "none.parquet", engine=duck)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["daily.csv", "daily.parquet"]


def test_arithmetic_modes_agree(duck: Engine) -> None:
    big = aim_nav(amount="987654321098.77")  # products beyond 2**53: the two-division mode
    exact = payables(aim_coverage(), big, *NOV, engine=duck, options=FeeOptions(force_exact=True)).table
    fast = payables(aim_coverage(), big, *NOV, engine=duck).table
    assert fast.equals(exact)
    assert leisure(fast)["fee"] == Decimal("6764755.62") * 28  # 987,654,321,098.77 x 0.25% / 365


def test_reimbursement_caps_and_carries_forward(duck: Engine) -> None:
    start, end = date(2003, 11, 1), date(2004, 1, 1)
    table = payables(aim_coverage(), aim_nav(), start, end, engine=duck).table
    spent = [
        Expense("2003-11", LEISURE, "Investor", "advertising", Decimal("15000.00")),
        Expense("2003-11", LEISURE, "Investor", "broker_dealers", Decimal("10000.00")),
        Expense("2003-12", LEISURE, "Investor", "other", Decimal("1000.00")),
    ]
    rows, warnings = reimburse(table, spent, {})
    nov, dec = (r for r in rows.to_pylist() if r["fund"] == LEISURE)
    assert nov["fee"] == Decimal("19178.04") and nov["expenses"] == Decimal("25000.00")
    assert (nov["paid"], nov["carry_out"]) == (Decimal("19178.04"), Decimal("5821.96"))
    assert dec["carry_in"] == Decimal("5821.96")
    assert (dec["paid"], dec["carry_out"]) == (Decimal("6821.96"), Decimal("0.00"))
    assert nov["expense_advertising"] == Decimal("15000.00")
    rows, _ = reimburse(table, spent, {}, carry_forward=False)
    nov = next(r for r in rows.to_pylist() if r["fund"] == LEISURE)
    assert (nov["carry_out"], nov["forfeited"]) == (Decimal("0.00"), Decimal("5821.96"))
    assert warnings == []


def test_true_up_between_two_views_of_the_plan(duck: Engine) -> None:
    before = [
        Coverage(
            "Plan",
            "T",
            LEISURE,
            "Investor",
            date(2003, 11, 3),
            None,
            Decimal("0"),
            Decimal("0.25"),
            None,
            "A2",
        )
    ]
    after = [
        Coverage(
            "Plan",
            "T",
            LEISURE,
            "Investor",
            date(2003, 11, 3),
            date(2003, 11, 17),
            Decimal("0"),
            Decimal("0.25"),
            None,
            "A2",
        ),
        Coverage(
            "Plan",
            "T",
            LEISURE,
            "Investor",
            date(2003, 11, 17),
            None,
            Decimal("0"),
            Decimal("0.20"),
            None,
            "A3",
        ),
    ]
    result = true_up(before, after, aim_nav(), *NOV, engine=duck)
    (row,) = result.table.to_pylist()
    assert row["fee_a"] == Decimal("19178.04")
    assert row["fee_b"] == Decimal("684.93") * 14 + Decimal("547.95") * 14
    assert row["adjustment"] == row["fee_b"] - row["fee_a"]


def test_nyse_closed_table_equals_exchange_calendars() -> None:
    """The precomputed closures give exactly exchange_calendars' XNYS sessions."""
    from distplan.fees import nyse_closed
    from distplan.periods import Period, nyse_sessions

    assert nyse_closed.sessions(nyse_closed.FIRST, nyse_closed.END) == nyse_sessions(
        Period(nyse_closed.FIRST, nyse_closed.END)
    )
    assert date(2001, 9, 11) in nyse_closed.CLOSED and date(2012, 10, 29) in nyse_closed.CLOSED


@pytest.mark.parametrize("source", ["arrow", "parquet"])
def test_rows_on_closed_days_are_counted_and_ignored(duck: Engine, tmp_path: Path, source: str) -> None:
    """In memory (a grouping over every row) and from Parquet whose statistics clear the
    values (only the distinct names and a semi-join with the closed days are scanned)."""
    nav = aim_nav()
    part = nav.filter(pc.equal(nav["fund"], LEISURE)).slice(0, 1)
    # Saturday 11-08 and Thanksgiving 11-27, with a large value that would show if used.
    closed = [
        part.set_column(2, "date", pa.array([day], pa.date32())).set_column(
            3, "net_assets", pa.array([Decimal("9e11")], pa.decimal128(38, 2))
        )
        for day in (date(2003, 11, 8), date(2003, 11, 27))
    ]
    base = payables(aim_coverage(), nav, *NOV, engine=duck)
    given: pa.Table | Path = pa.concat_tables([nav, *closed])
    if source == "parquet":
        pq.write_table(given, tmp_path / "nav.parquet")
        given = tmp_path / "nav.parquet"
    result = payables(aim_coverage(), given, *NOV, engine=duck)
    where = "<arrow table>" if source == "arrow" else str(given)
    assert [w.message for w in result.warnings if "closed" in w.message] == [
        f"{where}: 2 NAV row(s) dated on days the NYSE was closed ignored"
    ]
    assert result.table.equals(base.table)


def test_rows_without_a_fund_are_an_error(duck: Engine) -> None:
    nav = aim_nav()
    blank = nav.slice(0, 3).set_column(0, "fund", pa.nulls(3, pa.string()))
    with pytest.raises(InputError, match=r"<arrow table>: 3 row\(s\) have no fund"):
        payables(aim_coverage(), pa.concat_tables([nav, blank]), *NOV, engine=duck)


def test_a_nav_file_url_is_the_file_and_other_urls_are_spark_s(duck: Engine, tmp_path: Path) -> None:
    """file:// names a local file (the same result as its path); hdfs://, s3a:// ... are read
    by Spark's executors only: DuckDB refuses them in one line, before opening anything."""
    pq.write_table(aim_nav(), tmp_path / "nav 1.parquet")
    by_path = payables(aim_coverage(), tmp_path / "nav 1.parquet", *NOV, engine=duck)
    by_url = payables(aim_coverage(), (tmp_path / "nav 1.parquet").as_uri(), *NOV, engine=duck)
    assert by_url.table.equals(by_path.table) and "%20" in (tmp_path / "nav 1.parquet").as_uri()
    with pytest.raises(
        InputError, match=r"^s3a://b/nav\.parquet: a s3a:// NAV file is read only with --engine spark"
    ):
        payables(aim_coverage(), "s3a://b/nav.parquet", *NOV, engine=duck)
    with pytest.raises(InputError, match=r"^hdfs://nn/nav\.csv: a NAV file given as a URL must be \.parquet"):
        payables(aim_coverage(), "hdfs://nn/nav.csv", *NOV, engine=duck)
    with pytest.raises(InputError, match=r"file://host/x\.parquet: a file:// URL must name a local file"):
        payables(aim_coverage(), "file://host/x.parquet", *NOV, engine=duck)
    with pytest.raises(InputError, match=r"^file:///nowhere/x\.parquet: no such file$"):
        payables(aim_coverage(), "file:///nowhere/x.parquet", *NOV, engine=duck)
