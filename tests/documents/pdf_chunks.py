"""Test helper: a PDF's bytes and its deflated streams, decompressed, to search in."""

from __future__ import annotations

import re
import zlib


def pdf_chunks(pdf: bytes) -> list[bytes]:
    """The PDF itself, then every stream that inflates (object streams, page content, files)."""
    chunks = [pdf]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            chunks.append(zlib.decompress(m.group(1)))
        except zlib.error:
            continue
    return chunks
