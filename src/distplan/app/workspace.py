"""The Workspace: one ledger opened on a URL, and every question and write a front end asks of
it. The CLI and the web app both go through it; it returns typed results (results.py) and
raises NotFound / Invalid / Conflict with messages about the data.

One Workspace is safe to share between threads (a web server's workers): calls are
serialised on one lock. It owns the ledger's HistoryCache (one per opened ledger: entry seqs
are unique only within one). The Ledger reads only entries past the last one it saw, so a
write by another process is seen by the next call; the cache keys on the entries read (their
seqs and the last one's hash), so it follows.
Time is an argument: nothing here reads the clock (`recorded_at`, `as_of` come from the caller).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from distplan import history as H
from distplan.app import checks, money, recording, writes
from distplan.app.errors import Invalid, NotFound, classify
from distplan.app.paging import page_of
from distplan.app.results import (
    CoverageView,
    DiffView,
    HistoryView,
    LedgerRow,
    PlanSummary,
    RecordOutcome,
    ScheduleView,
    TimelineView,
)
from distplan.app.users import Users
from distplan.app.values import FieldNames, KnownAt, known_at_json
from distplan.errors import InputError
from distplan.ledger import KIND_INSTRUMENT, KIND_TERMS, ChainReport, Entry, Ledger, Pending, Plan
from distplan.ledger.engine import display_url
from distplan.model import Instrument, instrument_from_json

PlanRef = str | int | None


class Workspace:
    def __init__(self, ledger: Ledger, names: FieldNames = FieldNames()) -> None:
        self.ledger = ledger
        self.names = names  # what the front end calls the inputs messages name
        self.users = Users(ledger.engine)
        self._lock = threading.RLock()
        self.history_cache = H.HistoryCache()

    @classmethod
    def open(
        cls, url: str | None = None, *, create: bool = True, names: FieldNames = FieldNames()
    ) -> Workspace:
        """The ledger at `url` (else $DISTPLAN_DATABASE_URL, else ./distplan.db), migrated.
        `create=False`: a missing ledger is an error, not a new one."""
        return cls(Ledger.open(url, create=create), names)

    def close(self) -> None:
        self.ledger.close()

    def __enter__(self) -> Workspace:
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

    # --- plans and entries --------------------------------------------------------------

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

    def entry_labels(self) -> list[tuple[Entry, str]]:
        """Every entry, newest first, with its label: what a known-at selector lists (no
        status, so cheap enough for every page)."""
        with self._call():
            return [(e, entry_label(e)) for e in reversed(self.ledger.entries())]

    # --- the plan's history -------------------------------------------------------------

    def schedule(
        self,
        ref: PlanRef,
        as_of: date,
        known_at: KnownAt = None,
        *,
        fund: str | None = None,
        offset: int = 0,
        limit: int | None = None,
    ) -> ScheduleView:
        """The schedule on `as_of`. With `limit` (or `fund`, a part of a fund's name, case and
        punctuation ignored) only that page of rows is in the view, and `page` says where."""
        with self._call():
            entries, plan = self._read(ref, known_at)
            state = H.plan_state(
                entries, plan, as_of, known_at=known_at_json(known_at), cache=self.history_cache
            )
        if limit is None and not fund and not offset:
            return ScheduleView(plan, as_of, known_at, state)
        return page_of(ScheduleView(plan, as_of, known_at, state), fund, offset, limit)

    def diff(self, ref: PlanRef, start: date, end: date, known_at: KnownAt = None) -> DiffView:
        with self._call():
            entries, plan = self._read(ref, known_at)
            return DiffView(plan, known_at, H.diff(entries, plan, start, end, cache=self.history_cache))

    def timeline(
        self, ref: PlanRef, fund: str, share_class: str | None = None, known_at: KnownAt = None
    ) -> TimelineView:
        with self._call():
            entries, plan = self._read(ref, known_at)
            try:
                result = H.timeline(entries, plan, fund, share_class, cache=self.history_cache)
            except InputError as exc:
                raise NotFound(str(exc), "fund") from None
            return TimelineView(plan, known_at, result)

    def history(self, ref: PlanRef, as_of: date, known_at: KnownAt = None) -> HistoryView:
        with self._call():
            entries, plan = self._read(ref, known_at)
            items = H.history(entries, plan, as_of, cache=self.history_cache)
            authors = writes.recorded_by(self.ledger, [it.seq for it in items])
            return HistoryView(
                plan, as_of, known_at, items, H.warnings(entries, plan, cache=self.history_cache), authors
            )

    def coverage(self, ref: PlanRef, known_at: KnownAt = None) -> CoverageView:
        with self._call():
            entries, plan = self._read(ref, known_at)
            periods = H.coverage(entries, plan, cache=self.history_cache)
            live = {
                it.seq
                for it in H.history(entries, plan, date.max, cache=self.history_cache)
                if it.status != "void"
            }
            amendments = sorted(
                (day, H.instrument_label(e))
                for e, day in recording.dated_instruments(entries, plan.id)
                if e.seq in live
            )
            return CoverageView(plan, known_at, periods, amendments)

    def verify(self, expect_head: str | None = None) -> ChainReport:
        with self._call():
            return self.ledger.verify(expect_head=expect_head.strip().lower() if expect_head else None)

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

    # --- documents ----------------------------------------------------------------------

    def extract(self, upload: recording.Upload) -> Instrument:
        """A filed exhibit as structured data, with the extractor's diagnostics (nothing recorded)."""
        with self._call():
            return recording.extract(upload)

    def render(self, instrument_json: Any, fmt: str) -> tuple[bytes, tuple[str, ...]]:
        """An instrument (extract JSON) as canonical text, DOCX or PDF, and the warnings."""
        from distplan.documents.render import FORMATS, render_document

        if fmt not in FORMATS:
            raise Invalid(f"format {fmt!r}: expected one of {', '.join(FORMATS)}", "format")
        with self._call():
            done = render_document(instrument_from_json(instrument_json, where="instrument"), fmt)
        return done.data, done.warnings

    # --- drafting the next amendment (distplan.drafting) --------------------------------

    def draft(self, ref: PlanRef, as_of: date, effective: date, changes: Any) -> Instrument:
        """The next amendment: the schedule in force on `as_of` with `changes`
        (drafting.Changes) applied, effective `effective`. Nothing is recorded."""
        from distplan import drafting

        with self._call():
            entries, plan = self._read(ref, None)
            base = drafting.basis(entries, plan, as_of, cache=self.history_cache)
            return drafting.build_draft(base, changes, effective)

    def preview(
        self,
        instrument_json: Any,
        *,
        plan_ref: PlanRef = None,
        nav: Path | None = None,
        extra: Any = None,
        rulebook: Any = None,
    ) -> Any:
        """A draft applied to a copy of its plan's history (drafting.Preview); nothing is written.
        `extra`: GovernanceFacts not recorded (the approvals meant to clear its findings)."""
        from distplan import drafting

        with self._call():
            draft = instrument_from_json(instrument_json, where="draft")
            chosen = self._plan(plan_ref) if plan_ref is not None else None
            plan = drafting.plan_of(draft, self.ledger.plans(), chosen)
            entries = self.ledger.entries()
        with self._call():  # the checks and the fee engine run on the copy: a second call
            return drafting.preview(entries, plan, draft, nav=nav, rulebook=rulebook, extra=extra)

    def redline(
        self, instrument_json: Any, *, author: str, when: datetime, plan_ref: PlanRef = None
    ) -> bytes:
        """A draft as DOCX, its Schedule A as tracked changes against the schedule in force the
        day before it takes effect (`author` and `when` mark the changes)."""
        from distplan import drafting
        from distplan.drafting.redline import redline

        with self._call():
            draft = instrument_from_json(instrument_json, where="draft")
            chosen = self._plan(plan_ref) if plan_ref is not None else None
            plan = drafting.plan_of(draft, self.ledger.plans(), chosen)
            return redline(self.ledger.entries(), plan, draft, author=author, when=when)

    # --- fees and compliance ------------------------------------------------------------

    def payables(
        self,
        ref: PlanRef,
        nav: Path,
        year: int,
        month: int,
        *,
        known_at: KnownAt = None,
        rounding: str = "daily-cents-half-even",
        carry_missing: bool = False,
        plan_type: str = "compensation",
        expenses: Path | None = None,
    ) -> money.PayablesView:
        with self._call():
            entries, plan = self._read(ref, known_at)
            coverage = H.coverage(entries, plan, cache=self.history_cache)
        with self._call():  # the engine runs on its own data: a second call, same lock
            return money.payables(
                coverage,
                plan,
                known_at,
                nav,
                year,
                month,
                rounding=rounding,
                carry_missing=carry_missing,
                plan_type=plan_type,
                expenses=expenses,
            )

    def findings(
        self, ref: PlanRef, as_of: date, known_at: KnownAt = None, *, extra: Any = None, rulebook: Any = None
    ) -> checks.FindingsView:
        """Findings with citations. `extra`: GovernanceFacts not recorded (a what-if; the plan
        they name is the default); `rulebook`: a Rulebook instead of the bundled one."""
        with self._call():
            plan = self._plan(ref if ref is not None else _facts_plan(extra))
            return checks.findings(self.ledger, plan, as_of, known_at, extra, rulebook)

    def calendar(
        self,
        ref: PlanRef,
        start: date,
        end: date,
        known_at: KnownAt = None,
        *,
        extra: Any = None,
        rulebook: Any = None,
    ) -> checks.CalendarView:
        if end <= start:
            raise Invalid(f"the window [{start}, {end}) is empty: the end must be after the start", "to")
        with self._call():
            plan = self._plan(ref if ref is not None else _facts_plan(extra))
            return checks.calendar(self.ledger, plan, start, end, known_at, extra, rulebook)


def entry_label(e: Entry) -> str:
    return H.instrument_label(e) if e.kind == KIND_INSTRUMENT else f"{e.kind} (seq {e.seq})"


def _facts_plan(extra: Any) -> str | None:
    plan = getattr(extra, "plan", None)
    return plan.ref if plan is not None else None
