"""The ledger store: append entries under a lock, read them back as of a known-at point.

Nothing here UPDATEs or DELETEs; a correction is a new entry (a void). Time is an argument:
every write takes `recorded_at` from the caller. A command's writes go in one transaction
(`Ledger.transaction`), so a command that fails half-way leaves nothing behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, or_, select
from sqlalchemy.exc import DBAPIError

from distplan.errors import InputError
from distplan.ledger import engine as db
from distplan.ledger.chain import (
    GENESIS,
    HASH_SCHEME,
    canonical_json,
    entry_hash_v2,
    sha256_bytes,
    sha256_text,
    utc,
)
from distplan.ledger.identity import content_sha256, decode_source, legacy_content_sha256, source_sha256
from distplan.ledger.plankey import plan_classes, plan_key, plan_title, title_key
from distplan.ledger.recordable import check_recordable
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
from distplan.model import Instrument, fold_name, instrument_to_json
from distplan.validation import check_seq, validate_instrument

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


@dataclass(frozen=True)
class Pending:
    """One instrument ready to record, with the text it came from (and, from a file, its
    bytes, kept exactly)."""

    instrument: Instrument
    source_text: str
    path: str | None = None  # the file it was read from, for messages (else the source path)
    source_bytes: bytes | None = None

    @property
    def where(self) -> str:
        return self.path or self.instrument.source.path

    def stored_bytes(self) -> bytes:
        if self.source_bytes is not None:
            return self.source_bytes
        return _utf8(self.source_text, self.where)


def check_pending(items: Sequence[Pending], *, force: bool) -> None:
    """Everything that can refuse an instrument without the database (before it is opened)."""
    for item in items:
        validate_instrument(item.instrument, item.where)
        check_recordable(item.instrument, force=force, where=item.where)
        item.stored_bytes()  # encodable


def _utf8(text: str, where: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            f"{where}: contains a lone surrogate (a \\ud800-style escape); not recorded"
        ) from None


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
        self._cache: dict[int, Entry] = {}
        self._index: list[_Meta] = []
        self._seen = 0

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

    def resolve_plan(self, ref: str | None) -> Plan:
        """A plan by id or a unique part of its name; None when the ledger has one plan."""
        plans = self.plans()
        if not plans:
            raise InputError("the ledger has no plans yet; record an instrument first (distplan record FILE)")
        if ref is None or not ref.strip():
            if len(plans) == 1:
                return plans[0]
            names = "; ".join(f"{p.id}: {p.label}" for p in plans)
            raise InputError(f"the ledger has {len(plans)} plans; choose one with --plan ({names})")
        ref = ref.strip()
        if ref.isdigit():
            for plan in plans:
                if plan.id == int(ref):
                    return plan
            raise InputError(f"--plan {ref}: no plan with that id")
        needle = fold_name(ref)
        hits = [p for p in plans if needle in fold_name(p.label) or needle in p.key]
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise InputError(f"--plan {ref!r}: no plan's name contains it")
        names = "; ".join(f"{p.id}: {p.label}" for p in hits)
        raise InputError(f"--plan {ref!r}: matches {len(hits)} plans ({names}); give an id")

    def _plan_for(
        self, conn: Connection, inst: Instrument, where: str, chosen: Plan | None
    ) -> tuple[Plan, bool]:
        title, classes = plan_title(inst), plan_classes(inst)
        key = plan_key(title, classes)
        if chosen is not None and chosen.key != key:
            # A plan is what the instrument names (verify checks exactly that): --plan can
            # confirm it, never move an instrument to another plan.
            named = f"{title} ({', '.join(classes)})" if classes else title
            raise InputError(
                f"{where}: names the plan {named!r}, not --plan {chosen.id} ({chosen.label}); "
                "leave out --plan to record it under its own plan, or correct its plan title"
            )
        row = conn.execute(select(P).where(P.c.key == key)).first()
        if row is not None:
            return Plan(row.id, row.title, row.share_class, row.key), False
        if not title_key(title):
            raise InputError(f"{where}: names no plan (no plan title and no document title)")
        next_id = (conn.execute(select(func.max(P.c.id))).scalar() or 0) + 1
        share_class = ", ".join(classes) or None
        conn.execute(P.insert().values(id=next_id, title=title, share_class=share_class, key=key))
        return Plan(next_id, title, share_class, key), True

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
                results.append(self._record_one(conn, item, recorded_at, plan))
                if progress is not None:
                    progress(1)
        return results

    def _record_one(
        self, conn: Connection, item: Pending, recorded_at: datetime, chosen: Plan | None
    ) -> RecordResult:
        inst = item.instrument
        payload = instrument_to_json(inst)
        content = content_sha256(payload)
        data = item.stored_bytes()
        source = source_sha256(decode_source(data))
        plan, created = self._plan_for(conn, inst, item.where, chosen)
        voided = select(T.c.target_seq).where(T.c.kind == KIND_VOID, T.c.target_seq.is_not(None))
        live = (T.c.kind == KIND_INSTRUMENT) & T.c.seq.not_in(voided)
        current, legacy = T.c.hash_scheme >= 2, T.c.hash_scheme == 1
        # Scheme-1 entries stored the file's sha256 and a content hash with the claimed source
        # sha256 in it; compare them on their own terms.
        same_source = or_(
            and_(current, T.c.source_sha256 == source), and_(legacy, T.c.source_sha256 == sha256_bytes(data))
        )
        same_content = and_(current, T.c.payload_sha256 == content)
        if self._has_legacy(conn):
            same_content = or_(
                same_content, and_(legacy, T.c.payload_sha256 == legacy_content_sha256(payload))
            )
        for reason, same in (("same source text", same_source), ("same content", same_content)):
            dup = conn.execute(select(T.c.seq).where(live, same).order_by(T.c.seq).limit(1)).scalar()
            if dup is not None:
                return RecordResult(item.where, plan, None, dup, reason, created)
        entry = self._insert(
            conn,
            kind=KIND_INSTRUMENT,
            plan_id=plan.id,
            effective_date=inst.effective_date,
            recorded_at=recorded_at,
            payload=payload,
            payload_hash=content,
            source_sha256=source,
            source_bytes=data,
        )
        return RecordResult(item.where, plan, entry, None, None, created)

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
        data = _utf8(source_text, f"{kind} entry") if source_text is not None else None
        with self._writing() as conn:
            if plan_id is not None and conn.execute(select(P.c.id).where(P.c.id == plan_id)).first() is None:
                raise InputError(f"plan {plan_id}: no such plan")
            return self._insert(
                conn,
                kind=kind,
                plan_id=plan_id,
                effective_date=effective_date,
                recorded_at=recorded_at,
                payload=payload,
                payload_hash=None,
                source_sha256=sha256_bytes(data) if data is not None else None,
                source_bytes=data,
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
            return self._insert(
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
            )

    def _insert(
        self,
        conn: Connection,
        *,
        kind: str,
        plan_id: int | None,
        effective_date: date | None,
        recorded_at: datetime,
        payload: dict[str, Any],
        payload_hash: str | None,
        source_sha256: str | None,
        source_bytes: bytes | None,
        target_seq: int | None = None,
    ) -> Entry:
        if recorded_at.tzinfo is None:
            raise ValueError("recorded_at must be timezone-aware")
        head = conn.execute(
            select(T.c.seq, T.c.hash, T.c.recorded_at).order_by(T.c.seq.desc()).limit(1)
        ).first()
        seq = head.seq + 1 if head is not None else 1
        prev = head.hash if head is not None else GENESIS
        # recorded_at never runs backwards along the chain (a slower clock in another process
        # is moved up to the last entry's), so "known at T" is always a prefix of the chain.
        # A time the user chose (`transaction(exact_time=True)`) is refused instead.
        at = utc(recorded_at)
        if head is not None and utc(head.recorded_at) > at:
            if self._exact_time:
                raise InputError(
                    f"--recorded-at {at.isoformat()}: before entry {head.seq}'s recording time "
                    f"({utc(head.recorded_at).isoformat()}); the ledger's recording time never runs backwards"
                )
            at = utc(head.recorded_at)
        text = canonical_json(payload)
        _utf8(text, f"{kind} entry")
        payload_hash = payload_hash or sha256_text(text)
        digest = entry_hash_v2(
            seq=seq,
            kind=kind,
            plan_id=plan_id,
            effective_date=effective_date,
            recorded_at=at,
            payload=text,
            payload_sha256=payload_hash,
            source_sha256=source_sha256,
            source_bytes=source_bytes,
            source_text=None,
            target_seq=target_seq,
            prev_hash=prev,
            recorded_by=self.recorded_by,
        )
        conn.execute(
            T.insert().values(
                seq=seq,
                kind=kind,
                plan_id=plan_id,
                effective_date=effective_date,
                recorded_at=at,
                payload=text,
                payload_sha256=payload_hash,
                source_sha256=source_sha256,
                source_text=None,
                source_bytes=source_bytes,
                target_seq=target_seq,
                prev_hash=prev,
                hash=digest,
                recorded_by=self.recorded_by,
                hash_scheme=HASH_SCHEME,
            )
        )
        return Entry(
            seq, kind, plan_id, effective_date, at, json.loads(text), source_sha256, prev, digest, target_seq
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

    def entry(self, seq: int) -> Entry:
        found = self.entries(known_at=seq)
        if not found or found[-1].seq != seq:
            raise InputError(f"entry {seq}: no such entry")
        return found[-1]

    def head_seq(self) -> int:
        return self.head()[0]

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
