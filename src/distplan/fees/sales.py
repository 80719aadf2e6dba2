"""Sales for the FINRA remaining amount: `date, fund, share_class, gross_sales,
front_end_loads_retained, cdsc_collected`, from CSV or Parquet, exactly (integer cents).

Gross sales are new sales with reinvested distributions and exchanges already excluded (the
rule's "new gross sales"). Cells are parsed as NAV and positions cells are (`navcsv`: `$`,
thousands separators, US dates; scientific notation refused); amounts must be whole cents and
not negative; a repeated (date, fund, class) is refused naming both lines. Fund names are
matched to the plan later, with the same folding as NAV files. Sales files are small (one row
per class and day), so they are read row by row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from distplan.errors import InputError, read_input_text
from distplan.fees.navcsv import parse_day, parse_money
from distplan.fees.positions import cents_of, column_index, read_parquet_table
from distplan.model import FundClassKey

FIELDS = ("date", "fund", "share_class", "gross_sales", "front_end_loads_retained", "cdsc_collected")
AMOUNTS = FIELDS[3:]


@dataclass(frozen=True)
class Sale:
    day: date
    fund: str
    share_class: str
    cents: tuple[int, int, int]  # gross sales, front-end loads retained, CDSCs collected
    where: str  # file:line, for messages


def records(path: Path, fields: tuple[str, ...], what: str) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(file:line or file: row N, {field: cell}, from CSV) for each non-blank row of a CSV or
    Parquet file; lines starting with `#` are comments. InputError for an unreadable file."""
    if path.suffix.lower() in (".parquet", ".pq"):
        raw = read_parquet_table(path)
        at = column_index(path, raw.column_names, fields)
        names = raw.column_names
        for n, row in enumerate(raw.to_pylist(), start=1):
            yield f"{path}: row {n}", {f: row[names[i]] for f, i in at.items()}, False
        return
    text = read_input_text(path, what)
    lines = [line if not line.lstrip().startswith("#") else "" for line in text.split("\n")]
    header_at = next((i for i, line in enumerate(lines) if line.strip()), None)
    if header_at is None:
        raise InputError(f"{path}: empty (expected a header: {', '.join(fields)})")
    first = lines[header_at]
    delimiter = max(",;\t|", key=first.count)
    reader = csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=delimiter)
    for _ in range(header_at):
        next(reader)
    at = column_index(path, [h.strip() for h in next(reader, [])], fields)
    for row in reader:
        if any(cell.strip() for cell in row):
            cells = {f: (row[i].strip() if i < len(row) else "") for f, i in at.items()}
            yield f"{path}:{reader.line_num}", cells, True


def day_of(value: Any) -> date:
    return value if isinstance(value, date) else parse_day(str(value))


def amount_of(value: Any, from_csv: bool) -> Decimal:
    if from_csv:
        return parse_money(str(value), False)
    if isinstance(value, float) or value is None or isinstance(value, bool):
        raise ValueError("must be a decimal or integer column, not floating point or empty")
    return Decimal(value)


def read_sales(path: Path) -> list[Sale]:
    out: list[Sale] = []
    seen: dict[tuple[date, str, str], str] = {}
    for where, cells, from_csv in records(path, FIELDS, "sales"):
        fund, cls = str(cells["fund"] or "").strip(), str(cells["share_class"] or "").strip()
        if not fund:
            raise InputError(f"{where}: fund is empty")
        try:
            day = day_of(cells["date"])
        except ValueError as exc:
            raise InputError(f"{where}: date {cells['date']!r} {exc}") from None
        cents = []
        for f in AMOUNTS:
            cell = cells[f]
            if from_csv and not cell:
                cell = "0"  # an empty amount is none that day
            try:
                cents.append(cents_of(amount_of(cell, from_csv), "sales"))
            except ValueError as exc:
                raise InputError(f"{where}: {f} {cells[f]!r} {exc}") from None
        key = (day, *FundClassKey.of(fund, cls))  # folded as NAV names are: one row per class and day
        if key in seen:
            raise InputError(
                f"{where}: a second row for {fund!r} ({cls or 'no class'}) on {day} (first: {seen[key]})"
            )
        seen[key] = where
        out.append(Sale(day, fund, cls, (cents[0], cents[1], cents[2]), where))
    if not out:
        raise InputError(f"{path}: no sales rows")
    return out
