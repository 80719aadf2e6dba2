"""Recording filed documents, instrument JSON and governance files: the one path the CLI's
`distplan record` and the web app's uploads and review page share.

A front end reads its inputs (files, uploads) into `Pending` instruments and `Governance`
facts; `record` then writes them all in ONE transaction (instruments first: a governance file
may name them) and says what happened: which entries were made, which inputs were already
recorded, which instrument is retroactive, what each changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from distplan import history as H
from distplan.app.errors import Invalid, NotFound
from distplan.app.results import RecordOutcome
from distplan.app.values import FieldNames, decode_text
from distplan.app.writes import acting_as
from distplan.ledger import KIND_INSTRUMENT, Entry, Ledger, Pending, Plan
from distplan.ledger.recordable import forced_warnings
from distplan.ledger.store import check_pending
from distplan.model import instrument_from_json

_TEXT_SUFFIXES = (".txt", ".htm", ".html")
_GOVERNANCE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Upload:
    """One input as a front end received it: its name (for messages and provenance) and bytes."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        dot = self.name.rfind(".")
        return self.name[dot:].lower() if dot >= 0 else ""

    @property
    def text(self) -> str:
        return decode_text(self.data)


@dataclass(frozen=True)
class Governance:
    """A governance file read and checked: its name, its facts and its text (the source)."""

    name: str
    facts: Any  # compliance.governance.GovernanceFacts
    text: str


def is_governance(upload: Upload) -> bool:
    if upload.suffix in _GOVERNANCE_SUFFIXES:
        return True
    if upload.suffix != ".json":
        return False
    from distplan.compliance.loader import is_governance_document

    try:
        return is_governance_document(json.loads(upload.text))
    except ValueError:
        return False  # the instrument reader reports the problem


def extract(upload: Upload) -> Any:
    """A filed exhibit (.txt/.htm/.html) as an Instrument."""
    from distplan.documents.extract import extract_text

    if upload.suffix not in _TEXT_SUFFIXES:
        raise Invalid(
            f"{upload.name}: unsupported file type {upload.suffix or '(none)'} (expected .txt, .htm or .html)",
            "file",
        )
    html = upload.suffix in (".htm", ".html") or None
    return extract_text(upload.text, path=upload.name, html=html)


def pending(upload: Upload) -> Pending:
    """An upload as an instrument ready to record: extracted, or read from extract JSON."""
    if upload.suffix == ".json":
        try:
            data = json.loads(upload.text)
        except json.JSONDecodeError as exc:
            raise Invalid(f"{upload.name}: line {exc.lineno}: not valid JSON ({exc.msg})", "file") from None
        return Pending(instrument_from_json(data, where=upload.name), upload.text, upload.name)
    return Pending(extract(upload), upload.text, upload.name)


def governance(upload: Upload) -> Governance:
    from distplan.compliance.loader import parse_governance, read_governance_text

    data, lines = read_governance_text(upload.text, upload.name)
    return Governance(upload.name, parse_governance(data, upload.name, lines), upload.text)


def read_uploads(uploads: list[Upload]) -> tuple[list[Pending], list[Governance]]:
    """Uploads as instruments and governance facts, every one read and checked."""
    kinds = [is_governance(u) for u in uploads]
    facts = [governance(u) for u, gov in zip(uploads, kinds, strict=True) if gov]
    return [pending(u) for u, gov in zip(uploads, kinds, strict=True) if not gov], facts


def check(instruments: list[Pending], *, force: bool) -> None:
    """What can refuse an instrument without the ledger (run before a new ledger is made)."""
    check_pending(instruments, force=force)


@dataclass(frozen=True)
class Recording:
    """How one record call writes: when, by whom, into which plan, and what it may override."""

    recorded_at: datetime
    recorded_by: str
    plan_ref: str | None = None
    force: bool = False
    exact_time: bool = False  # the time was chosen by the user: one before the head is refused
    names: FieldNames = field(default_factory=FieldNames)


def record(
    ledger: Ledger,
    instruments: list[Pending],
    facts: list[Governance],
    how: Recording,
    *,
    resolve: Callable[[str | None], Plan],
    cache: H.HistoryCache | None = None,
    progress: Callable[[int], None] | None = None,
) -> RecordOutcome:
    """Record the instruments, then the governance files, all in one transaction (nothing is
    written when any is refused). `how.plan_ref`: every input must belong to that plan;
    `resolve` finds a plan by reference (the workspace's, worded for its front end)."""
    cache = cache or H.HistoryCache()  # the workspace's: the diffs below reuse its folds
    outcome = RecordOutcome()
    with acting_as(ledger, how.recorded_by), ledger.transaction(exact_time=how.exact_time):
        plan = _chosen_plan(ledger, how, resolve) if instruments else None
        results = ledger.record_many(
            instruments, recorded_at=how.recorded_at, force=how.force, plan=plan, progress=progress
        )
        outcome.governance.extend(_record_governance(ledger, facts, how, resolve))
        _report(ledger, results, instruments if how.force else [], outcome, how, cache)
    return outcome


def _chosen_plan(ledger: Ledger, how: Recording, resolve: Callable[[str | None], Plan]) -> Plan | None:
    """A plan reference given: every instrument must belong to it (an unknown one is refused)."""
    if how.plan_ref is None:
        return None
    named = how.names.plan
    if not ledger.plans():
        raise NotFound(f"{named} {how.plan_ref}: the ledger has no plans yet; leave out {named}", "plan")
    return resolve(how.plan_ref)


def _record_governance(
    ledger: Ledger, facts: list[Governance], how: Recording, resolve: Callable[[str | None], Plan]
) -> list[dict[str, Any]]:
    """After the instruments (a file may name them); every file's names checked before any
    is recorded."""
    from distplan.compliance.sources import check_governance_names, record_governance

    targets = [resolve(how.plan_ref or (g.facts.plan.ref if g.facts.plan else None)) for g in facts]
    for g, target in zip(facts, targets, strict=True):
        check_governance_names(ledger, target, g.facts)
    done = []
    for g, target in zip(facts, targets, strict=True):
        entry = record_governance(ledger, target, g.facts, g.text, path=g.name, recorded_at=how.recorded_at)
        done.append({"path": g.name, "plan": target.to_json(), "entry": entry.to_json() if entry else None})
    return done


def _report(
    ledger: Ledger,
    results: list[Any],
    forced: list[Pending],
    outcome: RecordOutcome,
    how: Recording,
    cache: H.HistoryCache,
) -> None:
    """What record says about the instruments; computed inside the transaction, so a failure
    here leaves nothing written."""
    entries = ledger.entries()
    for doubtful in forced:
        outcome.warnings.extend(forced_warnings(doubtful.instrument, doubtful.where))
    for plan in {r.plan.id: r.plan for r in results}.values():
        outcome.warnings.extend(H.warnings(entries, plan, cache=cache))
    for result in results:
        entry = result.entry
        if entry is None:
            outcome.unchanged.append(
                {"path": result.path, "duplicate_of": result.duplicate_of, "reason": result.duplicate_reason}
            )
            continue
        label = H.instrument_label(entry)
        retro = _retroactive_over(entries, entry)
        if retro is not None:
            outcome.warnings.append(
                f"{label} is retroactive: effective {entry.effective_date}, before "
                f"{H.instrument_label(retro)}; {how.names.known_at} {entry.seq - 1} shows the state before it"
            )
        item: dict[str, Any] = {
            **entry.to_json(),
            "path": result.path,
            "instrument": label,
            "plan": result.plan.to_json(),
            "plan_created": result.plan_created,
            "recorded_by": how.recorded_by,
        }
        if entry.effective_date is not None:
            day = entry.effective_date
            d = H.diff(entries, result.plan, day - timedelta(days=1), day, cache=cache)
            item["changes"] = {k: len(d[k]) for k in ("added", "removed", "changed")}
        outcome.recorded.append(item)


def dated_instruments(entries: list[Entry], plan_id: int | None) -> list[tuple[Entry, date]]:
    """The plan's instrument entries that have an effective date, with it, in seq order."""
    return [
        (e, e.effective_date)
        for e in entries
        if e.kind == KIND_INSTRUMENT and e.plan_id == plan_id and e.effective_date is not None
    ]


def _retroactive_over(entries: list[Entry], entry: Entry) -> Entry | None:
    """The latest earlier-recorded instrument of the plan effective after this one, if any."""
    if entry.effective_date is None:
        return None
    later = [
        e
        for e, day in dated_instruments(entries, entry.plan_id)
        if e.seq < entry.seq and day > entry.effective_date
    ]
    return later[-1] if later else None
