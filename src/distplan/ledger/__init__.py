"""The plan history store: a bitemporal, append-only, hash-chained ledger (SQLite or PostgreSQL).

ledger = Ledger.open("sqlite:///./distplan.db")      # creates/migrates (create=False: must exist)
ledger.record(instrument, text, recorded_at=now)      # idempotent by content
ledger.entries(known_at=5)                            # what was known at seq 5
ledger.verify()                                       # recompute the hash chain
"""

from __future__ import annotations

from distplan.ledger.engine import DEFAULT_URL, ENV_URL, resolve_url
from distplan.ledger.recordable import check_recordable
from distplan.ledger.records import (
    ENTRY_KINDS,
    KIND_DEALERS,
    KIND_GOVERNANCE,
    KIND_INSTRUMENT,
    KIND_TERMS,
    KIND_VOID,
    ChainReport,
    Entry,
    Plan,
    RecordResult,
)
from distplan.ledger.store import Ledger, Pending

__all__ = [
    "DEFAULT_URL",
    "ENTRY_KINDS",
    "ENV_URL",
    "KIND_DEALERS",
    "KIND_GOVERNANCE",
    "KIND_INSTRUMENT",
    "KIND_TERMS",
    "KIND_VOID",
    "ChainReport",
    "Entry",
    "Ledger",
    "Pending",
    "Plan",
    "RecordResult",
    "check_recordable",
    "resolve_url",
]
