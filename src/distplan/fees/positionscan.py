"""Positions from a Parquet file scanned by the engine (DuckDB or Spark), never held in
memory: for files too large to read into Arrow (the issue's scale is billions of rows).

The checks `positions.read_positions` makes row by row are made here as aggregates in the
engine: one grouping by name (dealer, fund, class) that counts, per name, empty keys,
unreadable dates, negative amounts, sub-cent digits and amounts of $10 trillion or more; and
one grouping per (dealer, fund, class, date) for a repeated purchase month (see
`_check_repeats`: cheaper than grouping on the whole key). A failure names the file, the first offending row by its key (Parquet row
numbers mean nothing to the user who wrote it) and how many rows share the problem.
`net_assets` must be a decimal column (dollars) or an integer one (whole dollars); floating
point is refused as in the row reader. `purchase_month` is a date (any day in the month) or text
`YYYY-MM` / `YYYY-MM-DD`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import pyarrow as pa

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


@dataclass(frozen=True)
class Scanned:
    """A checked positions file as an engine table (`table`, the columns of
    `positions.SCHEMA`) and its distinct (dealer, fund, share_class) names (`names`), which the
    check found and the trails' name folding needs: found once."""

    table: ibis.Table
    names: pa.Table


def scan_positions(engine: Engine, path: Path) -> Scanned:
    """The positions in the Parquet file `path`, checked (InputError otherwise), as an engine
    table with the columns of `positions.SCHEMA` (net assets in integer cents)."""
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
    # One grouping per distinct (dealer, fund, class): the names (checked, and kept for the
    # trails' name folding) and, summed per name, the counts of each row problem.
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
    per_name = engine.to_arrow(
        table.group_by(["dealer", "fund", "share_class"]).aggregate(
            **{f"p{i}": c.cast("int64").sum() for i, c in enumerate(problems.values())}
        )
    )
    _check_names(engine, path, table, per_name)
    for i, (what, cond) in enumerate(problems.items()):
        n = sum(v or 0 for v in per_name[f"p{i}"].to_pylist())
        if n:
            (first,) = engine.to_arrow(table.filter(cond.fill_null(True)).limit(1)).to_pylist()
            raise InputError(f"{path}: {_where(first)}: {what}{_more(n)}")
    checked = table.drop("amount").mutate(cents=table.cents.cast("int64"))
    _check_repeats(engine, path, checked)
    return Scanned(checked, per_name.select(["dealer", "fund", "share_class"]))


def _check_names(engine: Engine, path: Path, table: ibis.Table, per_name: pa.Table) -> None:
    """An empty (or blank) dealer or fund: named by its first row."""
    for dealer, fund in zip(per_name["dealer"].to_pylist(), per_name["fund"].to_pylist(), strict=True):
        if dealer is None or not dealer.strip() or fund is None or not fund.strip():
            first = engine.to_arrow(
                table.filter(
                    (table.dealer == dealer)
                    | (table.fund == fund)
                    | table.dealer.isnull()
                    | table.fund.isnull()
                ).limit(1)
            ).to_pylist()
            where = _where(first[0] if first else {"dealer": dealer, "fund": fund})
            raise InputError(f"{path}: {where}: an empty dealer or fund")


@ibis.udf.agg.builtin(name="bit_or")
def _bit_or(bits: dt.int64) -> dt.int64:
    """OR of the group's values (DuckDB and Spark both have it; Ibis has no Spark rule)."""


@ibis.udf.scalar.builtin(name="bit_count")
def _bit_count(bits: dt.int64) -> dt.int64:
    """How many bits are set (DuckDB and Spark)."""


def _check_repeats(engine: Engine, path: Path, checked: ibis.Table) -> None:
    """A repeated (date, dealer, fund, class, purchase month), found without grouping on the
    whole key: rows are grouped per (dealer, fund, class, date) and block of 63 purchase
    months, and each row sets the bit of its month in the block (month index mod 63). The
    months in a group are all different exactly when the bits set are as many as the rows;
    a group with fewer is then grouped on the key to name the month repeated."""
    pm = checked.purchase_month.year().cast("int64") * 12 + checked.purchase_month.month().cast("int64")
    rows = checked.select("dealer", "fund", "share_class", "date", block=pm // 63, bit=pm % 63)
    groups = rows.group_by(["dealer", "fund", "share_class", "date", "block"]).aggregate(
        n=rows.count(), bits=_bit_or(ibis.literal(1).cast("int64") << rows.bit)
    )
    bad = groups.filter(_bit_count(groups.bits) != groups.n)
    found = engine.to_arrow(bad.order_by(["dealer", "fund", "share_class", "date"]).limit(1)).to_pylist()
    if not found:
        return
    g = found[0]
    same = checked.filter(
        (checked.dealer == g["dealer"])
        & (checked.fund == g["fund"])
        & (checked.share_class == g["share_class"])
        & (checked.date == g["date"])
    )
    dup = same.group_by(list(KEY)).aggregate(n=same.count())
    (first,) = engine.to_arrow(dup.filter(dup.n > 1).order_by("purchase_month").limit(1)).to_pylist()
    raise InputError(
        f"{path}: {_where(first)}: {first['n']} rows (one row per dealer, fund, class, purchase month and date)"
    )


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
