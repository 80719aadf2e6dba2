"""Verify a ledger: recompute every entry's hash from its stored columns, in seq order.

What a hash chain cannot see by itself is entries cut off its end (or all of them): a plan
left with no instrument is caught here, anything else needs a head hash noted outside the
database (`expect_head`, see docs/history.md "Keeping the head elsewhere").
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from distplan.errors import InputError
from distplan.ledger.chain import (
    GENESIS,
    HASH_SCHEME,
    canonical_json,
    entry_hash,
    entry_hash_v2,
    sha256_bytes,
    sha256_text,
)
from distplan.ledger.identity import content_sha256, decode_source, source_sha256
from distplan.ledger.plankey import plan_classes, plan_key, plan_title
from distplan.ledger.records import KIND_INSTRUMENT, ChainReport
from distplan.ledger.schema import entries as T
from distplan.ledger.schema import plans as P
from distplan.model import instrument_from_json


def verify_chain(conn: Connection, expect_head: str | None = None) -> ChainReport:
    """The whole chain, naming the first broken entry. `expect_head`, a head hash noted
    earlier, must still be in the chain."""
    prev = GENESIS
    count = 0
    scheme = 1
    seen_expected = expect_head is None
    plans = {p.id: p for p in conn.execute(select(P)).all()}
    for plan in plans.values():
        if plan.key != plan_key(plan.title, tuple((plan.share_class or "").split(", "))):
            return ChainReport(False, 0, None, problem=f"plan {plan.id}: key does not match its title")
    with_instruments: set[int] = set()
    for row in conn.execute(select(T).order_by(T.c.seq)).yield_per(200):
        count += 1
        problem = _check_scheme(row, scheme) or _check(row, count, prev) or _check_plan(row, plans)
        if problem is not None:
            return ChainReport(False, count, prev, first_broken=row.seq, problem=problem)
        scheme = row.hash_scheme
        prev = row.hash
        seen_expected = seen_expected or row.hash == expect_head
        if row.kind == KIND_INSTRUMENT and row.plan_id is not None:
            with_instruments.add(row.plan_id)
    head = prev if count else None
    orphans = sorted(set(plans) - with_instruments)
    if orphans:
        why = (
            f"plan {orphans[0]} has no instrument entries: entries were removed "
            "(a plan is only ever created with its first instrument)"
        )
        return ChainReport(False, count, head, problem=why)
    if not seen_expected:
        why = f"no entry has the expected head hash {expect_head}: entries were removed or rewritten"
        return ChainReport(False, count, head, problem=why)
    return ChainReport(True, count, head)


def _check_scheme(row: Any, previous: int) -> str | None:
    if row.hash_scheme not in (1, HASH_SCHEME):
        return f"entry {row.seq}: unknown hash scheme {row.hash_scheme}"
    if row.hash_scheme < previous:
        return f"entry {row.seq}: hash scheme {row.hash_scheme} after scheme {previous} entries"
    return None


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
    common = {
        "seq": row.seq,
        "kind": row.kind,
        "plan_id": row.plan_id,
        "effective_date": row.effective_date,
        "recorded_at": row.recorded_at,
        "payload": row.payload,
        "source_sha256": row.source_sha256,
        "source_text": row.source_text,
        "target_seq": row.target_seq,
        "prev_hash": row.prev_hash,
    }
    if row.hash_scheme == 1:
        expected = entry_hash(**common)
    else:
        expected = entry_hash_v2(
            payload_sha256=row.payload_sha256,
            source_bytes=row.source_bytes,
            recorded_by=row.recorded_by,
            **common,
        )
    if expected != row.hash:
        return f"entry {row.seq}: content does not match its hash"
    return _check_derived(row, payload) if row.hash_scheme >= 2 else None


def _check_derived(row: Any, payload: Any) -> str | None:
    """Scheme 2: the identity columns duplicate detection relies on match what they hash."""
    instrument = row.kind == KIND_INSTRUMENT
    if instrument and isinstance(payload, dict):
        expected = content_sha256(payload)
    else:
        expected = sha256_text(row.payload)
    if row.payload_sha256 != expected:
        return f"entry {row.seq}: payload_sha256 does not match its payload"
    if row.source_bytes is not None:
        data = bytes(row.source_bytes)
        source = source_sha256(decode_source(data)) if instrument else sha256_bytes(data)
        if row.source_sha256 != source:
            return f"entry {row.seq}: source_sha256 does not match its source"
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
