"""Reading one field of a governance document: text, dates, counts, numbers, choices, each
refused with file:line: field."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from distplan.compliance.dates import EARLIEST, LATEST
from distplan.compliance.governance import Where
from distplan.compliance.govyaml import join_path
from distplan.errors import InputError


class FieldReader:
    """Reads the fields of a parsed governance document, naming file:line: field of a problem."""

    def __init__(self, where: str, lines: dict[str, int]) -> None:
        self.where = where
        self.lines = lines

    def line(self, path: str) -> int | None:
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""

    def at(self, path: str) -> Where:
        return Where(self.where, self.line(path))

    def fail(self, path: str, why: str) -> InputError:
        line = self.line(path)
        place = f"{self.where}:{line}" if line is not None else self.where
        return InputError(f"{place}: {path or '(top)'}: {why}")

    # scalar readers: `obj[key]` at `path.key`

    def mapping(self, value: Any, path: str, allowed: Iterable[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected a mapping, got {kind_of(value)}")
        allowed = set(allowed)
        for key in value:
            if key not in allowed:
                raise self.fail(
                    join_path(path, key), f"unknown field (expected one of: {', '.join(sorted(allowed))})"
                )
        return value

    def items(self, obj: dict[str, Any], key: str, path: str) -> list[Any]:
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(join_path(path, key), f"expected a list, got {kind_of(value)}")
        return value

    def text(self, obj: dict[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                raise self.fail(join_path(path, key), "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise self.fail(join_path(path, key), f"expected text, got {kind_of(value)}")
        text = str(value).strip()
        if required and not text:
            raise self.fail(join_path(path, key), "empty")
        return text or None

    def day(self, obj: dict[str, Any], key: str, path: str, *, required: bool = False) -> date | None:
        value = obj.get(key)
        if value is None:
            if required:
                raise self.fail(join_path(path, key), "missing")
            return None
        if isinstance(value, datetime):
            raise self.fail(join_path(path, key), "expected a date (YYYY-MM-DD), not a timestamp")
        day = value if isinstance(value, date) else iso_date(value)
        if day is None:
            raise self.fail(join_path(path, key), f"expected a date YYYY-MM-DD, got {value!r}")
        if not EARLIEST <= day <= LATEST:
            raise self.fail(join_path(path, key), f"{day}: not a plausible date ({EARLIEST} to {LATEST})")
        return day

    def flag(self, obj: dict[str, Any], key: str, path: str) -> bool | None:
        value = obj.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise self.fail(join_path(path, key), f"expected true or false, got {value!r}")

    def count(self, obj: dict[str, Any], key: str, path: str, *, required: bool = False) -> int | None:
        value = obj.get(key)
        if value is None:
            if required:
                raise self.fail(join_path(path, key), "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(join_path(path, key), f"expected a whole number >= 0, got {value!r}")
        return value

    def number(self, obj: dict[str, Any], key: str, path: str, *, required: bool = False) -> Decimal | None:
        value = obj.get(key)
        if value is None:
            if required:
                raise self.fail(join_path(path, key), "missing")
            return None
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise self.fail(join_path(path, key), f"expected a number, got {kind_of(value)}")
        text = str(value).strip().replace(",", "").rstrip("%").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise self.fail(join_path(path, key), f"not a number: {value!r}") from None
        if not number.is_finite() or number < 0:
            raise self.fail(join_path(path, key), f"expected a number >= 0, got {value!r}")
        return number

    def choice(
        self, obj: dict[str, Any], key: str, path: str, options: tuple[str, ...], default: str | None
    ) -> str:
        value = obj.get(key, default)
        if value not in options:
            raise self.fail(join_path(path, key), f"expected one of {', '.join(options)}, got {value!r}")
        return str(value)


def iso_date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), type(value).__name__
    )
