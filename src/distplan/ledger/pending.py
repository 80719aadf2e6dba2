"""An instrument on its way into the ledger, and what can refuse it before the database is
opened (so a refused command never even creates a ledger)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from distplan.errors import InputError
from distplan.ledger.recordable import check_recordable
from distplan.model import Instrument
from distplan.validation import validate_instrument


@dataclass(frozen=True)
class Pending:
    """One instrument ready to record, with the text it came from (and, from a file, its
    bytes, kept exactly)."""

    instrument: Instrument
    source_text: str
    path: str | None = None  # the file it was read from, for messages (else the source path)
    source_bytes: bytes | None = None

    @property
    def where(self) -> str:
        return self.path or self.instrument.source.path

    def stored_bytes(self) -> bytes:
        if self.source_bytes is not None:
            return self.source_bytes
        return utf8(self.source_text, self.where)


def check_pending(items: Sequence[Pending], *, force: bool) -> None:
    """Everything that can refuse an instrument without the database (before it is opened)."""
    for item in items:
        validate_instrument(item.instrument, item.where)
        check_recordable(item.instrument, force=force, where=item.where)
        item.stored_bytes()  # encodable


def utf8(text: str, where: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            f"{where}: contains a lone surrogate (a \\ud800-style escape); not recorded"
        ) from None
