"""The ledger store: append entries under a lock, read them back as of a known-at point.

Nothing here UPDATEs or DELETEs; a correction is a new entry (a void). Time is an argument:
every write takes `recorded_at` from the caller.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import DBAPIError, OperationalError

from distplan.errors import InputError
from distplan.ledger import engine as db
from distplan.ledger.chain import GENESIS, canonical_json, entry_hash, sha256_text, utc
from distplan.ledger.plankey import plan_classes, plan_key, plan_title, title_key
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
from distplan.model import Instrument, fold_name, instrument_from_json, instrument_to_json

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
    """One instrument ready to record, with the text it came from."""

    instrument: Instrument
    source_text: str
    path: str | None = None  # the file it was read from, for messages (else the source path)

    @property
    def where(self) -> str:
        return self.path or self.instrument.source.path


def payload_sha256(payload: dict[str, Any]) -> str:
    """The instrument's content hash, independent of the path it was read from."""
    content = dict(payload)
    source = dict(content.get("source") or {})
    source.pop("path", None)
    content["source"] = source
    return sha256_text(canonical_json(content))


class Ledger:
    """The append-only, hash-chained ledger. Open with `Ledger.open(url)`."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        # Entries never change once written, so what was read is kept for the next query
        # (`verify` always reads the stored rows afresh).
        self._cache: dict[int, Entry] = {}
        self._index: list[_Meta] = []
        self._seen = 0
        # Who the entries appended through this Ledger are recorded by (the web app sets
        # the signed-in user per write).
        self.recorded_by = default_recorded_by()

    # --- opening ------------------------------------------------------------------------

    @classmethod
    def open(cls, url: str | None = None) -> Ledger:
        """Open (creating and migrating as needed) the ledger at `url`, else
        $DISTPLAN_DATABASE_URL, else ./distplan.db."""
        url = db.resolve_url(url)
        engine = db.make_engine(url)
        try:
            db.migrate(engine)
        except (OperationalError, DBAPIError) as exc:
            engine.dispose()
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
            raise InputError(f"--db {db.display_url(url)}: cannot open the ledger: {reason}") from None
        return cls(engine, url)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- plans --------------------------------------------------------------------------

    def plans(self) -> list[Plan]:
        with db.read_transaction(self.engine) as conn:
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

    def _plan_for(self, conn: Connection, inst: Instrument, where: str) -> tuple[Plan, bool]:
        title, classes = plan_title(inst), plan_classes(inst)
        key = plan_key(title, classes)
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
        """Record one instrument (idempotent by source sha256 and content hash)."""
        return self.record_many([Pending(inst, source_text)], recorded_at=recorded_at, force=force)[0]

    def record_many(
        self,
        items: Sequence[Pending],
        *,
        recorded_at: datetime,
        force: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> list[RecordResult]:
        """Record several instruments in ONE transaction: all of them or none."""
        for item in items:
            check_recordable(item.instrument, force=force, where=item.where)
        results: list[RecordResult] = []
        with db.write_transaction(self.engine) as conn:
            for item in items:
                results.append(self._record_one(conn, item, recorded_at))
                if progress is not None:
                    progress(1)
        for result in results:
            if result.entry is not None:
                self._cache[result.entry.seq] = result.entry
        return results

    def _record_one(self, conn: Connection, item: Pending, recorded_at: datetime) -> RecordResult:
        inst = item.instrument
        payload = instrument_to_json(inst)
        content_hash = payload_sha256(payload)
        source_sha = inst.source.sha256 or sha256_text(item.source_text)
        plan, created = self._plan_for(conn, inst, item.where)
        voided = select(T.c.target_seq).where(T.c.kind == KIND_VOID, T.c.target_seq.is_not(None))
        live = (T.c.kind == KIND_INSTRUMENT) & T.c.seq.not_in(voided)
        dup = conn.execute(
            select(T.c.seq).where(live, T.c.source_sha256 == source_sha).order_by(T.c.seq).limit(1)
        ).scalar()
        reason = "same source sha256"
        if dup is None:
            dup = conn.execute(
                select(T.c.seq).where(live, T.c.payload_sha256 == content_hash).order_by(T.c.seq).limit(1)
            ).scalar()
            reason = "same content"
        if dup is not None:
            return RecordResult(item.where, plan, None, dup, reason, created)
        entry = self._insert(
            conn,
            kind=KIND_INSTRUMENT,
            plan_id=plan.id,
            effective_date=inst.effective_date,
            recorded_at=recorded_at,
            payload=payload,
            payload_hash=content_hash,
            source_sha256=source_sha,
            source_text=item.source_text,
        )
        return RecordResult(item.where, plan, entry, None, None, created)

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
        """Append one generic fact (terms, governance, ...) in its own transaction."""
        if kind not in ENTRY_KINDS or kind in (KIND_INSTRUMENT, KIND_VOID):
            raise InputError(f"entry kind {kind!r}: use record() for instruments and void() for voids")
        with db.write_transaction(self.engine) as conn:
            if plan_id is not None and conn.execute(select(P.c.id).where(P.c.id == plan_id)).first() is None:
                raise InputError(f"plan {plan_id}: no such plan")
            entry = self._insert(
                conn,
                kind=kind,
                plan_id=plan_id,
                effective_date=effective_date,
                recorded_at=recorded_at,
                payload=payload,
                payload_hash=sha256_text(canonical_json(payload)),
                source_sha256=sha256_text(source_text) if source_text is not None else None,
                source_text=source_text,
            )
        self._cache[entry.seq] = entry
        return entry

    def void(self, target: int, reason: str, *, recorded_at: datetime) -> Entry:
        """Void an entry: a new entry that makes history ignore the target from now on."""
        if not reason.strip():
            raise InputError("--reason: say why the entry is void")
        with db.write_transaction(self.engine) as conn:
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
            payload = {"target": target, "reason": reason.strip()}
            entry = self._insert(
                conn,
                kind=KIND_VOID,
                plan_id=row.plan_id,
                effective_date=None,
                recorded_at=recorded_at,
                payload=payload,
                payload_hash=sha256_text(canonical_json(payload)),
                source_sha256=None,
                source_text=None,
                target_seq=target,
            )
        self._cache[entry.seq] = entry
        return entry

    def _insert(
        self,
        conn: Connection,
        *,
        kind: str,
        plan_id: int | None,
        effective_date: date | None,
        recorded_at: datetime,
        payload: dict[str, Any],
        payload_hash: str,
        source_sha256: str | None,
        source_text: str | None,
        target_seq: int | None = None,
    ) -> Entry:
        if recorded_at.tzinfo is None:
            raise ValueError("recorded_at must be timezone-aware")
        head = conn.execute(
            select(T.c.seq, T.c.hash, T.c.recorded_at).order_by(T.c.seq.desc()).limit(1)
        ).first()
        seq = head.seq + 1 if head is not None else 1
        prev = head.hash if head is not None else GENESIS
        # recorded_at never runs backwards along the chain (a slower clock in another
        # process), so "known at T" is always a prefix of the chain.
        at = utc(recorded_at)
        if head is not None and utc(head.recorded_at) > at:
            at = utc(head.recorded_at)
        text = canonical_json(payload)
        digest = entry_hash(
            seq=seq,
            kind=kind,
            plan_id=plan_id,
            effective_date=effective_date,
            recorded_at=at,
            payload=text,
            source_sha256=source_sha256,
            source_text=source_text,
            target_seq=target_seq,
            prev_hash=prev,
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
                source_text=source_text,
                target_seq=target_seq,
                prev_hash=prev,
                hash=digest,
                recorded_by=self.recorded_by,
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
        with db.read_transaction(self.engine) as conn:
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
        with db.read_transaction(self.engine) as conn:
            return int(conn.execute(select(func.coalesce(func.max(T.c.seq), 0))).scalar() or 0)

    def source_text(self, seq: int) -> str | None:
        with db.read_transaction(self.engine) as conn:
            return conn.execute(select(T.c.source_text).where(T.c.seq == seq)).scalar()

    def verify(self, expect_head: str | None = None) -> ChainReport:
        """Recompute the whole chain from the stored rows; name the first broken entry.
        `expect_head`, a head hash noted earlier (outside the database), must still be in the
        chain: that catches the one edit a chain cannot, cutting entries off its end."""
        prev = GENESIS
        count = 0
        seen_expected = expect_head is None
        with db.read_transaction(self.engine) as conn:
            plans = {p.id: p for p in conn.execute(select(P)).all()}
            for plan in plans.values():
                if plan.key != plan_key(plan.title, tuple((plan.share_class or "").split(", "))):
                    return ChainReport(
                        False, 0, None, problem=f"plan {plan.id}: key does not match its title"
                    )
            rows = conn.execute(select(T).order_by(T.c.seq)).yield_per(200)
            for row in rows:
                count += 1
                problem = _check(row, count, prev) or _check_plan(row, plans)
                if problem is not None:
                    return ChainReport(False, count, prev, first_broken=row.seq, problem=problem)
                prev = row.hash
                seen_expected = seen_expected or row.hash == expect_head
            if not seen_expected:
                why = f"no entry has the expected head hash {expect_head}: entries were removed or rewritten"
                return ChainReport(False, count, prev if count else None, problem=why)
        return ChainReport(True, count, prev if count else None)


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


def _check(row: Any, position: int, prev: str) -> str | None:
    if row.seq != position:
        return f"sequence gap: expected entry {position}, found {row.seq}"
    if row.prev_hash != prev:
        return f"entry {row.seq}: prev_hash does not match entry {row.seq - 1}'s hash"
    try:
        payload = json.loads(row.payload)
    except ValueError:
        return f"entry {row.seq}: payload is not JSON"
    if canonical_json(payload) != row.payload:
        return f"entry {row.seq}: payload is not in canonical form"
    expected = entry_hash(
        seq=row.seq,
        kind=row.kind,
        plan_id=row.plan_id,
        effective_date=row.effective_date,
        recorded_at=row.recorded_at,
        payload=row.payload,
        source_sha256=row.source_sha256,
        source_text=row.source_text,
        target_seq=row.target_seq,
        prev_hash=row.prev_hash,
    )
    if expected != row.hash:
        return f"entry {row.seq}: content does not match its hash"
    return None


def _check_plan(row: Any, plans: dict[int, Any]) -> str | None:
    """The plans table is not chained itself; each instrument's (chained) payload names its
    plan, so a plan row edited behind distplan's back no longer matches."""
    if row.plan_id is not None and row.plan_id not in plans:
        return f"entry {row.seq}: names plan {row.plan_id}, which does not exist"
    if row.kind != KIND_INSTRUMENT:
        return None
    if row.plan_id is None:
        return f"entry {row.seq}: an instrument with no plan"
    try:
        inst = instrument_from_json(json.loads(row.payload), where=f"entry {row.seq}")
    except InputError as exc:
        return f"entry {row.seq}: payload is not an instrument ({exc})"
    if plan_key(plan_title(inst), plan_classes(inst)) != plans[row.plan_id].key:
        return f"entry {row.seq}: its instrument does not belong to plan {row.plan_id} as now stored"
    return None


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


def check_recordable(inst: Instrument, *, force: bool, where: str | None = None) -> None:
    """Extraction errors (and a missing effective date) block recording unless forced."""
    if force:
        return
    where = where or inst.source.path
    if inst.errors:
        first = inst.errors[0]
        line = f"line {first.line}: " if first.line else ""
        more = f" (and {len(inst.errors) - 1} more)" if len(inst.errors) > 1 else ""
        raise InputError(f"{where}: {line}{first.message}{more}; not recorded (--force to record anyway)")
    if inst.effective_date is None:
        raise InputError(f"{where}: no effective date found; not recorded (--force to record anyway)")
