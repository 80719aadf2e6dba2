"""The parties who signed: entities named in the signature block (never taken as registrant)."""

from __future__ import annotations

import re

from distplan.documents.layout import Document
from distplan.documents.names import CORP_SUFFIX, ORG_WORD, clean_name, is_caps, words

_SIGNATURE_START = re.compile(r"^(dated?\s*:|in\s+witness|by\s*:|attest)", re.I)


def signatories(doc: Document) -> list[str]:
    found: list[str] = []
    started = False
    for line in doc.lines:
        text = line.text.strip()
        if _SIGNATURE_START.match(text):
            started = True
            continue
        if not started:
            continue
        for cell in line.cells:
            name = clean_name(cell.text)
            if ":" in name or name.startswith("/s/") or not name:
                continue
            entity = (is_caps(name) and ORG_WORD.search(name) and len(words(name)) >= 2) or (
                CORP_SUFFIX.search(name) and re.search(r",?\s+(inc|corp|llc|l\.p)\b", name, re.I)
            )
            if entity and name not in found:
                found.append(name)
    return found
