"""The ledger store: append entries under a lock, read them back as of a known-at point.

Nothing here UPDATEs or DELETEs; a correction is a new entry (a void). Time is an argument:
every write takes `recorded_at` from the caller. A command's writes go in one transaction
(`Ledger.transaction`), so a command that fails half-way leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import DBAPIError

from distplan.errors import InputError
from distplan.ledger import engine as db
from distplan.ledger.chain import sha256_bytes
from distplan.ledger.entrycache import EntryCache
from distplan.ledger.identity import decode_source
from distplan.ledger.pending import Pending, check_pending, utf8
from distplan.ledger.plans import resolve_plan
from distplan.ledger.records import (
    ENTRY_KINDS,
    KIND_INSTRUMENT,
    KIND_VOID,
    ChainReport,
    Entry,
    Plan,
    RecordResult,
)
from distplan.ledger.schema import entries as T
from distplan.ledger.schema import plans as P
from distplan.ledger.verify import verify_chain
from distplan.ledger.writing import insert_entry, record_one
from distplan.model import Instrument
from distplan.validation import check_seq

__all__ = ["Ledger", "Pending", "check_pending", "default_recorded_by"]


class Ledger:
    """The append-only, hash-chained ledger. Open with `Ledger.open(url)`."""

    def __init__(self, engine: Engine, url: str, created: bool = False) -> None:
        self.engine = engine
        self.url = url
        self.created = created  # this open made the ledger
        self._tx: Connection | None = None
        self._exact_time = False
        self._legacy: bool | None = None  # scheme-1 entries present (per transaction)
        # Who the entries appended through this Ledger are recorded by (the web app sets
        # the signed-in user per write).
        self.recorded_by = default_recorded_by()
        self._forget()

    def _forget(self) -> None:
        # Entries never change once written, so what was read is kept for the next query
        # (`verify` always reads the stored rows afresh); forgotten when a write rolls back.
        self._read = EntryCache()

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None, *, create: bool = True) -> Ledger:
        """Open the ledger at `url`, else $DISTPLAN_DATABASE_URL, else ./distplan.db, migrating
        it as needed. `create=False`: a missing ledger is an InputError, not a new one."""
        url = db.resolve_url(url)
        engine, created = db.connect(url, create=create)
        return cls(engine, url, created)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- transactions -------------------------------------------------------------------

    @contextmanager
    def transaction(self, *, exact_time: bool = False) -> Iterator[None]:
        """Every read and write inside is ONE transaction holding the writers' lock, committed
        at the end; on any error nothing is written. Nested uses join the outer one.
        `exact_time`: the recording times were chosen by the user; one before the last
        entry's is refused instead of being moved up to it."""
        if self._tx is not None:
            yield
            return
        try:
            with db.write_transaction(self.engine) as conn:
                self._tx, self._exact_time, self._legacy = conn, exact_time, None
                try:
                    yield
                finally:
                    self._tx, self._exact_time = None, False
        except BaseException as exc:
            self._forget()
            if isinstance(exc, DBAPIError):
                raise InputError(
                    f"--db {db.display_url(self.url)}: cannot write the ledger: {db.first_line(exc)}; "
                    "nothing was recorded"
                ) from None
            raise

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        if self._tx is not None:
            yield self._tx
            return
        with db.read_transaction(self.engine) as conn:
            yield conn

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        with self.transaction():
            assert self._tx is not None
            yield self._tx

    # --- plans --------------------------------------------------------------------------

    def plans(self) -> list[Plan]:
        with self._reading() as conn:
            rows = conn.execute(select(P).order_by(P.c.id)).all()
        return [Plan(r.id, r.title, r.share_class, r.key) for r in rows]

    def plan(self, plan_id: int) -> Plan:
        for plan in self.plans():
            if plan.id == plan_id:
                return plan
        raise InputError(f"--plan {plan_id}: no such plan")

    def resolve_plan(
        self, ref: str | None, named: str = "--plan", how_to_record: str = " (distplan record FILE)"
    ) -> Plan:
        """A plan by id or a unique part of its name; None when the ledger has one plan.
        `named`: what the caller calls the reference in its messages (a flag, a field);
        `how_to_record`: the caller's hint for recording the first instrument."""
        return resolve_plan(self.plans(), ref, named, how_to_record)

    # --- writing ------------------------------------------------------------------------

    def record(
        self, inst: Instrument, source_text: str, *, recorded_at: datetime, force: bool = False
    ) -> RecordResult:
        """Record one instrument (idempotent by source text and by content)."""
        return self.record_many([Pending(inst, source_text)], recorded_at=recorded_at, force=force)[0]

    def record_many(
        self,
        items: Sequence[Pending],
        *,
        recorded_at: datetime,
        force: bool = False,
        progress: Callable[[int], None] | None = None,
        plan: Plan | None = None,
    ) -> list[RecordResult]:
        """Record several instruments in ONE transaction: all of them or none. Every item is
        validated before anything is written. `plan`: each must belong to that plan."""
        check_pending(items, force=force)
        results: list[RecordResult] = []
        with self._writing() as conn:
            for item in items:
                results.append(
                    record_one(
                        conn,
                        item,
                        recorded_at,
                        plan,
                        legacy_present=self._has_legacy(conn),
                        recorded_by=self.recorded_by,
                        exact_time=self._exact_time,
                    )
                )
                if progress is not None:
                    progress(1)
        return results

    def _has_legacy(self, conn: Connection) -> bool:
        """Whether the ledger holds scheme-1 entries (asked once per transaction: the
        legacy content hash costs a second canonical JSON of every instrument)."""
        if self._legacy is None:
            self._legacy = (
                conn.execute(select(T.c.seq).where(T.c.hash_scheme == 1).limit(1)).first() is not None
            )
        return self._legacy

    def append(
        self,
        kind: str,
        plan_id: int | None,
        payload: dict[str, Any],
        *,
        recorded_at: datetime,
        effective_date: date | None = None,
        source_text: str | None = None,
    ) -> Entry:
        """Append one generic fact (terms, governance, ...); joins an open transaction."""
        if kind not in ENTRY_KINDS or kind in (KIND_INSTRUMENT, KIND_VOID):
            raise InputError(f"entry kind {kind!r}: use record() for instruments and void() for voids")
        data = utf8(source_text, f"{kind} entry") if source_text is not None else None
        with self._writing() as conn:
            if plan_id is not None and conn.execute(select(P.c.id).where(P.c.id == plan_id)).first() is None:
                raise InputError(f"plan {plan_id}: no such plan")
            return insert_entry(
                conn,
                kind=kind,
                plan_id=plan_id,
                effective_date=effective_date,
                recorded_at=recorded_at,
                payload=payload,
                payload_hash=None,
                source_sha256=sha256_bytes(data) if data is not None else None,
                source_bytes=data,
                recorded_by=self.recorded_by,
                exact_time=self._exact_time,
            )

    def void(self, target: int, reason: str, *, recorded_at: datetime) -> Entry:
        """Void an entry: a new entry that makes history ignore the target from now on."""
        if not reason.strip():
            raise InputError("--reason: say why the entry is void")
        check_seq(target, "entry")
        with self._writing() as conn:
            row = conn.execute(select(T.c.seq, T.c.kind, T.c.plan_id).where(T.c.seq == target)).first()
            if row is None:
                raise InputError(f"entry {target}: no such entry")
            if row.kind == KIND_VOID:
                raise InputError(f"entry {target}: is itself a void; record the instrument again instead")
            prior = conn.execute(
                select(T.c.seq).where(T.c.kind == KIND_VOID, T.c.target_seq == target)
            ).scalar()
            if prior is not None:
                raise InputError(f"entry {target}: already voided by entry {prior}")
            return insert_entry(
                conn,
                kind=KIND_VOID,
                plan_id=row.plan_id,
                effective_date=None,
                recorded_at=recorded_at,
                payload={"target": target, "reason": reason.strip()},
                payload_hash=None,
                source_sha256=None,
                source_bytes=None,
                target_seq=target,
                recorded_by=self.recorded_by,
                exact_time=self._exact_time,
            )

    # --- reading ------------------------------------------------------------------------

    def entries(
        self,
        known_at: datetime | int | None = None,
        kinds: Sequence[str] | None = None,
        plan_id: int | None = None,
    ) -> list[Entry]:
        """Entries in seq order, as known at a seq or a recorded_at moment (None: all)."""
        if isinstance(known_at, datetime) and known_at.tzinfo is None:
            raise ValueError("known_at must be timezone-aware")
        with self._reading() as conn:
            return self._read.read(conn, known_at, kinds, plan_id)

    def entry(self, seq: int) -> Entry:
        found = self.entries(known_at=seq)
        if not found or found[-1].seq != seq:
            raise InputError(f"entry {seq}: no such entry")
        return found[-1]

    def head_seq(self) -> int:
        """The last entry's seq (0 when empty): the primary key alone, so cheap enough to ask
        on every request (the hash sits after the payload and source, which can be megabytes)."""
        with self._reading() as conn:
            return int(conn.execute(select(func.max(T.c.seq))).scalar() or 0)

    @property
    def in_transaction(self) -> bool:
        """Inside `transaction()`: what is read may not be committed yet."""
        return self._tx is not None

    def head(self) -> tuple[int, str | None]:
        """The last entry's seq and hash ((0, None) when empty): note it outside the database
        and check it later with `verify(expect_head=...)`."""
        with self._reading() as conn:
            row = conn.execute(select(T.c.seq, T.c.hash).order_by(T.c.seq.desc()).limit(1)).first()
        return (row.seq, row.hash) if row is not None else (0, None)

    def source_bytes(self, seq: int) -> bytes | None:
        """The source exactly as recorded (scheme-1 entries kept text: its UTF-8)."""
        with self._reading() as conn:
            row = conn.execute(select(T.c.source_bytes, T.c.source_text).where(T.c.seq == seq)).first()
        if row is None:
            return None
        if row.source_bytes is not None:
            return bytes(row.source_bytes)
        return row.source_text.encode("utf-8") if row.source_text is not None else None

    def source_text(self, seq: int) -> str | None:
        data = self.source_bytes(seq)
        return decode_source(data) if data is not None else None

    def verify(self, expect_head: str | None = None) -> ChainReport:
        """Recompute the whole chain from the stored rows; name the first broken entry.
        `expect_head`, a head hash noted earlier (outside the database), must still be in the
        chain: that catches the one edit a chain cannot, cutting entries off its end."""
        with self._reading() as conn:
            return verify_chain(conn, expect_head)


def default_recorded_by() -> str:
    """The OS user running the command line, else "cli"."""
    import getpass

    try:
        return getpass.getuser() or "cli"
    except (OSError, KeyError):
        return "cli"
