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

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from distplan import history as H
from distplan.app import checks, recording, writes
from distplan.app import distributor as D
from distplan.app.answers import kept
from distplan.app.core import PlanRef, entry_label
from distplan.app.errors import Invalid, NotFound
from distplan.app.fees import FeeCalls
from distplan.app.paging import page_of
from distplan.app.results import CoverageView, DiffView, HistoryView, ScheduleView, TimelineView
from distplan.app.values import KnownAt, known_at_json
from distplan.app.workspace_writes import Writing
from distplan.errors import InputError
from distplan.ledger import ChainReport
from distplan.model import Instrument, instrument_from_json

if TYPE_CHECKING:
    from distplan.fees.options import FeeResult
    from distplan.fees.retention import RetentionResult
    from distplan.fees.trails import TrailResult

__all__ = ["PlanRef", "Workspace", "entry_label"]


class Workspace(Writing, FeeCalls):
    """Every use case on one ledger: the core (core.py: plans, entries, the lock and the
    history cache), the writes (workspace_writes.py), the fee runs (fees.py: payables, accrue,
    true-up), and here the questions.

    If you add a method, put it in the section it belongs to: history, documents, drafting,
    fees and compliance here; writes in workspace_writes.py."""

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
        view = self._schedule(ref, as_of, known_at)
        if limit is None and not fund and not offset:
            return view
        return page_of(view, fund, offset, limit)

    @kept
    def _schedule(self, ref: PlanRef, as_of: date, known_at: KnownAt) -> ScheduleView:
        with self._call():
            entries, plan = self._read(ref, known_at)
            state = H.plan_state(
                entries, plan, as_of, known_at=known_at_json(known_at), cache=self.history_cache
            )
        return ScheduleView(plan, as_of, known_at, state)

    @kept
    def diff(self, ref: PlanRef, start: date, end: date, known_at: KnownAt = None) -> DiffView:
        with self._call():
            entries, plan = self._read(ref, known_at)
            return DiffView(plan, known_at, H.diff(entries, plan, start, end, cache=self.history_cache))

    @kept
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

    @kept
    def history(self, ref: PlanRef, as_of: date, known_at: KnownAt = None) -> HistoryView:
        with self._call():
            entries, plan = self._read(ref, known_at)
            items = H.history(entries, plan, as_of, cache=self.history_cache)
            authors = writes.recorded_by(self.ledger, [it.seq for it in items])
            return HistoryView(
                plan, as_of, known_at, items, H.warnings(entries, plan, cache=self.history_cache), authors
            )

    @kept
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

    # The distributor's side (app/distributor.py): inputs are read values or paths; `run`
    # says as known when, on which engine (else DuckDB for the call), with which fee options.

    def trails(
        self,
        ref: PlanRef,
        positions: D.PositionsInput,
        period: str,
        run: D.Run = D.Run(),
        *,
        due_days: int = 10,
    ) -> TrailResult:
        """Dealer trails for a payment period (2004-Q1 or 2004-01)."""
        from distplan.fees.trails import trails
        from distplan.fees.trailterms import parse_period

        frequency, chosen = parse_period(period)
        with self._distributor(ref, run) as s:
            held = D.positions_of(s.engine, positions)
            return trails(
                s.engine, held, D.require(s.dealers), s.coverage, frequency, chosen, due_days=due_days
            )

    def retention(
        self,
        ref: PlanRef,
        nav: Path | str,  # a path, or a URL (navsource)
        positions: D.PositionsInput,
        start: date,
        end: date,
        run: D.Run = D.Run(),
        *,
        fees: FeeResult | None = None,
    ) -> RetentionResult:
        """Per fund-class and month of [start, end): the fees, the trails accrued and what the
        distributor keeps. `fees`: the payables of [start, end) when the caller has them."""
        from distplan.fees.retention import retention

        with self._distributor(ref, run) as s:
            held = D.positions_of(s.engine, positions)
            return retention(s.engine, nav, held, s.dealers, s.coverage, start, end, run.options, fees=fees)

    def remaining(
        self,
        ref: PlanRef,
        nav: Path | str,  # a path, or a URL (navsource)
        sales: D.SalesInput,
        prime: D.PrimeInput,
        as_of: date,
        run: D.Run = D.Run(),
    ) -> D.RemainingView:
        """The FINRA Rule 2341(d) remaining amount per fund-class with an asset-based charge,
        from the first sale to `as_of`, and the findings when it went below zero."""
        from distplan.compliance import load_rulebook
        from distplan.compliance.checks.remaining import remaining_amount_findings
        from distplan.fees.remaining import remaining

        with self._call():  # the user's files first: their problems before the ledger's
            sold, rates = D.sales_of(sales), D.prime_of(prime)
        with self._distributor(ref, run) as s:
            result = remaining(s.engine, nav, sold, rates, s.coverage, as_of, run.options)
            return D.RemainingView(result, remaining_amount_findings(result.rows, load_rulebook()))

    @contextmanager
    def _distributor(self, ref: PlanRef, run: D.Run) -> Iterator[D.State]:
        with self._call():
            entries, plan = self._read(ref, run.known_at)
            coverage = H.coverage(entries, plan, cache=self.history_cache)
            with D.engine_for(run.engine) as engine:
                yield D.State(coverage, self.dealers(run.known_at), engine)

    @kept
    def findings(
        self, ref: PlanRef, as_of: date, known_at: KnownAt = None, *, extra: Any = None, rulebook: Any = None
    ) -> checks.FindingsView:
        """Findings with citations. `extra`: GovernanceFacts not recorded (a what-if; the plan
        they name is the default); `rulebook`: a Rulebook instead of the bundled one."""
        with self._call():
            plan = self._plan(ref if ref is not None else _facts_plan(extra))
            return checks.findings(self.ledger, plan, as_of, known_at, extra, rulebook)

    @kept
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


def _facts_plan(extra: Any) -> str | None:
    plan = getattr(extra, "plan", None)
    return plan.ref if plan is not None else None
