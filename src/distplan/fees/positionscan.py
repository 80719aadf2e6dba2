"""Positions from a Parquet file scanned by the engine (DuckDB or Spark), never held in
memory: for files too large to read into Arrow (the issue's scale is billions of rows).

The checks `positions.read_positions` makes row by row are made here as aggregates in the
engine: one pass for empty keys, unreadable dates, negative amounts, sub-cent digits and
amounts of $10 trillion or more, and one grouping for a repeated (date, dealer, fund, class,
purchase month). A failure names the file, the first offending row by its key (Parquet row
numbers mean nothing to the user who wrote it) and how many rows share the problem.
`net_assets` must be a decimal column (dollars) or an integer one (whole dollars); floating
point is refused as in the row reader. `purchase_month` is a date (any day in the month) or text
`YYYY-MM` / `YYYY-MM-DD`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ibis
import ibis.expr.datatypes as dt

from distplan.errors import InputError
from distplan.fees.engine import Engine
from distplan.fees.positions import FIELDS, MAX_CENTS, column_index

KEY = ("date", "dealer", "fund", "share_class", "purchase_month")


def _day(col: Any, kind: dt.DataType) -> Any:
    if kind.is_date():
        return col
    if kind.is_timestamp():
        return col.date()
    if kind.is_string():
        text = col.strip()
        return ibis.ifelse(text.length() == 7, text.concat("-01"), text).try_cast("date")
    return None


def scan_positions(engine: Engine, path: Path) -> ibis.Table:
    """The positions in the Parquet file `path` as an engine table with the columns of
    `positions.SCHEMA` (net assets in integer cents), checked; InputError otherwise."""
    if not path.is_file():
        raise InputError(f"{path}: {'is a directory' if path.is_dir() else 'no such file'}")
    try:
        raw = engine.read_parquet(path)
        schema = raw.schema()
    except Exception as exc:  # the engines raise their own error types
        raise InputError(f"{path}: not a readable Parquet file: {str(exc).splitlines()[0]}") from None
    names = list(schema.names)
    col = {f: raw[names[i]] for f, i in column_index(path, names, FIELDS).items()}
    kinds = {f: schema[c.get_name()] for f, c in col.items()}
    na = kinds["net_assets"]
    if not (na.is_decimal() or na.is_integer()):
        raise InputError(
            f"{path}: net_assets has type {na}: expected a decimal or integer column, not floating point"
        )
    for f in ("dealer", "fund", "share_class"):
        if not (kinds[f].is_string() or kinds[f].is_null()):
            raise InputError(f"{path}: column {f} has type {kinds[f]}; expected text")
    day, month = _day(col["date"], kinds["date"]), _day(col["purchase_month"], kinds["purchase_month"])
    if day is None or month is None:
        bad = "date" if day is None else "purchase_month"
        raise InputError(f"{path}: column {bad} has type {kinds[bad]}; expected a date")
    # The checks read net assets as stated (no cast can overflow before them); the cents are
    # cast after them, in 18 digits (int64 arithmetic) when the scale allows it.
    scale = na.scale if na.is_decimal() and na.scale is not None else 0
    amount = col["net_assets"]
    wide = dt.Decimal(18 if scale <= 3 else 38, scale)
    cents = amount.cast("int64") * 100 if na.is_integer() else amount.cast(wide) * 100
    table = raw.select(
        date=day,
        dealer=col["dealer"].cast("string"),
        fund=col["fund"].cast("string"),
        share_class=col["share_class"].cast("string").fill_null(""),
        purchase_month=month.truncate("M"),
        amount=amount,
        cents=cents,
    )
    # Cheap aggregates over every row; the names are checked on their distinct values.
    problems = {
        "an empty date or purchase month, or one that is not a date": table.date.isnull()
        | table.purchase_month.isnull(),
        "net_assets is empty": table.amount.isnull(),
        "net_assets is negative": table.amount < 0,
        "net_assets is $10 trillion or more": table.amount >= MAX_CENTS // 100,
    }
    if scale > 2:
        problems["net_assets has sub-cent digits (positions are in dollars and cents)"] = (
            table.amount.cast(dt.Decimal(38, scale)) * 100
            != (table.amount.cast(dt.Decimal(38, scale)) * 100).floor()
        )
    names = table.select("dealer", "fund").distinct()
    empty = (
        names.dealer.isnull()
        | (names.dealer.strip() == "")
        | names.fund.isnull()
        | (names.fund.strip() == "")
    )
    (bad_names,) = engine.to_arrow(names.filter(empty).limit(1)).to_pylist() or [None]
    if bad_names is not None:
        first = engine.to_arrow(
            table.filter(
                (table.dealer == bad_names["dealer"])
                | (table.fund == bad_names["fund"])
                | table.dealer.isnull()
                | table.fund.isnull()
            ).limit(1)
        ).to_pylist()
        raise InputError(f"{path}: {_where(first[0] if first else bad_names)}: an empty dealer or fund")
    counts = engine.to_arrow(
        table.aggregate(**{f"p{i}": c.cast("int64").sum() for i, c in enumerate(problems.values())})
    )
    for i, (what, cond) in enumerate(problems.items()):
        n = counts[f"p{i}"][0].as_py() or 0
        if n:
            (first,) = engine.to_arrow(table.filter(cond.fill_null(True)).limit(1)).to_pylist()
            raise InputError(f"{path}: {_where(first)}: {what}{_more(n)}")
    checked = table.drop("amount").mutate(cents=table.cents.cast("int64"))
    dup = checked.group_by(list(KEY)).aggregate(n=checked.count())
    found = engine.to_arrow(dup.filter(dup.n > 1).limit(1)).to_pylist()
    if found:
        raise InputError(
            f"{path}: {_where(found[0])}: {found[0]['n']} rows (one row per dealer, fund, class, purchase month and date)"
        )
    return checked


def _where(row: dict[str, Any]) -> str:
    month = row.get("purchase_month")
    return (
        f"the row for dealer {row.get('dealer')!r}, {row.get('fund')!r} ({row.get('share_class') or 'no class'}), "
        f"purchased {month:%Y-%m} on {row.get('date')}"
        if month is not None
        else f"the row for dealer {row.get('dealer')!r}, {row.get('fund')!r} on {row.get('date')}"
    )


def _more(n: int) -> str:
    return f" (and {n - 1} more row(s))" if n > 1 else ""
