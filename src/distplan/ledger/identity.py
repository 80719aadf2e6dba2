"""When two instruments are the same: by canonical content, or by normalised source text.

Never by file bytes (a trailing newline or a CRLF is not a new document) and never by what an
instrument JSON claims about itself (`source.sha256` is a claim, recomputed or ignored).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from distplan.ledger.chain import canonical_json, sha256_text

# Not part of what a document says: where it was read from, and the extractor's opinion of it.
_NOT_CONTENT = ("source", "diagnostics", "confidence")


def decode_source(data: bytes) -> str:
    """A filed document's text: UTF-8 (a BOM dropped), else cp1252 (old EDGAR filings)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def normalise_source(text: str) -> str:
    """One spelling of a document's text: NFC, LF line ends, no trailing spaces on a line, no
    blank lines at either end."""
    text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def source_sha256(text: str) -> str:
    return sha256_text(normalise_source(text))


def content_sha256(payload: dict[str, Any]) -> str:
    """An instrument's identity: its canonical JSON without provenance or diagnostics."""
    return sha256_text(canonical_json({k: v for k, v in payload.items() if k not in _NOT_CONTENT}))


def legacy_content_sha256(payload: dict[str, Any]) -> str:
    """The content hash entries of hash scheme 1 stored (the payload without its source path,
    the claimed source sha256 kept), to find duplicates among them."""
    content = dict(payload)
    source = dict(content.get("source") or {})
    source.pop("path", None)
    content["source"] = source
    return sha256_text(canonical_json(content))
