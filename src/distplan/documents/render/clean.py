"""Make an instrument's text printable before any writer sees it.

Values come from hostile documents and JSON. Control characters would reach a terminal (escape
sequences) or make the DOCX XML invalid; lone surrogates cannot be encoded; bidirectional
overrides can make a printed name read as another. They are removed, and each change is
reported as a warning naming the field, so nothing is altered silently.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

from distplan.model import Instrument

# C0 and C1 controls, DEL, surrogates, bidi embeddings/overrides/isolates, and the two
# non-characters XML 1.0 forbids.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r]")
_SKIP = frozenset({"source", "diagnostics", "lines", "effective_date_lines", "dated_lines"})
# Prose may span lines (the writers reflow it); names and labels may not.
_PROSE = frozenset({"text"})

T = TypeVar("T")


def _clean_str(value: str, name: str, where: str, warnings: list[str]) -> str:
    if name in _PROSE:
        value = _LINE_BREAKS.sub(" ", value)  # reflowed anyway: not a change worth a warning
    if not (_UNPRINTABLE.search(value) or _LINE_BREAKS.search(value)):
        return value
    bad = sorted({c for c in value if _UNPRINTABLE.match(c) or _LINE_BREAKS.match(c)})
    warnings.append(f"{where}: removed unprintable characters ({', '.join(f'U+{ord(c):04X}' for c in bad)})")
    return _UNPRINTABLE.sub("", _LINE_BREAKS.sub(" ", value))


def _walk(value: Any, name: str, where: str, warnings: list[str]) -> Any:
    if isinstance(value, str):
        return _clean_str(value, name, where, warnings)
    if isinstance(value, tuple):
        return tuple(_walk(v, name, f"{where}[{i}]", warnings) for i, v in enumerate(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for f in dataclasses.fields(value):
            if f.name in _SKIP:
                continue
            old = getattr(value, f.name)
            new = _walk(old, f.name, f"{where}.{f.name}" if where else f.name, warnings)
            if new is not old and new != old:
                changes[f.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    return value


def clean(inst: Instrument) -> tuple[Instrument, tuple[str, ...]]:
    """The instrument with every rendered string printable, and one warning per changed field."""
    warnings: list[str] = []
    cleaned = _walk(inst, "", "", warnings)
    assert isinstance(cleaned, Instrument)
    return cleaned, tuple(warnings)
