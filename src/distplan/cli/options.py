"""What the CLI commands share: the common options, the ledger (or Workspace) an invocation
works on, the values its flags carry, and how JSON, warnings and the head hash are printed.

This is the only layer that reads the clock: it passes `recorded_at` and `as_of` down.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from distplan.app.values import FieldNames
from distplan.cli.app import DB_META as _DB_META
from distplan.cli.output import echo_json, err
from distplan.errors import InputError
from distplan.ledger import Ledger
from distplan.validation import check_date
from distplan.validation import parse_date as _parse_date
from distplan.validation import parse_rate as _parse_rate

if TYPE_CHECKING:
    from distplan.app import Workspace

# The Workspace's messages name the CLI's flags.
CLI_NAMES = FieldNames(
    plan="--plan",
    known_at="--known-at",
    fund="--fund",
    reason="--reason",
    how_to_record=" (distplan record FILE)",
)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
PlanOpt = Annotated[
    str | None, typer.Option("--plan", help="Plan id or a unique part of its name (omit with one plan).")
]
RecordedAtOpt = Annotated[
    str | None,
    typer.Option(
        "--recorded-at",
        help="Recording time (ISO timestamp; a bare date is 00:00 UTC); default: now. Never in "
        "the future, never before the last entry's.",
    ),
]
KnownAtOpt = Annotated[
    str | None,
    typer.Option(
        "--known-at",
        help="What the ledger knew: at entry SEQ, or at an ISO TIMESTAMP (a bare date: that day's end, UTC).",
    ),
]


def ledger_url(ctx: typer.Context) -> str | None:
    """The `--db` URL given to this invocation (None: $DISTPLAN_DATABASE_URL or the default)."""
    value = ctx.meta.get(_DB_META)
    return value if isinstance(value, str) else None


def open_ledger(ctx: typer.Context, *, create: bool = False) -> Ledger:
    """The ledger this invocation works on (other command modules use this too). Only `init`
    and `record` may create it: a read of a missing (or mistyped) ledger is an error."""
    return Ledger.open(ledger_url(ctx), create=create)


def workspace(ctx: typer.Context, *, create: bool = False) -> Workspace:
    """The Workspace on this invocation's ledger, its messages worded for the CLI's flags."""
    from distplan.app import Workspace

    return Workspace.open(ledger_url(ctx), create=create, names=CLI_NAMES)


def cli_user() -> str:
    """Who a command-line write is recorded by: the OS user, else "cli"."""
    from distplan.ledger.store import default_recorded_by

    return default_recorded_by()


def now() -> datetime:
    return datetime.now(UTC)


# --- argument parsing -----------------------------------------------------------------------


def parse_date(value: str, option: str) -> date:
    """A date option: ISO, and plausible (1970..2200)."""
    return _parse_date(value, option)


def parse_recorded_at(value: str | None, clock: datetime) -> tuple[datetime, bool]:
    """The recording time and whether the user chose it: never ahead of the clock (a future
    time would stamp every later entry); a bare date is that day's start, UTC."""
    if value is None:
        return clock, False
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"--recorded-at {value!r}: not an ISO timestamp (e.g. 2003-12-01T12:00:00Z)"
        ) from None
    moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    check_date(moment.astimezone(UTC).date(), "--recorded-at")
    if moment > clock:
        raise InputError(
            f"--recorded-at {value!r}: in the future (the clock says {clock.isoformat(timespec='seconds')}); "
            "recording time is never ahead of the clock"
        )
    return moment.astimezone(UTC), True


def parse_known_at(value: str | None) -> datetime | int | None:
    """An entry seq (digits) or a timestamp; a bare date means the end of that day (UTC).
    The app layer's parser, its error worded for the flag."""
    from distplan.app.errors import Invalid
    from distplan.app.values import parse_known_at as parse

    if value is None:
        return None
    try:
        point = parse(value)
    except Invalid:
        point = None
    if point is None:  # unparsable, or blank (the app layer reads blank as "not given")
        raise InputError(f"--known-at {value!r}: expected an entry number or an ISO timestamp")
    return point


def known_at_json(known_at: datetime | int | None) -> str | int | None:
    return known_at.isoformat() if isinstance(known_at, datetime) else known_at


def parse_rate(value: str | None, option: str) -> Decimal | None:
    """A percentage a year: 0 to 100, plain digits, at most four decimals."""
    return None if value is None else _parse_rate(value, option)


def emit_json(data: dict[str, Any] | Any, *, row_lists: tuple[str, ...] = ()) -> None:
    """Indented JSON. The lists named in `row_lists` (top-level keys) get one compact row per
    line: the same JSON, but encoded by the C encoder (indent=2 of 11,000 schedule rows took
    ~2 s in the pure-Python one)."""
    if not row_lists or not isinstance(data, dict):
        echo_json(json.dumps(data, indent=2, ensure_ascii=False))
        return
    parts = []
    for key, value in data.items():
        head = f"  {json.dumps(key, ensure_ascii=False)}: "
        if key in row_lists and isinstance(value, list) and value:
            rows = ",\n".join(f"    {json.dumps(row, ensure_ascii=False)}" for row in value)
            parts.append(f"{head}[\n{rows}\n  ]")
        else:
            parts.append(head + json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  "))
    echo_json("{\n" + ",\n".join(parts) + "\n}" if parts else "{}")


def show_warnings(lines: list[str]) -> None:
    for line in dict.fromkeys(lines):
        err.print(f"warning: {line}")


def show_head(head: tuple[int, str | None]) -> None:
    """After every write: the head hash, to keep outside the database (docs/history.md)."""
    err.print(
        f"ledger head: entry {head[0]} {head[1]} (keep it elsewhere; "
        "distplan verify --expect-head HASH checks it)",
        markup=False,
    )


def head_json(head: tuple[int, str | None]) -> dict[str, Any]:
    return {"seq": head[0], "hash": head[1]}
