"""Writes other than recording documents: plan terms, voids, dealer agreements; and who
recorded each entry. Every write names the user who made it (`recorded_by`, kept on the entry)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import select

from distplan import history as H
from distplan.app.errors import Conflict, Invalid, NotFound
from distplan.app.values import FieldNames
from distplan.ledger import KIND_INSTRUMENT, KIND_TERMS, Entry, Ledger, Plan

if TYPE_CHECKING:
    from distplan.app.recording import Upload


@contextmanager
def acting_as(ledger: Ledger, user: str) -> Iterator[None]:
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
    names: FieldNames = FieldNames(),
    exact_time: bool = False,
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
    with acting_as(ledger, recorded_by), ledger.transaction(exact_time=exact_time):
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
        warnings.append(f"{names.fund} {fund!r}: no recorded instrument of plan {plan.id} names it (yet)")
    return entry, plan, warnings


def void(
    ledger: Ledger,
    seq: int,
    reason: str,
    *,
    recorded_at: datetime,
    recorded_by: str,
    exact_time: bool = False,
) -> Entry:
    if not reason.strip():
        raise Invalid("say why the entry is void", "reason")
    if not 1 <= seq <= ledger.head_seq():
        raise NotFound(f"entry {seq}: no such entry", "seq")
    with acting_as(ledger, recorded_by), ledger.transaction(exact_time=exact_time):
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
    with acting_as(ledger, recorded_by):
        entry = ledger.append(
            KIND_DEALERS,
            None,
            to_payload(dealers, upload.name),
            recorded_at=recorded_at,
            effective_date=first,
            source_text=text,
        )
    return entry, warnings
