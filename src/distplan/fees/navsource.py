"""Net-asset input: a Parquet or CSV file (or an Arrow table) with columns
`fund, share_class, date, net_assets`, brought into the engine with fixed types.

Parquet is scanned by the engine itself (streamed, with the date filter pushed down). CSV is
parsed by pyarrow with `net_assets` read straight into a decimal, never through a float, and
then held in memory: convert large CSV files to Parquet. A floating-point `net_assets` column
(as pandas writes by default) is rounded to the cent, with a warning.

An optional mapping file (`key,fund,share_class`) lets the NAV file key rows by ticker or CUSIP:
a NAV row whose `fund` equals a key (case-insensitive) is read as that fund and class.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa
import pyarrow.csv as pacsv
from ibis.expr.types import Table

from distplan.errors import InputError
from distplan.fees.engine import Engine
from distplan.model import Diagnostic

NavSource = str | Path | pa.Table
MONEY = dt.Decimal(38, 10)
REQUIRED = ("fund", "date", "net_assets")


@dataclass(frozen=True)
class Nav:
    """The NAV input as an engine table with columns fund, share_class, date, net_assets
    (DECIMAL(38, 10)) and cents (int64: net assets in whole cents, meaningful when `in_cents`,
    or after the name pass found no sub-cent digits)."""

    table: Table
    where: str
    warnings: tuple[Diagnostic, ...]
    in_cents: bool  # the column's type guarantees whole cents


def describe(source: NavSource) -> str:
    return "<arrow table>" if isinstance(source, pa.Table) else str(source)


def _read_csv(path: Path) -> pa.Table:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
    header = [h.strip() for h in header]
    types: dict[str, pa.DataType] = {"fund": pa.string(), "share_class": pa.string()}
    if "net_assets" in header:
        types["net_assets"] = pa.decimal128(38, 10)
    if "date" in header:
        types["date"] = pa.date32()
    try:
        return pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        # pyarrow names the column and row; keep its first line.
        raise InputError(f"{path}: {str(exc).splitlines()[0]}") from None


def open_nav(engine: Engine, source: NavSource) -> Nav:
    where = describe(source)
    if isinstance(source, pa.Table):
        raw = ibis.memtable(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            try:
                raw = engine.read_parquet(path)
            except Exception as exc:  # the engines raise their own error types
                raise InputError(f"{path}: not a readable Parquet file: {str(exc).splitlines()[0]}") from None
        elif suffix == ".csv":
            raw = ibis.memtable(_read_csv(path))
        else:
            raise InputError(f"{path}: net assets must be a .csv or .parquet file")
    return standardize(raw, where)


def standardize(raw: Table, where: str) -> Nav:
    schema = raw.schema()
    missing = [c for c in REQUIRED if c not in schema]
    if missing:
        raise InputError(
            f"{where}: missing column(s) {', '.join(missing)} (need fund, share_class, date, net_assets)"
        )
    warnings: list[Diagnostic] = []
    na_type = schema["net_assets"]
    col = raw.net_assets
    in_cents = True
    if na_type.is_floating():
        warnings.append(
            Diagnostic("warning", f"{where}: net_assets is floating point; values are rounded to the cent")
        )
        cents = (col.cast(dt.Decimal(38, 2)) * 100).cast("int64")
        net_assets = col.cast(dt.Decimal(38, 2)).cast(MONEY)
    elif na_type.is_integer():
        cents = col.cast("int64") * 100
        net_assets = col.cast(MONEY)
    elif na_type.is_decimal():
        scale = na_type.scale if na_type.scale is not None else 10
        if scale > 10:
            raise InputError(f"{where}: net_assets has {scale} decimal places; at most 10 are supported")
        in_cents = scale <= 2
        # Whole cents scaled by 100 are integers: the cast to int64 is exact when no sub-cent
        # digits exist (the name pass checks that when the type does not guarantee it).
        cents = (col * 100).cast("int64")
        net_assets = col.cast(MONEY)
    else:
        raise InputError(f"{where}: column net_assets has type {na_type}; expected a decimal number")
    date_type = schema["date"]
    if date_type.is_date():
        day = raw["date"]
    elif date_type.is_timestamp():
        day = raw["date"].date()
    elif date_type.is_string():
        day = raw["date"].cast("date")
    else:
        raise InputError(f"{where}: column date has type {date_type}; expected a date")
    for col in ("fund", "share_class"):
        if col in schema and not (schema[col].is_string() or schema[col].is_null()):
            raise InputError(f"{where}: column {col} has type {schema[col]}; expected text")
    share_class = raw.share_class.fill_null("") if "share_class" in schema else ibis.literal("")
    table = raw.select(
        fund=raw.fund.cast("string"),
        share_class=share_class.cast("string"),
        date=day,
        net_assets=net_assets,
        cents=cents,
    )
    return Nav(table, where, tuple(warnings), in_cents)


def read_mapping(path: Path) -> dict[str, tuple[str, str]]:
    """`key,fund,share_class` rows -> {folded key: (fund, share_class)}."""
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            fields = [f.strip() for f in reader.fieldnames or []]
            if not {"key", "fund"} <= set(fields):
                raise InputError(f"{path}: mapping needs columns key, fund, share_class")
            out: dict[str, tuple[str, str]] = {}
            for line, row in enumerate(reader, start=2):
                row = {k.strip(): (v or "").strip() for k, v in row.items() if k}
                if not row.get("key") or not row.get("fund"):
                    raise InputError(f"{path}:{line}: key and fund are required")
                key = row["key"].casefold()
                if key in out:
                    raise InputError(f"{path}:{line}: key {row['key']!r} appears twice")
                out[key] = (row["fund"], row.get("share_class", ""))
            return out
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc}") from None
