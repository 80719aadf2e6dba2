"""The Workspace's writes: filed documents, instrument JSON, governance files, plan terms,
voids and dealer agreements (app/recording.py and app/writes.py do the work)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from distplan.app import recording, writes
from distplan.app.core import Core, PlanRef
from distplan.app.results import (
    RecordOutcome,
)
from distplan.app.values import KnownAt
from distplan.ledger import Entry, Pending, Plan
from distplan.model import instrument_from_json


class Writing(Core):
    # --- writing ------------------------------------------------------------------------

    def record(
        self,
        uploads: list[recording.Upload],
        *,
        recorded_at: datetime,
        recorded_by: str,
        plan_ref: PlanRef = None,
        force: bool = False,
    ) -> RecordOutcome:
        """Record filed documents, instrument JSON and governance files, all read and checked
        before any write, in one transaction."""
        with self._call():
            instruments, facts = recording.read_uploads(uploads)
        how = recording.Recording(
            recorded_at, recorded_by, None if plan_ref is None else str(plan_ref), force, names=self.names
        )
        return self.record_read(instruments, facts, how)

    def record_read(
        self,
        instruments: list[Pending],
        facts: list[recording.Governance],
        how: recording.Recording,
        progress: Callable[[int], None] | None = None,
    ) -> RecordOutcome:
        """Record inputs a front end has read (the CLI reads files itself: a full EDGAR
        submission's exhibits, its messages naming the file)."""
        with self._call():
            return recording.record(
                self.ledger,
                instruments,
                facts,
                how,
                resolve=self._plan,
                cache=self.history_cache,
                progress=progress,
            )

    def record_reviewed(
        self,
        instrument_json: Any,
        source_text: str,
        *,
        name: str,
        recorded_at: datetime,
        recorded_by: str,
        force: bool = False,
    ) -> RecordOutcome:
        """Record an instrument as a person reviewed (and perhaps edited) it, keeping the
        original filing's text as its source."""
        with self._call():
            item = Pending(instrument_from_json(instrument_json, where=name), source_text, name)
        how = recording.Recording(recorded_at, recorded_by, force=force, names=self.names)
        return self.record_read([item], [], how)

    def set_terms(
        self,
        ref: PlanRef,
        *,
        effective: date,
        source: str,
        rates: dict[str, Decimal | None],
        fund: str | None,
        share_class: str | None,
        recorded_at: datetime,
        recorded_by: str,
        exact_time: bool = False,
    ) -> tuple[Entry, Plan, list[str]]:
        with self._call():
            plan = self._plan(ref)
            return writes.set_terms(
                self.ledger,
                plan,
                effective=effective,
                source=source,
                rates=rates,
                fund=fund,
                share_class=share_class,
                recorded_at=recorded_at,
                recorded_by=recorded_by,
                names=self.names,
                exact_time=exact_time,
            )

    def record_dealers(
        self, upload: recording.Upload, *, recorded_at: datetime, recorded_by: str
    ) -> tuple[Entry | None, list[str]]:
        """Record a dealer agreements file (validated before any write)."""
        with self._call():
            return writes.record_dealers(
                self.ledger, upload, recorded_at=recorded_at, recorded_by=recorded_by
            )

    def dealers(self, known_at: KnownAt = None) -> list[Any]:
        """The dealers and their agreements, as known at a moment (None: now)."""
        from distplan.fees.agreements import dealers_from_entries
        from distplan.ledger import KIND_DEALERS, KIND_VOID

        with self._call():
            return dealers_from_entries(
                self.ledger.entries(known_at=known_at, kinds=[KIND_DEALERS, KIND_VOID])
            )

    def void(
        self, seq: int, reason: str, *, recorded_at: datetime, recorded_by: str, exact_time: bool = False
    ) -> Entry:
        with self._call():
            return writes.void(
                self.ledger,
                seq,
                reason,
                recorded_at=recorded_at,
                recorded_by=recorded_by,
                exact_time=exact_time,
            )
