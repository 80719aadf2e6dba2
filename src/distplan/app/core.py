"""The core of the Workspace: the ledger it is opened on, its lock and history cache, plans
found by reference (worded for the front end), and the entries as they are."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Self, TypeVar

from distplan import history as H
from distplan.app import writes
from distplan.app.answers import Answers, Head, kept
from distplan.app.errors import NotFound, classify
from distplan.app.results import (
    LedgerRow,
    PlanSummary,
)
from distplan.app.users import Users
from distplan.app.values import FieldNames, KnownAt
from distplan.errors import InputError
from distplan.ledger import KIND_INSTRUMENT, KIND_TERMS, Entry, Ledger, Plan
from distplan.ledger.engine import display_url

PlanRef = str | int | None
T = TypeVar("T")


class Core:
    """A ledger opened for the front ends: serialised calls (`_call`), plans by reference."""

    def __init__(self, ledger: Ledger, names: FieldNames = FieldNames()) -> None:
        self.ledger = ledger
        self.names = names  # what the front end calls the inputs messages name
        self.users = Users(ledger.engine)
        self._lock = threading.RLock()
        self.history_cache = H.HistoryCache()
        self.answers = Answers()  # the questions' answers at the ledger's head (answers.py)
        self._head: Head = (-1, None)

    @classmethod
    def open(cls, url: str | None = None, *, create: bool = True, names: FieldNames = FieldNames()) -> Self:
        """The ledger at `url` (else $DISTPLAN_DATABASE_URL, else ./distplan.db), migrated.
        `create=False`: a missing ledger is an error, not a new one."""
        return cls(Ledger.open(url, create=create), names)

    def close(self) -> None:
        self.ledger.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @property
    def created(self) -> bool:
        """Whether opening the workspace made its ledger."""
        return self.ledger.created

    @property
    def url(self) -> str:
        return display_url(self.ledger.url)

    @contextmanager
    def _call(self) -> Iterator[None]:
        """One call: under the lock, the stages' InputErrors turned into ours."""
        with self._lock:
            try:
                yield
            except InputError as exc:
                raise classify(exc) from None

    def _kept(self, key: Hashable, work: Callable[[], T]) -> T:
        """`work()`'s answer, or the one kept for `key` if the ledger's head has not moved
        since (checked now: a write by another process is seen by the next call)."""
        with self._call():
            if self.ledger.in_transaction:  # uncommitted entries may yet roll back
                return work()
            seq = self.ledger.head_seq()
            if seq != self._head[0]:
                self._head = self.ledger.head()
            return self.answers.get(self._head, key, work)

    # --- plans and entries --------------------------------------------------------------

    @kept
    def plans(self) -> list[PlanSummary]:
        with self._call():
            found = self.ledger.plans()
            entries = self.ledger.entries(kinds=[KIND_INSTRUMENT])
        return [PlanSummary(p, sum(1 for e in entries if e.plan_id == p.id)) for p in found]

    def plan(self, ref: PlanRef) -> Plan:
        """A plan by id or a unique part of its name; None when the ledger has one plan."""
        with self._call():
            return self._plan(ref)

    def _plan(self, ref: PlanRef) -> Plan:
        try:
            return self.ledger.resolve_plan(
                None if ref is None else str(ref), self.names.plan, self.names.how_to_record
            )
        except InputError as exc:
            found = classify(exc)
            raise type(found)(str(found), "plan") from None

    def head_seq(self) -> int:
        with self._call():
            return self.ledger.head_seq()

    def head(self) -> tuple[int, str | None]:
        """The last entry's seq and hash (to keep outside the database, docs/history.md)."""
        with self._call():
            return self.ledger.head()

    def _read(self, ref: PlanRef, known_at: KnownAt) -> tuple[list[Entry], Plan]:
        plan = self._plan(ref)
        return self.ledger.entries(known_at=known_at), plan

    def entry(self, seq: int) -> Entry:
        with self._call():
            if seq < 1 or seq > self.ledger.head_seq():
                raise NotFound(f"entry {seq}: no such entry", "seq")
            return self.ledger.entry(seq)

    def source_text(self, seq: int) -> str | None:
        self.entry(seq)
        with self._call():
            return self.ledger.source_text(seq)

    @kept
    def ledger_rows(self, as_of: date) -> list[LedgerRow]:
        """Every entry, newest first, with its plan, who recorded it and its status on `as_of`."""
        with self._call():
            entries = self.ledger.entries()
            plans = {p.id: p for p in self.ledger.plans()}
            status: dict[int, str] = {}
            for plan in plans.values():
                for it in H.history(entries, plan, as_of, cache=self.history_cache):
                    status[it.seq] = it.status
            authors = writes.recorded_by(self.ledger, [e.seq for e in entries])
        rows = []
        for e in reversed(entries):
            label = entry_label(e)
            rows.append(
                LedgerRow(
                    e,
                    label,
                    plans.get(e.plan_id) if e.plan_id is not None else None,
                    authors.get(e.seq),
                    status.get(e.seq) if e.kind in (KIND_INSTRUMENT, KIND_TERMS) else None,
                )
            )
        return rows

    @kept
    def entry_labels(self) -> list[tuple[Entry, str]]:
        """Every entry, newest first, with its label: what a known-at selector lists (no
        status, so cheap enough for every page)."""
        with self._call():
            return [(e, entry_label(e)) for e in reversed(self.ledger.entries())]


def entry_label(e: Entry) -> str:
    return H.instrument_label(e) if e.kind == KIND_INSTRUMENT else f"{e.kind} (seq {e.seq})"
