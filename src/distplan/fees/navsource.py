"""Net-asset input: a Parquet or CSV file (or an Arrow table) with columns
`fund, share_class, date, net_assets`, brought into the engine with fixed types.

Parquet is scanned by the engine itself (streamed, with the date filter pushed down), from
exactly the file named (never a glob). A file may be named by a file:// URL; a Parquet file on
the cluster's filesystems by its URL (hdfs://, s3a://, ...), which only Spark reads (its
executors: the driver never opens it, so no statistics; DuckDB refuses it in one line). CSV is read by `navcsv` (spreadsheet forms, exactly, or
refused naming the line) and then held in memory: convert large CSV files to Parquet. A
floating-point `net_assets` column (as pandas writes by default) is rounded to the cent, with a
warning. `columns` (`--columns fund=...,date=...`) names other column names for the fields.

An optional mapping file (`key,fund,share_class`) lets the NAV file key rows by ticker or CUSIP:
a NAV row whose `fund` equals a key (case-insensitive) is read as that fund and class.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import TypeAlias
from urllib.parse import unquote, urlsplit

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from ibis.expr.types import Table

from distplan.errors import InputError, read_input_text
from distplan.fees.engine import Engine
from distplan.fees.navcsv import read_nav_csv
from distplan.model import Diagnostic

NavSource: TypeAlias = str | Path | pa.Table
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
    # Whole-input facts read without a scan (Parquet statistics, or Arrow compute on an
    # in-memory table): None when unknown. The name pass only looks closer when they fail.
    stats: Stats | None = None


@dataclass(frozen=True)
class Stats:
    min_net_assets: Decimal | None
    max_net_assets: Decimal | None
    null_net_assets: int
    null_dates: int


def _decimal(value: object) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return None


def parquet_stats(path: Path) -> Stats | None:
    """From the row-group statistics; None if any is missing."""
    try:
        meta = pq.ParquetFile(path).metadata
    except Exception:  # unreadable here: let the engine report it
        return None
    names = [meta.schema.column(i).name for i in range(meta.num_columns)]
    if "net_assets" not in names or "date" not in names:
        return None
    na_i, date_i = names.index("net_assets"), names.index("date")
    lo: Decimal | None = None
    hi: Decimal | None = None
    null_na = null_dates = 0
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        na, day = group.column(na_i).statistics, group.column(date_i).statistics
        if na is None or day is None or na.null_count is None or day.null_count is None:
            return None
        null_na += na.null_count
        null_dates += day.null_count
        if group.num_rows - na.null_count == 0:
            continue
        if not na.has_min_max:
            return None
        gmin, gmax = _decimal(na.min), _decimal(na.max)
        if gmin is None or gmax is None:
            return None
        lo = gmin if lo is None else min(lo, gmin)
        hi = gmax if hi is None else max(hi, gmax)
    return Stats(lo, hi, null_na, null_dates)


def arrow_stats(table: pa.Table) -> Stats | None:
    if "net_assets" not in table.column_names or "date" not in table.column_names:
        return None
    col = table["net_assets"]
    if not (pa.types.is_decimal(col.type) or pa.types.is_integer(col.type) or pa.types.is_floating(col.type)):
        return None
    bounds = pc.min_max(col)
    return Stats(
        _decimal(bounds["min"].as_py()),
        _decimal(bounds["max"].as_py()),
        col.null_count,
        table["date"].null_count,
    )


_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def remote_url(source: str) -> str | None:
    """`source` if it is a URL other than file:// (hdfs://, s3a://, ...: for Spark to read)."""
    found = _SCHEME.match(source)
    return source if found and found.group(1).lower() != "file" else None


def _reason(exc: Exception) -> str:
    """An engine error's first line; for a Java error through Py4J ("An error occurred while
    calling o264.parquet."), the Java exception's line instead."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()] or [type(exc).__name__]
    if lines[0].startswith("An error occurred while calling"):
        return next((ln.lstrip(": ") for ln in lines if "Exception:" in ln), lines[0])
    return lines[0]


def local_path(source: str | Path) -> Path:
    """A path, or a file:// URL (file:///abs/path, or file://localhost/abs/path) as a path."""
    if isinstance(source, str) and source[:7].lower() == "file://":
        parts = urlsplit(source)
        if parts.netloc not in ("", "localhost") or parts.query or parts.fragment:
            raise InputError(f"{source}: a file:// URL must name a local file (file:///absolute/path)")
        return Path(unquote(parts.path))
    return Path(source)


def describe(source: NavSource) -> str:
    return "<arrow table>" if isinstance(source, pa.Table) else str(source)


def open_nav(engine: Engine, source: NavSource, columns: Mapping[str, str] | None = None) -> Nav:
    """The NAV input as an engine table; `columns` names the file's columns for the fields
    (`--columns fund=...,date=...`)."""
    where = describe(source)
    stats: Stats | None = None
    if isinstance(source, pa.Table):
        raw = ibis.memtable(_renamed(source, columns, where))
        stats = arrow_stats(source)
    elif isinstance(source, str) and (url := remote_url(source)) is not None:
        if not url.lower().endswith(".parquet"):
            raise InputError(
                f"{url}: a NAV file given as a URL must be .parquet (give a CSV file as a local path)"
            )
        try:
            raw = engine.read_parquet_url(url)
        except InputError:
            raise
        except Exception as exc:  # the engine's own error: a missing file, an unknown scheme
            raise InputError(f"{url}: not a readable Parquet file: {_reason(exc)}") from None
        if columns:
            raw = raw.rename({field: name for field, name in _checked(columns, raw.columns, where).items()})
    else:
        path = local_path(source)
        if not path.is_file():
            raise InputError(f"{where}: no such file")
        suffix = path.suffix.lower()
        if suffix == ".parquet":
            try:
                raw = engine.read_parquet(path)
            except Exception as exc:  # the engines raise their own error types
                raise InputError(f"{path}: not a readable Parquet file: {str(exc).splitlines()[0]}") from None
            if columns:
                raw = raw.rename(
                    {field: name for field, name in _checked(columns, raw.columns, where).items()}
                )
            stats = parquet_stats(path) if not columns else None
        elif suffix == ".csv":
            data = read_nav_csv(path, columns)
            raw = ibis.memtable(data)
            stats = arrow_stats(data)
        else:
            raise InputError(f"{path}: net assets must be a .csv or .parquet file")
    _check_values(engine, raw, where)
    return replace(standardize(raw, where), stats=stats)


def _check_values(engine: Engine, raw: Table, where: str) -> None:
    """Values the fixed types cannot hold exactly, found before any cast fails mid-query:
    date text that is not an ISO date, and float net assets that are NaN, infinite or beyond
    what the arithmetic holds. (Only for such column types: a scan of that column.)"""
    # Aggregates, not filters: DuckDB prunes Parquet row groups by their min/max statistics,
    # which leave NaN out, so a filter for NaN finds nothing.
    schema = raw.schema()
    if "date" in schema and schema["date"].is_string():
        d = raw["date"]
        wrong = d.notnull() & d.try_cast("date").isnull()
        found = engine.to_arrow(raw.aggregate(n=wrong.cast("int64").sum(), first=d.min(where=wrong)))
        (row,) = found.to_pylist()
        if row["n"]:
            more = f" (and {row['n'] - 1} more row(s))" if row["n"] > 1 else ""
            raise InputError(f"{where}: date {row['first']!r} is not a date (YYYY-MM-DD){more}")
    if "net_assets" in schema and schema["net_assets"].is_floating():
        x = raw["net_assets"]
        counts = raw.aggregate(
            nan=x.isnan().cast("int64").sum(),
            inf=x.isinf().cast("int64").sum(),
            big=(x.abs() >= 1e13).cast("int64").sum(),
        )
        (row,) = engine.to_arrow(counts).to_pylist()
        for kind, what in (("nan", "NaN"), ("inf", "infinite"), ("big", "beyond $10 trillion")):
            if row[kind]:
                raise InputError(f"{where}: net_assets is not an amount in {row[kind]} row(s): {what}")


def _checked(columns: Mapping[str, str], have: Sequence[str], where: str) -> dict[str, str]:
    for name in columns.values():
        if name not in have:
            raise InputError(
                f"{where}: --columns names {name!r}, which is not a column (it has {', '.join(have)})"
            )
    return dict(columns)


def _renamed(table: pa.Table, columns: Mapping[str, str] | None, where: str) -> pa.Table:
    if not columns:
        return table
    back = {name: field for field, name in _checked(columns, table.column_names, where).items()}
    return table.rename_columns([back.get(c, c) for c in table.column_names])


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
        with io.StringIO(read_input_text(path), newline="") as handle:
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
