"""The ledger's records: entries, plans and the results of recording and verifying.

Pure data; the store (store.py) builds them and history.py folds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from distplan.model import Instrument, instrument_from_json

# Entry kinds. "governance" is appended by the compliance stage (approvals, board reports).
KIND_INSTRUMENT = "instrument"
KIND_TERMS = "terms"
KIND_VOID = "void"
KIND_GOVERNANCE = "governance"
KIND_DEALERS = "dealers"  # dealer agreements (fees/agreements.py); not tied to one plan
ENTRY_KINDS: tuple[str, ...] = (KIND_INSTRUMENT, KIND_TERMS, KIND_VOID, KIND_GOVERNANCE, KIND_DEALERS)


@dataclass(frozen=True)
class Plan:
    id: int
    title: str
    share_class: str | None
    key: str

    @property
    def label(self) -> str:
        return f"{self.title} ({self.share_class})" if self.share_class else self.title

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "share_class": self.share_class, "key": self.key}


@dataclass(frozen=True)
class Entry:
    """One append-only ledger entry. `payload` is the decoded canonical JSON; the full source
    text is not loaded here (see `Ledger.source_text`)."""

    seq: int
    kind: str
    plan_id: int | None
    effective_date: date | None
    recorded_at: datetime
    payload: dict[str, Any] = field(compare=False)
    source_sha256: str | None
    prev_hash: str
    hash: str
    target_seq: int | None = None

    @cached_property
    def instrument(self) -> Instrument:
        """The recorded instrument (only for kind "instrument"); decoded once per entry."""
        if self.kind != KIND_INSTRUMENT:
            raise ValueError(f"entry {self.seq} is a {self.kind} entry, not an instrument")
        return instrument_from_json(self.payload, where=f"entry {self.seq}")

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "kind": self.kind,
            "plan_id": self.plan_id,
            "effective_date": self.effective_date.isoformat() if self.effective_date else None,
            "recorded_at": self.recorded_at.isoformat(),
            "source_sha256": self.source_sha256,
            "target_seq": self.target_seq,
            "hash": self.hash,
        }


@dataclass(frozen=True)
class RecordResult:
    """What recording one instrument did: a new entry, or the entry it duplicates."""

    path: str
    plan: Plan
    entry: Entry | None
    duplicate_of: int | None = None
    duplicate_reason: str | None = None
    plan_created: bool = False

    @property
    def recorded(self) -> bool:
        return self.entry is not None


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    head: str | None
    first_broken: int | None = None
    problem: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "entries": self.entries,
            "head": self.head,
            "first_broken": self.first_broken,
            "problem": self.problem,
        }
