"""NAV inputs that must not change the money silently (issue 8 item 7): duplicates hiding gaps,
file names that are globs, and amounts in scientific notation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from fees_aim import aim_nav

from distplan.errors import InputError
from distplan.fees import Coverage, Engine, payables

NOV = (date(2003, 11, 1), date(2003, 12, 1))
LEISURE = "INVESCO Leisure Fund"
COVERAGE = [
    Coverage(
        "Plan", "T", LEISURE, "Investor", date(2003, 11, 3), None, Decimal("0"), Decimal("0.25"), None, "S"
    )
]


def leisure_nav() -> pa.Table:
    nav = aim_nav()
    return nav.filter(pc.equal(nav["fund"], LEISURE))


def on(nav: pa.Table, *days: date) -> pa.Table:
    return nav.filter(pc.is_in(nav["date"], pa.array(days, pa.date32())))


def test_duplicates_arranged_to_hide_missing_days_are_an_error(duck: Engine) -> None:
    # Missing 11-03, 11-10, 11-12; 11-04, 11-06, 11-13 twice: the same count, sum and sum of
    # squares of session indices and the same covered days, which the old evidence accepted.
    nav = leisure_nav()
    missing = (date(2003, 11, 3), date(2003, 11, 10), date(2003, 11, 12))
    kept = nav.filter(pc.invert(pc.is_in(nav["date"], pa.array(missing, pa.date32()))))
    twice = on(nav, date(2003, 11, 4), date(2003, 11, 6), date(2003, 11, 13))
    twice = twice.set_column(3, "net_assets", pa.array([Decimal("900000000.00")] * 3, pa.decimal128(38, 2)))
    with pytest.raises(
        InputError,
        match=r"duplicate NAV rows: INVESCO Leisure Fund \(Investor\) 2003-11-04: 2 rows "
        r"\(net assets 100000000\.00, 900000000\.00\)",
    ):
        payables(COVERAGE, pa.concat_tables([kept, twice]), *NOV, engine=duck)


def test_a_nav_path_is_a_file_name_never_a_glob(duck: Engine, tmp_path: Path) -> None:
    pq.write_table(leisure_nav(), tmp_path / "nav[ab].parquet")
    sibling = leisure_nav().set_column(
        3, "net_assets", pa.array([Decimal("1.00")] * leisure_nav().num_rows, pa.decimal128(38, 2))
    )
    pq.write_table(sibling, tmp_path / "nava.parquet")  # what the glob nav[ab].parquet matches
    (row,) = payables(COVERAGE, tmp_path / "nav[ab].parquet", *NOV, engine=duck).table.to_pylist()
    assert row["fee"] == Decimal("684.93") * 28
    (tmp_path / "nav*.parquet").write_bytes((tmp_path / "nava.parquet").read_bytes())
    (row,) = payables(COVERAGE, tmp_path / "nav*.parquet", *NOV, engine=duck).table.to_pylist()
    assert row["fee"] == Decimal("0.00")  # exactly that file (net assets of 1.00)


def test_scientific_notation_in_csv_money_is_refused_with_the_line(duck: Engine, tmp_path: Path) -> None:
    lines = ["fund,share_class,date,net_assets"]
    lines += [f"{LEISURE},Investor,{d},100000000.00" for d in leisure_nav()["date"].to_pylist()]
    lines[5] = f"{LEISURE},Investor,2003-11-07,1.0000000001E8"
    (tmp_path / "nav.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(
        InputError, match=r"nav\.csv:6: net_assets '1\.0000000001E8' is in scientific notation"
    ):
        payables(COVERAGE, tmp_path / "nav.csv", *NOV, engine=duck)


def test_environment_values_never_reach_sql_as_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    hostile = tmp_path / "it's; SET threads = 1; --"
    hostile.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(hostile))
    engine = Engine.duckdb(threads=2)
    try:
        settings = engine.con.raw_sql("SELECT current_setting('temp_directory'), current_setting('threads')")
        assert settings.fetchall() == [(str(hostile / "distplan-duckdb"), 2)]
    finally:
        engine.close()
    monkeypatch.setenv("DISTPLAN_DUCKDB_MEMORY", "1GB'; SET threads = 1; --")
    with pytest.raises(InputError, match="expected a size such as 2GB"):
        Engine.duckdb()
