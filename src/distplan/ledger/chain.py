"""The hash chain: canonical JSON and the hash of one entry.

An entry's hash covers every stored column (the payload text itself, the source through its
sha256) and the previous entry's hash, so editing or deleting any stored entry breaks the
chain at that entry or the next one. Scheme 1 (the first ledgers) left `payload_sha256` out;
scheme 2 covers it, who recorded the entry, the kept source bytes and the scheme number. Each entry names its
scheme, so a ledger begun under scheme 1 stays verifiable.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utc(moment: datetime) -> datetime:
    """Timezone-aware UTC; a naive value (as SQLite returns them) is taken to be UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def timestamp_text(moment: datetime) -> str:
    return utc(moment).isoformat(timespec="microseconds")


HASH_SCHEME = 2


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def entry_hash_v2(
    *, payload_sha256: str, source_bytes: bytes | None, recorded_by: str | None, **common: Any
) -> str:
    """Scheme 2: every column of the entries row but the hash itself (`common`: the arguments
    of `entry_hash`)."""
    material = {
        **_scheme_1_fields(**common),
        "hash_scheme": 2,
        "payload_sha256": payload_sha256,
        "source_bytes_sha256": sha256_bytes(source_bytes) if source_bytes is not None else None,
        "recorded_by": recorded_by,
    }
    return sha256_text(canonical_json(material))


def entry_hash(**fields: Any) -> str:
    """Scheme 1, kept to verify entries written under it."""
    return sha256_text(canonical_json(_scheme_1_fields(**fields)))


def _scheme_1_fields(
    *,
    seq: int,
    kind: str,
    plan_id: int | None,
    effective_date: date | None,
    recorded_at: datetime,
    payload: str,
    source_sha256: str | None,
    source_text: str | None,
    target_seq: int | None,
    prev_hash: str,
) -> dict[str, Any]:
    return {
        "seq": seq,
        "kind": kind,
        "plan_id": plan_id,
        "effective_date": effective_date.isoformat() if effective_date else None,
        "recorded_at": timestamp_text(recorded_at),
        "payload": payload,
        "source_sha256": source_sha256,
        "source_text_sha256": sha256_text(source_text) if source_text is not None else None,
        "target_seq": target_seq,
        "prev_hash": prev_hash,
    }
