"""Whether an extracted instrument may be recorded without `--force`.

Refused: an error diagnostic, a missing effective date, or a document the extractor is not
confident about (its `confidence` below CONFIDENCE_MIN). The refusal names the doubtful rows
(fund, class, flags, lines) and says how to go on. An instrument without confidence figures
(older extractors, hand-written JSON) counts as confident.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from distplan.errors import InputError
from distplan.model import Instrument

CONFIDENCE_MIN = Decimal("0.9")
_SHOWN = 5
_PROCEED = (
    "not recorded: fix the instrument JSON (distplan extract FILE > FILE.json, correct it, record "
    "that) or record anyway with --force (the warnings are kept)"
)


def confidence(obj: Any) -> Decimal:
    value = getattr(obj, "confidence", None)
    if value is None:
        return Decimal(1)
    return Decimal(str(value))


def doubtful_rows(inst: Instrument) -> list[str]:
    """Rows with flags or a confidence below the threshold, as "fund (class) [flags] lines a-b"."""
    rows = list(inst.schedule.rows) if inst.schedule is not None else []
    rows += [r for op in inst.operations for r in op.rows]
    found = []
    for row in rows:
        flags = tuple(getattr(row, "flags", ()) or ())
        low = confidence(row) < CONFIDENCE_MIN
        if not flags and not low:
            continue
        parts = [row.fund + (f" ({row.share_class})" if row.share_class else "")]
        if flags:
            parts.append(f"[{', '.join(map(str, flags))}]")
        if low:
            parts.append(f"confidence {confidence(row)}")
        if row.lines is not None:
            parts.append(f"lines {row.lines[0]}-{row.lines[1]}")
        found.append(" ".join(parts))
    return found


def _listing(rows: list[str]) -> str:
    more = f"; and {len(rows) - _SHOWN} more" if len(rows) > _SHOWN else ""
    return "; ".join(rows[:_SHOWN]) + more


def check_recordable(inst: Instrument, *, force: bool, where: str | None = None) -> None:
    """Extraction errors, a missing effective date or low confidence block recording unless
    forced."""
    if force:
        return
    where = where or inst.source.path
    if inst.errors:
        first = inst.errors[0]
        line = f"line {first.line}: " if first.line else ""
        more = f" (and {len(inst.errors) - 1} more)" if len(inst.errors) > 1 else ""
        rows = doubtful_rows(inst)
        doubt = f"; doubtful rows: {_listing(rows)}" if rows else ""
        raise InputError(f"{where}: {line}{first.message}{more}{doubt}; {_PROCEED}")
    if inst.effective_date is None:
        raise InputError(f"{where}: no effective date found; not recorded (--force to record anyway)")
    level = confidence(inst)
    if level < CONFIDENCE_MIN:
        rows = doubtful_rows(inst)
        warned = [f"line {d.line}: {d.message}" if d.line else d.message for d in _warnings(inst)]
        doubt = (
            f"; doubtful rows: {_listing(rows)}" if rows else f"; why: {_listing(warned)}" if warned else ""
        )
        raise InputError(
            f"{where}: extraction confidence {level} is below {CONFIDENCE_MIN}{doubt}; {_PROCEED}"
        )


def _warnings(inst: Instrument) -> list[Any]:
    return [d for d in inst.diagnostics if d.level == "warning"]


def forced_warnings(inst: Instrument, where: str) -> list[str]:
    """What `--force` recorded despite: said on stderr, and kept in the payload."""
    out = [f"{where}: recorded with --force: line {d.line}: {d.message}" for d in inst.errors]
    if confidence(inst) < CONFIDENCE_MIN:
        out.append(f"{where}: recorded with --force: extraction confidence {confidence(inst)}")
    out += [f"{where}: recorded with --force: doubtful row {row}" for row in doubtful_rows(inst)]
    return out
