"""Net assets from a CSV file as spreadsheets write it, read exactly or refused naming the line.

Accepted, exactly (every value is parsed as text into a Decimal or a date, never a float):

* separators `,`, `;`, tab or `|` (sniffed from the header line); a UTF-8 byte-order mark;
* column names in any case and spacing, and common synonyms (`Fund Name`, `Class`, `NAV Date`,
  `Total Net Assets`, ... see COLUMN_NAMES), or named with `columns` (`--columns fund=Portfolio,
  date=As Of,net_assets=TNA`);
* money with a `$`, thousands separators in groups of three (`$1,234,567.89`), and in a file
  separated by `;` a decimal comma (`1.234.567,89`) when it cannot be read the other way;
* dates as ISO `2003-11-03` or US `11/3/2003` (month first, four-digit year).

Refused, with the file and line: scientific notation (`1.23E+08`: a spreadsheet shows it when it
has dropped digits), an ambiguous amount (`1,234` in a `;` file), a two-digit year, an empty fund,
date or amount, more than 10 decimal places, and the same fund, class and date twice.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from distplan.errors import InputError, read_input_text

FIELDS = ("fund", "share_class", "date", "net_assets")
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "fund": ("fund", "fund name", "fund_name", "portfolio", "series", "name"),
    "share_class": ("share class", "share_class", "class", "shareclass", "class name"),
    "date": (
        "date",
        "nav date",
        "nav_date",
        "as of",
        "as of date",
        "valuation date",
        "trade date",
        "pricing date",
    ),
    "net_assets": (
        "net assets",
        "net_assets",
        "total net assets",
        "tna",
        "net asset value total",
        "aum",
        "assets",
    ),
}
MAX_SCALE = 10
_US = re.compile(r"\$?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
_EU = re.compile(r"(\d{1,3}(?:\.\d{3})+|\d+)(,\d+)?")
_SCI = re.compile(r"[-+]?\$?[\d.,]+[eE][-+]?\d+")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00)?)?")


def _fold(name: str) -> str:
    return " ".join(name.replace("_", " ").casefold().split())


def parse_columns(spec: str | None) -> dict[str, str]:
    """`fund=Portfolio,date=As Of,...` -> {field: column name}; InputError naming the problem."""
    out: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        field, sep, column = part.partition("=")
        field = field.strip().replace("-", "_")
        if not sep or field not in FIELDS or not column.strip():
            raise InputError(
                f"--columns {spec!r}: expected FIELD=COLUMN pairs with FIELD one of {', '.join(FIELDS)}"
            )
        out[field] = column.strip()
    return out


def _header_map(path: Path, header: list[str], columns: Mapping[str, str]) -> dict[str, int]:
    folded = [_fold(h) for h in header]
    found: dict[str, int] = {}
    for field in FIELDS:
        wanted = [columns[field]] if field in columns else list(COLUMN_NAMES[field])
        for name in wanted:
            if _fold(name) in folded:
                found[field] = folded.index(_fold(name))
                break
        else:
            if field in columns:
                raise InputError(
                    f"{path}: --columns names {columns[field]!r}, which is not a column of the file"
                )
    missing = [f for f in FIELDS if f not in found and f != "share_class"]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)} (the file has {', '.join(map(repr, header))}; "
            "need fund, share_class, date, net_assets, or say which with --columns fund=...,date=...,"
            "net_assets=...)"
        )
    return found


def parse_money(text: str, semicolon: bool) -> Decimal:
    """An amount as a spreadsheet writes it, exactly; ValueError saying why not."""
    value = text.strip().replace(" ", "").replace("\u00a0", "")
    negative = value.startswith("-")
    value = value[1:] if negative else value
    if _SCI.fullmatch(value):
        raise ValueError(
            "is in scientific notation (the spreadsheet may have dropped digits); write it in full"
        )
    readings = set()
    us = _US.fullmatch(value)
    if us:
        readings.add(Decimal(us.group(1).replace(",", "") + (us.group(2) or "")))
    eu = _EU.fullmatch(value) if semicolon else None
    if eu:
        readings.add(Decimal(eu.group(1).replace(".", "") + (eu.group(2) or "").replace(",", ".")))
    if not readings:
        raise ValueError("is not an amount")
    if len(readings) > 1:
        raise ValueError("is ambiguous (thousands separator or decimal point?); write it without separators")
    amount = readings.pop()
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_SCALE:
        raise ValueError(f"has more than {MAX_SCALE} decimal places")
    # From 10^15 up the cents overflow the engines' BIGINT sums; run.py refuses more than
    # $10 trillion with its reason, this keeps absurd digits from reaching the engine at all.
    if amount.adjusted() >= 15:
        raise ValueError("is too large (16 or more digits before the point)")
    return -amount if negative else amount


def parse_day(text: str) -> date:
    value = text.strip()
    iso = _ISO_DATE.fullmatch(value)
    us = _US_DATE.fullmatch(value)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if us:
            return date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
    except ValueError:
        raise ValueError("is not a calendar date") from None
    raise ValueError("is not a date (expected YYYY-MM-DD or MM/DD/YYYY)")


_PLAIN_MONEY = r"^[0-9]{1,15}(\.[0-9]{1,10})?$"  # longer: parse_money names the line
_PLAIN_DAY = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _plain(text: str, delimiter: str, header: list[str], at: Mapping[str, int]) -> pa.Table | None:
    """The common case at pyarrow's speed: plain amounts (digits, a point) and ISO dates, every
    cell present. Arrow casts such text to decimal exactly. None when anything else appears:
    the row-by-row reader then parses it (or names the line)."""
    try:
        raw = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=[f"c{i}" for i in range(len(header))], skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter),
            convert_options=pacsv.ConvertOptions(
                column_types={f"c{i}": pa.string() for i in range(len(header))}, strings_can_be_null=False
            ),
        )
        cols = {f: pc.utf8_trim_whitespace(raw[f"c{i}"]) for f, i in at.items()}
        money, day = cols["net_assets"], cols["date"]
        if raw.num_rows == 0 or not (
            pc.all(pc.match_substring_regex(money, _PLAIN_MONEY)).as_py()
            and pc.all(pc.match_substring_regex(day, _PLAIN_DAY)).as_py()
            and not pc.any(pc.equal(cols["fund"], "")).as_py()
        ):
            return None
        scale = (
            2 if pc.all(pc.match_substring_regex(money, r"^[0-9]+(\.[0-9]{1,2})?$")).as_py() else MAX_SCALE
        )
        classes = cols.get("share_class", pa.array([""] * raw.num_rows, pa.string()))
        return pa.table(
            {
                "fund": cols["fund"],
                "share_class": classes,
                "date": pc.cast(day, pa.date32()),
                "net_assets": pc.cast(money, pa.decimal128(38, scale)),
            }
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None  # an impossible date, ragged rows, ...: the row reader names the line


def read_nav_csv(path: Path, columns: Mapping[str, str] | None = None) -> pa.Table:
    """Columns fund, share_class, date, net_assets (decimal128(38, 2), or (38, 10) when some
    amount has sub-cent digits); InputError naming the file and line of the first problem."""
    text = read_input_text(path, "net assets")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader, [])]
    at = _header_map(path, header, columns or {})
    fast = _plain(text, delimiter, header, at)
    if fast is not None:
        return fast
    semicolon = delimiter == ";"
    funds: list[str] = []
    classes: list[str] = []
    days: list[date] = []
    amounts: list[Decimal] = []
    day_cache: dict[str, date] = {}
    seen: dict[tuple[str, str, date], int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        cells = {f: (row[i].strip() if i < len(row) else "") for f, i in at.items()}
        for field in ("fund", "date", "net_assets"):
            if not cells[field]:
                raise InputError(f"{path}:{line}: {field} is empty")
        try:
            day = day_cache.get(cells["date"]) or day_cache.setdefault(
                cells["date"], parse_day(cells["date"])
            )
        except ValueError as exc:
            raise InputError(f"{path}:{line}: date {cells['date']!r} {exc}") from None
        try:
            amount = parse_money(cells["net_assets"], semicolon)
        except ValueError as exc:
            raise InputError(f"{path}:{line}: net_assets {cells['net_assets']!r} {exc}") from None
        key = (cells["fund"], cells.get("share_class", ""), day)
        if key in seen:
            raise InputError(
                f"{path}:{line}: a second row for {key[0]!r} ({key[1] or 'no class'}) on {day} "
                f"(the first is line {seen[key]}): one NAV per fund-class and day"
            )
        seen[key] = line
        funds.append(key[0])
        classes.append(key[1])
        days.append(day)
        amounts.append(amount)
    whole = all(a == a.quantize(Decimal("0.01")) for a in amounts)
    return pa.table(
        {
            "fund": pa.array(funds, pa.string()),
            "share_class": pa.array(classes, pa.string()),
            "date": pa.array(days, pa.date32()),
            "net_assets": pa.array(amounts, pa.decimal128(38, 2 if whole else MAX_SCALE)),
        }
    )
