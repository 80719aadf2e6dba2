"""What several reports share: the ledger facts that tie a report to the ledger, an input
file's fingerprint, and the payables table as typed rows."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from distplan.app import Workspace
from distplan.app.values import KnownAt, known_at_json
from distplan.errors import InputError
from distplan.reports.document import Cell, Column

ZERO = Decimal("0.00")
MONEY_COLUMNS = ("fee_distribution", "fee_service", "fee")


@dataclass(frozen=True)
class Scope:
    """Which plan, as the ledger knew it when: every builder's first arguments."""

    workspace: Workspace
    plan: str | int | None = None
    known_at: KnownAt = None


def ledger_facts(scope: Scope) -> list[tuple[str, str]]:
    """Ledger head (seq and hash) and the known-at point: where the figures come from."""
    ws = scope.workspace
    head = ws.head_seq()
    facts = [("Ledger", ws.url), ("Ledger head", f"entry {head} {ws.entry(head).hash}" if head else "empty")]
    if scope.known_at is not None:
        facts.append(("As known at", str(known_at_json(scope.known_at))))
    return facts


def file_fact(label: str, path: Path) -> tuple[str, str]:
    """An input file by name and SHA-256 (read once; the stage reads it again itself)."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return label, f"{path.name} (sha256 {digest})"


def payable_cells(row: dict[str, Any], *, month: bool = False) -> tuple[Cell, ...]:
    """One payables row (Decimal money, as the fees stage gives it) as report cells."""
    head: tuple[Cell, ...] = (row["registrant"] or "", row["fund"], row["share_class"] or "")
    if month:
        head = (*head, row["month"])
    return (
        *head,
        int(row["days"]),
        Decimal(row["average_net_assets"]),
        *(Decimal(row[c]) for c in MONEY_COLUMNS),
        _day(row["due_date"]),
    )


def payable_columns(*, month: bool = False) -> tuple[Column, ...]:
    return (
        Column("Registrant"),
        Column("Fund"),
        Column("Class"),
        *((Column("Month"),) if month else ()),
        Column("Days", "int"),
        Column("Average daily net assets", "money"),
        Column("Distribution fee", "money"),
        Column("Service fee", "money"),
        Column("Fee", "money"),
        Column("Due", "date"),
    )


def amounts(row: Mapping[str, object], keys: tuple[str, ...] = MONEY_COLUMNS) -> tuple[Decimal, ...]:
    """Money fields of a stage's row (Decimal already) typed as such."""
    return tuple(Decimal(str(row[k])) for k in keys)


def _day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def moment(value: datetime | str) -> str:
    """A recording time to the second, in UTC (a text that is no timestamp is shown as it is)."""
    try:
        when = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    except ValueError:
        return str(value)
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%d %H:%M:%S") + (" UTC" if when.tzinfo is not None else "")


def month_label(year: int, month: int) -> str:
    return date(year, month, 1).strftime("%B %Y")
