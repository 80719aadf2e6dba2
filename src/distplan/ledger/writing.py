"""Appending to the chain: one row after the head, hashed over every stored column
(scheme 2), and recording an instrument unless the ledger already holds it."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from distplan.errors import InputError
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
from distplan.ledger.pending import Pending, utf8
from distplan.ledger.plans import plan_for
from distplan.ledger.records import KIND_INSTRUMENT, KIND_VOID, Entry, Plan, RecordResult
from distplan.ledger.schema import entries as T
from distplan.model import instrument_to_json


def record_one(
    conn: Connection,
    item: Pending,
    recorded_at: datetime,
    chosen: Plan | None,
    *,
    legacy_present: bool,
    recorded_by: str,
    exact_time: bool,
) -> RecordResult:
    """Record one instrument unless the ledger holds the same source text or content."""
    inst = item.instrument
    payload = instrument_to_json(inst)
    content = content_sha256(payload)
    data = item.stored_bytes()
    source = source_sha256(decode_source(data))
    plan, created = plan_for(conn, inst, item.where, chosen)
    voided = select(T.c.target_seq).where(T.c.kind == KIND_VOID, T.c.target_seq.is_not(None))
    live = (T.c.kind == KIND_INSTRUMENT) & T.c.seq.not_in(voided)
    current, legacy = T.c.hash_scheme >= 2, T.c.hash_scheme == 1
    # Scheme-1 entries stored the file's sha256 and a content hash with the claimed source
    # sha256 in it; compare them on their own terms.
    same_source = or_(
        and_(current, T.c.source_sha256 == source), and_(legacy, T.c.source_sha256 == sha256_bytes(data))
    )
    same_content = and_(current, T.c.payload_sha256 == content)
    if legacy_present:
        same_content = or_(same_content, and_(legacy, T.c.payload_sha256 == legacy_content_sha256(payload)))
    for reason, same in (("same source text", same_source), ("same content", same_content)):
        dup = conn.execute(select(T.c.seq).where(live, same).order_by(T.c.seq).limit(1)).scalar()
        if dup is not None:
            return RecordResult(item.where, plan, None, dup, reason, created)
    entry = insert_entry(
        conn,
        kind=KIND_INSTRUMENT,
        plan_id=plan.id,
        effective_date=inst.effective_date,
        recorded_at=recorded_at,
        payload=payload,
        payload_hash=content,
        source_sha256=source,
        source_bytes=data,
        recorded_by=recorded_by,
        exact_time=exact_time,
    )
    return RecordResult(item.where, plan, entry, None, None, created)


def insert_entry(
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
    recorded_by: str,
    exact_time: bool,
) -> Entry:
    """Append one row to the chain: the next seq, the previous hash, this entry's hash."""
    if recorded_at.tzinfo is None:
        raise ValueError("recorded_at must be timezone-aware")
    head = conn.execute(select(T.c.seq, T.c.hash, T.c.recorded_at).order_by(T.c.seq.desc()).limit(1)).first()
    seq = head.seq + 1 if head is not None else 1
    prev = head.hash if head is not None else GENESIS
    # recorded_at never runs backwards along the chain (a slower clock in another process
    # is moved up to the last entry's), so "known at T" is always a prefix of the chain.
    # A time the user chose (`transaction(exact_time=True)`) is refused instead.
    at = utc(recorded_at)
    if head is not None and utc(head.recorded_at) > at:
        if exact_time:
            raise InputError(
                f"--recorded-at {at.isoformat()}: before entry {head.seq}'s recording time "
                f"({utc(head.recorded_at).isoformat()}); the ledger's recording time never runs backwards"
            )
        at = utc(head.recorded_at)
    text = canonical_json(payload)
    utf8(text, f"{kind} entry")
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
        recorded_by=recorded_by,
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
            recorded_by=recorded_by,
            hash_scheme=HASH_SCHEME,
        )
    )
    return Entry(
        seq, kind, plan_id, effective_date, at, json.loads(text), source_sha256, prev, digest, target_seq
    )
