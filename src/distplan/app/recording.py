"""Writes: filed documents, instrument JSON, governance files, plan terms and voids.

What `distplan record` decided in the CLI lives here: which inputs are governance facts,
which are instruments, which recorded instrument is retroactive, what each changed. Every
write names the user who made it (`recorded_by`, kept on the entry).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from distplan import history as H
from distplan.app.errors import Conflict, Invalid, NotFound
from distplan.app.results import RecordOutcome
from distplan.app.values import decode_text
from distplan.ledger import KIND_INSTRUMENT, KIND_TERMS, Entry, Ledger, Pending, Plan
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


@contextmanager
def _as(ledger: Ledger, user: str) -> Iterator[None]:
    """Entries appended inside name `user` as who recorded them."""
    before = ledger.recorded_by
    ledger.recorded_by = user
    try:
        yield
    finally:
        ledger.recorded_by = before


def recorded_by(ledger: Ledger, seqs: list[int]) -> dict[int, str | None]:
    """Who recorded each entry (None: written before users were kept)."""
    from distplan.ledger.schema import entries as T

    wanted = set(seqs)
    if not wanted:
        return {}
    with ledger.engine.connect() as conn:
        rows = conn.execute(select(T.c.seq, T.c.recorded_by).where(T.c.seq >= min(wanted))).all()
    return {r.seq: r.recorded_by for r in rows if r.seq in wanted}


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


def record(
    ledger: Ledger,
    uploads: list[Upload],
    *,
    recorded_at: datetime,
    recorded_by: str,
    plan_ref: str | None,
    force: bool,
    resolve: Callable[[str | None], Plan],
    cache: H.HistoryCache | None = None,
) -> RecordOutcome:
    governance = [u for u in uploads if is_governance(u)]
    instruments = [pending(u) for u in uploads if u not in governance]  # all read before any write
    outcome = RecordOutcome()
    if governance:
        outcome.governance.extend(
            _record_governance(ledger, governance, plan_ref, recorded_at, recorded_by, resolve)
        )
    if instruments:
        _record_instruments(ledger, instruments, outcome, recorded_at, recorded_by, force, cache)
    return outcome


def record_reviewed(
    ledger: Ledger,
    data: Any,
    source_text: str,
    *,
    name: str,
    recorded_at: datetime,
    recorded_by: str,
    force: bool,
    cache: H.HistoryCache | None = None,
) -> RecordOutcome:
    item = Pending(instrument_from_json(data, where=name), source_text, name)
    outcome = RecordOutcome()
    _record_instruments(ledger, [item], outcome, recorded_at, recorded_by, force, cache)
    return outcome


def _record_instruments(
    ledger: Ledger,
    items: list[Pending],
    outcome: RecordOutcome,
    recorded_at: datetime,
    recorded_by: str,
    force: bool,
    cache: H.HistoryCache | None = None,
) -> None:
    cache = cache or H.HistoryCache()  # the workspace's: the diffs below reuse its folds
    with _as(ledger, recorded_by):
        results = ledger.record_many(items, recorded_at=recorded_at, force=force)
    entries = ledger.entries()
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
                f"{H.instrument_label(retro)}; known at entry {entry.seq - 1} shows the state before it"
            )
        item: dict[str, Any] = {
            **entry.to_json(),
            "path": result.path,
            "instrument": label,
            "plan": result.plan.to_json(),
            "plan_created": result.plan_created,
            "recorded_by": recorded_by,
        }
        if entry.effective_date is not None:
            day = entry.effective_date
            d = H.diff(entries, result.plan, day - timedelta(days=1), day, cache=cache)
            item["changes"] = {k: len(d[k]) for k in ("added", "removed", "changed")}
        outcome.recorded.append(item)


def _retroactive_over(entries: list[Entry], entry: Entry) -> Entry | None:
    """The latest earlier-recorded instrument of the plan effective after this one, if any."""
    later = [
        e
        for e in entries
        if e.kind == KIND_INSTRUMENT
        and e.plan_id == entry.plan_id
        and e.seq < entry.seq
        and e.effective_date is not None
        and entry.effective_date is not None
        and e.effective_date > entry.effective_date
    ]
    return later[-1] if later else None


def _record_governance(
    ledger: Ledger,
    uploads: list[Upload],
    plan_ref: str | None,
    at: datetime,
    user: str,
    resolve: Callable[[str | None], Plan],
) -> list[dict[str, Any]]:
    from distplan.compliance.loader import parse_governance, read_governance_text
    from distplan.compliance.sources import record_governance

    loaded = []
    for upload in uploads:  # all valid before any write
        data, lines = read_governance_text(upload.text, upload.name)
        loaded.append((upload, parse_governance(data, upload.name, lines)))
    done = []
    with _as(ledger, user):
        for upload, facts in loaded:
            target = resolve(plan_ref or (facts.plan.ref if facts.plan else None))
            entry = record_governance(ledger, target, facts, upload.text, path=upload.name, recorded_at=at)
            done.append(
                {"path": upload.name, "plan": target.to_json(), "entry": entry.to_json() if entry else None}
            )
    return done


def set_terms(
    ledger: Ledger,
    plan: Plan,
    *,
    effective: date,
    source: str,
    rates: dict[str, Decimal | None],
    fund: str | None,
    share_class: str | None,
    recorded_at: datetime,
    recorded_by: str,
) -> tuple[Entry, Plan, list[str]]:
    """Plan terms a schedule does not state; a warning when the fund is named nowhere (yet)."""
    if not source.strip():
        raise Invalid("terms need a source: where they are written", "source")
    if all(v is None for v in rates.values()):
        raise Invalid("terms state no rate", "rates")
    payload = H.terms_payload(
        distribution=rates.get("distribution"),
        service=rates.get("service"),
        aggregate=rates.get("aggregate"),
        source=source,
        fund=fund,
        share_class=share_class,
    )
    with _as(ledger, recorded_by):
        entry = ledger.append(
            KIND_TERMS,
            plan.id,
            payload,
            recorded_at=recorded_at,
            effective_date=effective,
            source_text=source,
        )
    warnings = []
    if fund is not None and H.fold(fund) not in H.named_funds(
        ledger.entries(kinds=[KIND_INSTRUMENT], plan_id=plan.id)
    ):
        warnings.append(f"fund {fund!r}: no recorded instrument of plan {plan.id} names it (yet)")
    return entry, plan, warnings


def void(ledger: Ledger, seq: int, reason: str, *, recorded_at: datetime, recorded_by: str) -> Entry:
    if not reason.strip():
        raise Invalid("say why the entry is void", "reason")
    if not 1 <= seq <= ledger.head_seq():
        raise NotFound(f"entry {seq}: no such entry", "seq")
    with _as(ledger, recorded_by):
        try:
            return ledger.void(seq, reason, recorded_at=recorded_at)
        except Exception as exc:
            if "already voided" in str(exc) or "is itself a void" in str(exc):
                raise Conflict(str(exc), "seq") from None
            raise


def record_dealers(
    ledger: Ledger, upload: Upload, *, recorded_at: datetime, recorded_by: str
) -> tuple[Entry | None, list[str]]:
    """Record a dealer agreements file as one entry (None: the same text is already recorded),
    and the warnings. A fund no recorded instrument names is refused, with a suggestion."""
    from distplan.fees.agreements import read_agreements, to_payload
    from distplan.ledger import KIND_DEALERS
    from distplan.ledger.chain import sha256_text

    text = upload.text
    known = H.named_funds(ledger.entries(kinds=[KIND_INSTRUMENT]))
    warnings = [] if known else [f"{upload.name}: no instrument recorded yet: fund names not checked"]
    dealers = read_agreements(text, upload.name, known or None)
    digest = sha256_text(text)
    if any(e.source_sha256 == digest for e in ledger.entries(kinds=[KIND_DEALERS])):
        return None, warnings
    first = min(a.effective for d in dealers for a in d.agreements)
    with _as(ledger, recorded_by):
        entry = ledger.append(
            KIND_DEALERS,
            None,
            to_payload(dealers, upload.name),
            recorded_at=recorded_at,
            effective_date=first,
            source_text=text,
        )
    return entry, warnings
