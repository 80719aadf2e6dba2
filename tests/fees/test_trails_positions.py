"""Positions files: read exactly (integer cents), or refused in one line naming the place."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from distplan.errors import InputError
from distplan.fees.positions import read_positions

HEADER = "date,dealer,fund,share_class,purchase_month,net_assets\n"


def test_csv_and_parquet_give_the_same_exact_cents(tmp_path: Path) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text(
        HEADER
        + '2004-01-02,D1,Alpha Fund,Investor,2003-02,"$1,234,567.89"\n1/5/2004,D1,Alpha Fund,Investor,2003-02-17,0.01\n'
    )
    got = read_positions(csv)
    assert got["cents"].to_pylist() == [123456789, 1]
    assert got["purchase_month"].to_pylist() == [date(2003, 2, 1)] * 2
    assert got["date"].to_pylist() == [date(2004, 1, 2), date(2004, 1, 5)]
    pq.write_table(
        pa.table(
            {
                "date": ["2004-01-02", "2004-01-05"],
                "dealer": ["D1", "D1"],
                "fund": ["Alpha Fund"] * 2,
                "share_class": ["Investor"] * 2,
                "purchase_month": ["2003-02", "2003-02"],
                "net_assets": pa.array([123456789, 1], pa.int64())
                .cast(pa.decimal128(20, 0))
                .cast(pa.decimal128(22, 2)),
            }
        ),
        tmp_path / "p.parquet",
    )
    # Parquet amounts are decimals already in dollars; the scaled cast above is exact
    assert read_positions(tmp_path / "p.parquet")["cents"].to_pylist() == [12345678900, 100]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "2004-01-02,D1,Alpha Fund,Investor,2003-02,10.005",
            "p.csv:2: net_assets '10.005' has sub-cent digits",
        ),
        ("2004-01-02,D1,Alpha Fund,Investor,2003-13,10", "p.csv:2: purchase_month '2003-13' is not a month"),
        ("2004-01-02,D1,Alpha Fund,Investor,2003-02,1.2E+08", "scientific notation"),
        ("2004-01-02,D1,Alpha Fund,Investor,2003-02,-5", "p.csv:2: net_assets '-5'"),
        ("2004-01-02,,Alpha Fund,Investor,2003-02,5", "p.csv:2: dealer is empty"),
    ],
)
def test_bad_cells_are_named_by_line(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "p.csv"
    path.write_text(HEADER + line + "\n")
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace("+", r"\+").replace(".", r"\.")):
        read_positions(path)


def test_a_repeated_row_names_both_lines(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    row = "2004-01-02,D1,Alpha Fund,Investor,2003-02,5\n"
    path.write_text(HEADER + row + row)
    with pytest.raises(InputError, match=r"p\.csv:3: a second row .* \(the first is line 2\)"):
        read_positions(path)


def test_the_vectorised_csv_reader_equals_the_row_reader(tmp_path: Path) -> None:
    from distplan.fees import positions as P

    lines = [
        f"2004-01-{d:02d},D{d % 3},Fund {d % 4},Investor,2003-0{1 + d % 9},{d * 1234}.{d % 100:02d}"
        for d in range(2, 29)
    ]
    text = HEADER + "\n".join(lines) + "\n"
    header = HEADER.strip().split(",")
    fast = P._plain(text, ",", len(header), P.column_index(tmp_path, header))
    assert fast is not None and fast.num_rows == len(lines)
    path = tmp_path / "p.csv"
    path.write_text(
        text + "2004-01-30,D1,Fund 1,Investor,2003-01,12.5x\n"
    )  # not plain: the row reader names it
    with pytest.raises(InputError, match=r"p\.csv:29: net_assets '12\.5x' is not an amount"):
        read_positions(path)
    path.write_text(text.replace("2004-01-02,", "1/2/2004,"))  # the row reader takes US dates
    slow = read_positions(path)
    assert slow.sort_by("date").equals(fast.sort_by("date"))
