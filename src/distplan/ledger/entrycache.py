"""The entries a Ledger has read, kept: entries never change once written, so a query reads
only those past the last one seen, and each entry's row once (`verify` reads afresh)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from distplan.ledger.chain import utc
from distplan.ledger.records import Entry
from distplan.ledger.schema import entries as T

# Entry columns read back (the source text stays in the database until asked for).
_ENTRY_COLS = (
    T.c.seq,
    T.c.kind,
    T.c.plan_id,
    T.c.effective_date,
    T.c.recorded_at,
    T.c.payload,
    T.c.source_sha256,
    T.c.target_seq,
    T.c.prev_hash,
    T.c.hash,
)
_IN_CHUNK = 500


class EntryCache:
    """What one Ledger has read; forgotten (a new one) when a write rolls back."""

    def __init__(self) -> None:
        self._cache: dict[int, Entry] = {}
        self._index: list[_Meta] = []
        self._seen = 0

    def read(
        self,
        conn: Connection,
        known_at: datetime | int | None,
        kinds: Sequence[str] | None,
        plan_id: int | None,
    ) -> list[Entry]:
        # Entries are append-only: only those past the last one seen need reading.
        new = conn.execute(
            select(T.c.seq, T.c.kind, T.c.plan_id, T.c.recorded_at, T.c.hash)
            .where(T.c.seq > self._seen)
            .order_by(T.c.seq)
        ).all()
        for m in new:
            self._index.append(_Meta(m.seq, m.kind, m.plan_id, utc(m.recorded_at), m.hash))
        if new:
            self._seen = new[-1].seq
        chosen = [m for m in self._index if _wanted(m, known_at, kinds, plan_id)]
        missing = [m.seq for m in chosen if m.seq not in self._cache]
        for i in range(0, len(missing), _IN_CHUNK):
            chunk = missing[i : i + _IN_CHUNK]
            for row in conn.execute(select(*_ENTRY_COLS).where(T.c.seq.in_(chunk))):
                self._cache[row.seq] = _entry(row)
        return [self._cache[m.seq] for m in chosen]


@dataclass(frozen=True)
class _Meta:
    seq: int
    kind: str
    plan_id: int | None
    recorded_at: datetime
    hash: str


def _wanted(
    m: _Meta, known_at: datetime | int | None, kinds: Sequence[str] | None, plan_id: int | None
) -> bool:
    if isinstance(known_at, int) and m.seq > known_at:
        return False
    if isinstance(known_at, datetime) and m.recorded_at > known_at:
        return False
    if kinds is not None and m.kind not in kinds:
        return False
    return plan_id is None or m.plan_id == plan_id


def _entry(row: Any) -> Entry:
    return Entry(
        seq=row.seq,
        kind=row.kind,
        plan_id=row.plan_id,
        effective_date=row.effective_date,
        recorded_at=utc(row.recorded_at),
        payload=json.loads(row.payload),
        source_sha256=row.source_sha256,
        prev_hash=row.prev_hash,
        hash=row.hash,
        target_seq=row.target_seq,
    )
