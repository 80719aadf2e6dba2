"""Boundary validation: what may enter the ledger. Every check names the field (and the row)
in one line, as an InputError.

Values are refused rather than clamped: a rate of 1000% or a date in year 1 is a typo or an
extraction error, and recording it would silently pollute every later answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from distplan.errors import InputError

if TYPE_CHECKING:  # model.py reads rates through parse_rate: no import cycle at run time
    from distplan.model import Instrument, ScheduleRow

RATE_MAX = Decimal(100)  # percent a year
RATE_DECIMALS = 4
EARLIEST = date(1970, 1, 1)  # Rule 12b-1 dates from 1980; plans cite earlier agreements
LATEST = date(2200, 12, 31)
AMENDMENT_MAX = 9999
SEQ_MAX = 2**31 - 1  # entries.seq is a 32-bit INTEGER on PostgreSQL

# Plain decimal: ASCII digits, one optional point, no sign, exponent, underscore or spaces.
_PLAIN_DECIMAL = re.compile(r"[0-9]{1,12}(?:\.[0-9]{1,12})?", re.ASCII)
# What no database column can hold: NUL (PostgreSQL text) and lone surrogates (from a
# "\ud800" JSON escape; not UTF-8). Other control characters are stored as written and made
# visible on output (cli/output.py).
_BAD_CHARS = re.compile(r"[\x00\ud800-\udfff]")


def parse_plain_decimal(text: str, field: str) -> Decimal:
    """A rate as written: "0.25" or "0.25%", in plain ASCII digits ("1_000", full-width
    digits and "1e999999" are not rates, though Python's Decimal reads them)."""
    plain = text.strip().removesuffix("%").strip()
    if not _PLAIN_DECIMAL.fullmatch(plain):
        raise InputError(f"{field} {text!r}: not a rate such as 0.25 (percent a year, plain digits)")
    return Decimal(plain)


def parse_rate(text: str, field: str) -> Decimal:
    """A rate from the command line or a document: 0 to 100 with at most four decimals."""
    return check_rate(parse_plain_decimal(text, field), field)


def check_rate(value: Decimal, field: str) -> Decimal:
    if not value.is_finite() or value < 0 or value > RATE_MAX:
        raise InputError(f"{field} {value}: not a rate between 0 and 100 (percent a year)")
    if value != value.quantize(Decimal(1).scaleb(-RATE_DECIMALS)):
        raise InputError(f"{field} {value}: more than {RATE_DECIMALS} decimals")
    return value


def check_date(value: date, field: str) -> date:
    if not EARLIEST <= value <= LATEST:
        raise InputError(
            f"{field} {value.isoformat()}: not a plausible date ({EARLIEST.year}..{LATEST.year})"
        )
    return value


def parse_date(text: str, field: str) -> date:
    try:
        value = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{field} {text!r}: not a date (YYYY-MM-DD)") from None
    return check_date(value, field)


def check_amendment_number(value: int, field: str) -> int:
    if not 1 <= value <= AMENDMENT_MAX:
        raise InputError(f"{field} {value}: not an amendment number (1..{AMENDMENT_MAX})")
    return value


def check_seq(value: int, field: str) -> int:
    if not 1 <= value <= SEQ_MAX:
        raise InputError(f"{field} {value}: no such entry (entries are numbered 1, 2, ...)")
    return value


def check_text(value: str, field: str) -> str:
    """Names and titles: no NUL and no lone surrogates (which cannot be stored as UTF-8 and
    crash PostgreSQL)."""
    bad = _BAD_CHARS.search(value)
    if bad is not None:
        raise InputError(f"{field}: contains the character {bad.group()!r}, which a name cannot hold")
    return value


def check_json_strings(data: Any, where: str) -> None:
    """Every string (and key) of decoded JSON is valid Unicode: a "\\ud800" escape decodes to
    a lone surrogate that nothing downstream can encode."""
    for path, text in _strings(data, ""):
        if re.search(r"[\ud800-\udfff]", text):
            raise InputError(
                f"{where}: field {path or '(top)'}: contains a lone surrogate (\\ud800-\\udfff escape)"
            )


def _strings(data: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            sub = f"{path}.{key}" if path else str(key)
            if isinstance(key, str):
                yield sub, key
            yield from _strings(value, sub)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _strings(value, f"{path}[{i}]")


def validate_instrument(inst: Instrument, where: str) -> None:
    """Everything about an instrument that recording depends on, before anything is written."""
    if inst.amendment_number is not None:
        check_amendment_number(inst.amendment_number, f"{where}: amendment_number")
    for name in ("effective_date", "dated"):
        value = getattr(inst, name)
        if value is not None:
            check_date(value, f"{where}: {name}")
    if inst.plan.dated is not None:
        check_date(inst.plan.dated, f"{where}: plan.dated")
    check_text(inst.title, f"{where}: title")
    if inst.plan.title is not None:
        check_text(inst.plan.title, f"{where}: plan.title")
    for i, share_class in enumerate(inst.plan.share_classes):
        check_text(share_class, f"{where}: plan.share_classes[{i}]")
    if inst.schedule is not None:
        for i, row in enumerate(inst.schedule.rows):
            _validate_row(row, f"{where}: schedule row {i + 1}")
    for j, op in enumerate(inst.operations):
        for i, row in enumerate(op.rows):
            _validate_row(row, f"{where}: operations[{j}] row {i + 1}")
        for name in ("target", "new_name"):
            value = getattr(op, name)
            if value is not None:
                check_text(value, f"{where}: operations[{j}].{name}")


def _validate_row(row: ScheduleRow, place: str) -> None:
    # Schedules run to 10,000 rows: one search over the row's names, and the exact rate
    # check only for a rate the cheap test does not pass.
    names = (row.fund, row.registrant or "", row.share_class or "")
    if _BAD_CHARS.search("".join(names)):
        for name in ("fund", "registrant", "share_class"):
            value = getattr(row, name)
            if value is not None:
                check_text(value, f"{place}: {name}")
    label = None
    for name in ("distribution_fee", "service_fee", "aggregate_fee"):
        value = getattr(row, name)
        if value is not None and not _plainly_a_rate(value):
            label = label or f"{place} ({row.fund}{', ' + row.share_class if row.share_class else ''})"
            check_rate(value, f"{label}: {name}")
    if row.effective_date is not None and not EARLIEST <= row.effective_date <= LATEST:
        check_date(row.effective_date, f"{place} ({row.fund}): effective_date")


def _plainly_a_rate(value: Decimal) -> bool:
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -RATE_DECIMALS and 0 <= value <= RATE_MAX
