"""Values every front end passes in as text: dates, known-at points, months, rates.

Errors name the field as the caller calls it (`field`), so the CLI can say --as-of and the
API as_of without this layer knowing either."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from distplan.app.errors import Invalid

KnownAt = datetime | int | None


def parse_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise Invalid(f"{value!r} is not a date (YYYY-MM-DD)", field) from None


def parse_known_at(value: str | None, field: str = "known_at") -> KnownAt:
    """An entry seq (digits) or a timestamp; a bare date means the end of that day (UTC)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return int(text)
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1, microseconds=-1)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{value!r} is neither an entry number nor an ISO timestamp", field) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def known_at_json(known_at: KnownAt) -> str | int | None:
    return known_at.isoformat() if isinstance(known_at, datetime) else known_at


def parse_month(value: str, field: str = "month") -> tuple[int, int]:
    try:
        year, month = (int(x) for x in value.strip().split("-"))
        date(year, month, 1)
    except ValueError:
        raise Invalid(f"{value!r} is not a month (YYYY-MM)", field) from None
    return year, month


def parse_rate(value: str | None, field: str) -> Decimal | None:
    if value is None or not value.strip():
        return None
    try:
        rate = Decimal(value.strip().rstrip("%"))
    except InvalidOperation:
        raise Invalid(f"{value!r} is not a percentage such as 0.25", field) from None
    if not rate.is_finite() or rate < 0 or rate > 100:
        raise Invalid(f"{value!r} is not a percentage between 0 and 100", field)
    return rate


def decode_text(data: bytes) -> str:
    """Filed documents: UTF-8 (a BOM dropped), else cp1252 as old EDGAR filings are."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


@dataclass(frozen=True)
class FieldNames:
    """What a front end calls the inputs the workspace's messages name: the API's fields by
    default; the CLI passes its flags (`--plan`, `--known-at`, `--fund`, `--reason`)."""

    plan: str = "plan"
    known_at: str = "known_at"
    fund: str = "fund"
    reason: str = "reason"
    how_to_record: str = ""  # said when the ledger has no plan yet (the CLI names its command)
