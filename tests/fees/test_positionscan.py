"""Parquet positions scanned by the engine give the same trails as the in-memory reader, and
bad files are refused in one line naming the file and the offending row by its key."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from trails_cases import AGREEMENTS, positions
from trails_cases import coverage as plan_coverage

from distplan.errors import InputError
from distplan.fees import Engine
from distplan.fees.agreements import read_agreements
from distplan.fees.positions import SCHEMA
from distplan.fees.positionscan import scan_positions
from distplan.fees.trails import trails
from distplan.fees.trailterms import parse_period


def _file(tmp_path: Path, rows: list[dict[str, object]], **types: pa.DataType) -> Path:
    table = pa.Table.from_pylist(rows)
    for name, kind in types.items():
        table = table.set_column(table.column_names.index(name), name, table[name].cast(kind))
    path = tmp_path / "p.parquet"
    pq.write_table(table, path)
    return path


def test_scanned_positions_give_the_same_trails(duck: Engine, tmp_path: Path) -> None:
    rows = positions(6)
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    as_file = [
        {**{k: v for k, v in r.items() if k != "cents"}, "net_assets": Decimal(r["cents"]) / 100}
        for r in rows
    ]
    path = _file(tmp_path, as_file, net_assets=pa.decimal128(18, 2))
    dealers = read_agreements(AGREEMENTS, "a.yaml")
    frequency, period = parse_period("2004-Q1")
    want = trails(duck, table, dealers, plan_coverage(), frequency, period).rows
    got = trails(duck, scan_positions(duck, path), dealers, plan_coverage(), frequency, period).rows
    assert got == want and len(want) > 4


ROW = {
    "date": date(2004, 1, 2),
    "dealer": "D1",
    "fund": "Alpha Fund",
    "share_class": "Investor",
    "purchase_month": "2003-02",
    "net_assets": Decimal("10.00"),
}


@pytest.mark.parametrize(
    ("rows", "types", "message"),
    [
        ([{**ROW, "net_assets": Decimal("10.005")}], {}, "sub-cent digits"),
        (
            [ROW, {**ROW, "net_assets": Decimal("-1")}],
            {},
            "'Alpha Fund' (Investor), purchased 2003-02 on 2004-01-02: net_assets is negative",
        ),
        ([ROW, ROW], {}, "purchased 2003-02 on 2004-01-02: 2 rows (one row per dealer"),
        ([{**ROW, "purchase_month": "2003-13"}], {}, "not a date"),
        (
            [{**ROW, "dealer": " "}, {**ROW, "dealer": ""}],
            {},
            "an empty dealer or fund",
        ),
        ([{**ROW, "net_assets": 10.0}], {"net_assets": pa.float64()}, "not floating point"),
    ],
)
def test_bad_parquet_positions_are_named(
    duck: Engine, tmp_path: Path, rows: list, types: dict, message: str
) -> None:
    path = _file(tmp_path, rows, **types)
    with pytest.raises(InputError) as raised:
        scan_positions(duck, path)
    assert str(raised.value).startswith(f"{path}: ") and message in str(raised.value)


def test_a_missing_column_is_named(duck: Engine, tmp_path: Path) -> None:
    path = _file(tmp_path, [{k: v for k, v in ROW.items() if k != "dealer"}])
    with pytest.raises(InputError, match="missing column dealer"):
        scan_positions(duck, path)


def _lot(i: int) -> dict[str, object]:
    return {**ROW, "purchase_month": f"{1990 + i // 12}-{i % 12 + 1:02d}"}


def test_a_repeat_is_found_among_many_lots_and_only_a_repeat(duck: Engine, tmp_path: Path) -> None:
    # 130 lots held the same day span three blocks of 63 months: months 63 apart share a bit
    # (not a repeat); lots of another class or day share the rest of the key (not a repeat).
    lots = [_lot(i) for i in range(130)]
    other = [{**ROW, "share_class": "Advisor"}, {**ROW, "date": date(2004, 1, 5)}]
    scan_positions(duck, _file(tmp_path, [*lots, *other]))
    with pytest.raises(InputError) as raised:
        scan_positions(duck, _file(tmp_path, [*lots, *other, _lot(70), _lot(70)]))
    assert "purchased 1995-11 on 2004-01-02: 3 rows (one row per dealer" in str(raised.value)
