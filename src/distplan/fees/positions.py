"""Dealer positions: `date, dealer, fund, share_class, purchase_month, net_assets`, from CSV or
Parquet, read exactly into an Arrow table with net assets in integer cents.

One row per dealer, fund, class, purchase month and NYSE session. CSV cells are parsed as text
the way NAV CSV is (`navcsv.parse_money` / `parse_day`: `$`, thousands separators, US dates;
scientific notation refused); `purchase_month` is `YYYY-MM` or any date in the month. Net
assets must be whole cents (a trail is a share of assets held, which are reported to the cent):
sub-cent digits, negative amounts and a repeated (date, dealer, fund, class, purchase month) are
refused naming the file and line (Parquet: the row number, from 1).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from distplan.errors import InputError, read_input_text
from distplan.fees.navcsv import parse_day, parse_money

FIELDS = ("date", "dealer", "fund", "share_class", "purchase_month", "net_assets")
SCHEMA = pa.schema(
    [
        ("date", pa.date32()),
        ("dealer", pa.string()),
        ("fund", pa.string()),
        ("share_class", pa.string()),
        ("purchase_month", pa.date32()),  # the first of the month
        ("cents", pa.int64()),
    ]
)
MAX_CENTS = 10**15  # $10 trillion: keeps every product in the engine's exact integer range
_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(text: str) -> date:
    value = text.strip()
    m = _MONTH.fullmatch(value)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), 1)
        except ValueError:
            raise ValueError("is not a month") from None
    return parse_day(value).replace(day=1)


def cents_of(amount: Decimal, what: str = "positions") -> int:
    """Whole cents of a non-negative amount below $10 trillion; ValueError saying why not."""
    if amount < 0:
        raise ValueError("is negative")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"has sub-cent digits ({what} are in dollars and cents)")
    cents = int(amount * 100)
    if cents >= MAX_CENTS:
        raise ValueError("is above $10 trillion")
    return cents


def read_positions(path: Path) -> pa.Table:
    """The positions in `path` (CSV, or Parquet by its suffix), checked; InputError otherwise."""
    if path.suffix.lower() in (".parquet", ".pq"):
        return _parquet(path)
    return _csv(path)


def column_index(path: Path, header: list[str], fields: tuple[str, ...] = FIELDS) -> dict[str, int]:
    """{field: its column} by name, case and `_`/space folded; InputError naming a missing one."""
    folded = [" ".join(h.replace("_", " ").casefold().split()) for h in header]
    at = {}
    for f in fields:
        name = f.replace("_", " ")
        if name not in folded:
            raise InputError(f"{path}: missing column {f} (the file has {', '.join(map(repr, header))})")
        at[f] = folded.index(name)
    return at


_PLAIN_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_PLAIN_MONTH = r"^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$"
_PLAIN_CENTS = r"^[0-9]{1,13}(\.[0-9]{1,2})?$"  # below $10 trillion, whole cents


def _plain(text: str, delimiter: str, width: int, at: dict[str, int]) -> pa.Table | None:
    """The common case at Arrow's speed, checked vectorised: ISO dates, `YYYY-MM` months,
    plain amounts in whole cents, every dealer and fund present, no repeated key. None when
    anything else appears: the row reader then parses it or names the line."""
    try:
        raw = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=[f"c{i}" for i in range(width)], skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(
                column_types={f"c{i}": pa.string() for i in range(width)}, strings_can_be_null=False
            ),
        )
        if raw.num_rows == 0:
            return None
        cell = {f: pc.utf8_trim_whitespace(raw[f"c{i}"]) for f, i in at.items()}
        plain = (
            pc.all(pc.match_substring_regex(cell["date"], _PLAIN_DAY)).as_py()
            and pc.all(pc.match_substring_regex(cell["purchase_month"], _PLAIN_MONTH)).as_py()
            and pc.all(pc.match_substring_regex(cell["net_assets"], _PLAIN_CENTS)).as_py()
            and not pc.any(pc.equal(cell["dealer"], "")).as_py()
            and not pc.any(pc.equal(cell["fund"], "")).as_py()
        )
        if not plain:
            return None
        month = pc.binary_join_element_wise(pc.utf8_slice_codeunits(cell["purchase_month"], 0, 7), "01", "-")
        dollars = pc.cast(cell["net_assets"], pa.decimal128(16, 2))
        table = pa.table(
            {
                "date": pc.cast(cell["date"], pa.date32()),
                "dealer": cell["dealer"],
                "fund": cell["fund"],
                "share_class": cell["share_class"],
                "purchase_month": pc.cast(month, pa.date32()),
                "cents": pc.cast(pc.multiply(dollars, pa.scalar(100, pa.decimal128(3, 0))), pa.int64()),
            },
            schema=SCHEMA,
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # an impossible date, ragged rows, ...: the row reader names the line
    counts = table.group_by(["date", "dealer", "fund", "share_class", "purchase_month"]).aggregate(
        [("cents", "count")]
    )
    return table if counts.num_rows == table.num_rows else None


def _csv(path: Path) -> pa.Table:
    text = read_input_text(path, "positions")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader, [])]
    at = column_index(path, header)
    fast = _plain(text, delimiter, len(header), at)
    if fast is not None:
        return fast
    cols: dict[str, list[object]] = {f: [] for f in SCHEMA.names}
    seen: dict[tuple[object, ...], int] = {}
    days: dict[str, date] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        cells = {f: (row[i].strip() if i < len(row) else "") for f, i in at.items()}
        for f in ("date", "dealer", "fund", "purchase_month", "net_assets"):
            if not cells[f]:
                raise InputError(f"{path}:{line}: {f} is empty")
        try:
            day = days.get(cells["date"]) or days.setdefault(cells["date"], parse_day(cells["date"]))
        except ValueError as exc:
            raise InputError(f"{path}:{line}: date {cells['date']!r} {exc}") from None
        try:
            month = parse_month(cells["purchase_month"])
        except ValueError as exc:
            raise InputError(f"{path}:{line}: purchase_month {cells['purchase_month']!r} {exc}") from None
        try:
            cents = cents_of(parse_money(cells["net_assets"], delimiter == ";"))
        except ValueError as exc:
            raise InputError(f"{path}:{line}: net_assets {cells['net_assets']!r} {exc}") from None
        key = (day, cells["dealer"], cells["fund"], cells["share_class"], month)
        if key in seen:
            raise InputError(
                f"{path}:{line}: a second row for dealer {key[1]!r}, {key[2]!r} ({key[3] or 'no class'}), "
                f"purchased {month:%Y-%m}, on {day} (the first is line {seen[key]})"
            )
        seen[key] = line
        for f, v in zip(SCHEMA.names, (*key, cents), strict=True):
            cols[f].append(v)
    return pa.table(cols, schema=SCHEMA)


def read_parquet_table(path: Path) -> pa.Table:
    """The whole Parquet file as Arrow; InputError naming it when it cannot be read."""
    try:
        return pq.read_table(path)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (pa.ArrowException, OSError) as exc:
        raise InputError(f"{path}: not a readable Parquet file ({str(exc).splitlines()[0]})") from None


def _parquet(path: Path) -> pa.Table:
    raw = read_parquet_table(path)
    at = column_index(path, raw.column_names)
    cols: dict[str, list[object]] = {f: [] for f in SCHEMA.names}
    seen: dict[tuple[object, ...], int] = {}
    names = raw.column_names
    for n, row in enumerate(raw.to_pylist(), start=1):
        cells = {f: row[names[i]] for f, i in at.items()}
        try:
            day = cells["date"] if isinstance(cells["date"], date) else parse_day(str(cells["date"]))
            month = parse_month(
                cells["purchase_month"].isoformat()
                if isinstance(cells["purchase_month"], date)
                else str(cells["purchase_month"])
            )
            amount = cells["net_assets"]
            if isinstance(amount, float) or amount is None:
                raise ValueError("net_assets must be a decimal or integer-cents column, not floating point")
            cents = cents_of(Decimal(amount))
        except (ValueError, AttributeError) as exc:
            raise InputError(f"{path}: row {n}: {exc}") from None
        key = (
            day,
            str(cells["dealer"] or ""),
            str(cells["fund"] or ""),
            str(cells["share_class"] or ""),
            month,
        )
        if not key[1] or not key[2]:
            raise InputError(f"{path}: row {n}: dealer and fund must not be empty")
        if key in seen:
            raise InputError(
                f"{path}: row {n}: the same dealer, fund, class, purchase month and date as row {seen[key]}"
            )
        seen[key] = n
        for f, v in zip(SCHEMA.names, (*key, cents), strict=True):
            cols[f].append(v)
    return pa.table(cols, schema=SCHEMA)
