"""What a draft amendment changes, as the user states it: funds to add (with their rates), to
remove, to rename, rates to set, or a whole new schedule. Parsed from the command line's (or a
form's) words into plain values; every bad value is an Invalid naming its option."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from distplan.app.errors import Invalid
from distplan.errors import InputError
from distplan.model import Rates, ScheduleRow, instrument_from_json
from distplan.validation import check_rate, parse_plain_decimal

_MAX_NAME = 300  # a fund name longer than this is a pasted paragraph, not a name


@dataclass(frozen=True)
class Target:
    """A fund (and optionally one share class) as the user named it."""

    fund: str
    share_class: str | None = None

    def label(self) -> str:
        return f"{self.fund}:{self.share_class}" if self.share_class else self.fund


@dataclass(frozen=True)
class Addition:
    target: Target
    rates: Rates
    registrant: str | None = None


@dataclass(frozen=True)
class Rename:
    old: str
    new: str


@dataclass(frozen=True)
class RateChange:
    target: Target
    rates: Rates


@dataclass(frozen=True)
class Changes:
    """Everything a draft changes. `schedule`: rows that replace the schedule in force before
    the other changes apply (from --replace-schedule)."""

    add: tuple[Addition, ...] = ()
    remove: tuple[Target, ...] = ()
    rename: tuple[Rename, ...] = ()
    set_rates: tuple[RateChange, ...] = ()
    schedule: tuple[ScheduleRow, ...] | None = None

    @property
    def empty(self) -> bool:
        return not (self.add or self.remove or self.rename or self.set_rates or self.schedule is not None)


def _name(text: str, option: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise Invalid(f"{option} {text!r}: no fund name", option)
    if len(name) > _MAX_NAME:
        raise Invalid(f"{option}: a fund name of {len(name)} characters (at most {_MAX_NAME})", option)
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in name):
        raise Invalid(f"{option} {text!r}: a control character in the fund name", option)
    return name


def parse_target(text: str, option: str) -> Target:
    """ "FUND" or "FUND:CLASS" (the last colon splits, so a fund name may hold one)."""
    fund, sep, share_class = text.rpartition(":")
    if not sep:
        return Target(_name(text, option))
    if not share_class.strip():
        raise Invalid(f"{option} {text!r}: no share class after ':'", option)
    return Target(_name(fund, option), _name(share_class, option))


def parse_rates(text: str, option: str) -> Rates:
    """ "D,S,A": distribution, service and aggregate, percent a year; an empty part is not
    stated ("0.10,0.25," states no aggregate). At least one must be stated."""
    parts = text.split(",")
    if len(parts) != 3:
        raise Invalid(
            f"{option} {text!r}: expected three rates D,S,A (distribution, service, aggregate; "
            "percent a year, e.g. 0.00,0.25,0.25)",
            option,
        )
    values: list[Decimal | None] = []
    for name, part in zip(("distribution", "service", "aggregate"), parts, strict=True):
        if not part.strip():
            values.append(None)
            continue
        try:
            values.append(check_rate(parse_plain_decimal(part, f"{option} {name}"), f"{option} {name}"))
        except InputError as exc:
            raise Invalid(str(exc), option) from None
    rates = Rates(*values)
    if not rates.known:
        raise Invalid(f"{option} {text!r}: states no rate", option)
    return rates


def parse_rename(text: str, option: str = "--rename") -> Rename:
    old, sep, new = text.partition("=")
    if not sep:
        raise Invalid(f"{option} {text!r}: expected OLD=NEW", option)
    return Rename(_name(old, option), _name(new, option))


def parse_set_rates(text: str, option: str = "--set-rates") -> RateChange:
    """ "FUND[:CLASS]:D,S,A"."""
    target, sep, rates = text.rpartition(":")
    if not sep or not target.strip():
        raise Invalid(f"{option} {text!r}: expected FUND[:CLASS]:D,S,A", option)
    return RateChange(parse_target(target, option), parse_rates(rates, option))


def parse_additions(
    adds: list[str], rates: list[str], registrants: list[str] | None = None
) -> tuple[Addition, ...]:
    """--add and --rates pair up in order; --registrant too, when given."""
    if len(rates) != len(adds):
        raise Invalid(
            f"--rates: {len(rates)} given for {len(adds)} --add (give one --rates per --add)", "--rates"
        )
    registrants = registrants or []
    if registrants and len(registrants) != len(adds):
        raise Invalid(
            f"--registrant: {len(registrants)} given for {len(adds)} --add (give one per --add, or none)",
            "--registrant",
        )
    return tuple(
        Addition(
            parse_target(add, "--add"),
            parse_rates(rate, "--rates"),
            _name(registrants[i], "--registrant") if registrants else None,
        )
        for i, (add, rate) in enumerate(zip(adds, rates, strict=True))
    )


def schedule_rows_from_json(data: Any, where: str) -> tuple[ScheduleRow, ...]:
    """The rows of a replacement schedule: a list of rows, {"rows": [...]}, or an instrument
    (extract JSON) whose schedule is taken."""
    if isinstance(data, list):
        data = {"rows": data}
    if isinstance(data, dict) and "kind" not in data:
        data = {"kind": "schedule", "schedule": {"label": "Schedule A", "rows": data.get("rows")}}
    inst = instrument_from_json(data, where=where)
    if inst.schedule is None or not inst.schedule.rows:
        raise Invalid(
            f"{where}: no schedule rows (expected a list of rows or extract JSON)", "--replace-schedule"
        )
    return inst.schedule.rows


def read_schedule(raw: bytes, where: str) -> tuple[ScheduleRow, ...]:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Invalid(f"{where}: not UTF-8 text, expected JSON", "--replace-schedule") from None
    except json.JSONDecodeError as exc:
        raise Invalid(
            f"{where}: line {exc.lineno}: not valid JSON: {exc.msg}", "--replace-schedule"
        ) from None
    except RecursionError:
        raise Invalid(f"{where}: JSON nested too deeply", "--replace-schedule") from None
    return schedule_rows_from_json(data, where)
