"""Document review: the extracted rows beside the source, doubtful rows and cells marked from
the extractor's confidence, flags and diagnostics, and the edited rows read back from the form.

What is recorded is the extraction with the person's edits: rows they changed lose their
extractor confidence and flags (a person vouched for them) and gain the flag "edited in review".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from distplan.app.errors import Invalid

FIELDS = (
    "registrant",
    "fund",
    "share_class",
    "distribution_fee",
    "service_fee",
    "aggregate_fee",
    "effective_date",
)
DOUBTFUL_BELOW = 0.9  # documents/confidence.py: below 0.9 a row is doubtful
EDITED_FLAG = "edited in review"
MAX_ROWS = 5000
# Which cells a flag is about (by the words in it); a flag naming none marks the whole row.
_FLAG_FIELDS = (
    ("rate", ("distribution_fee", "service_fee", "aggregate_fee")),
    ("class", ("share_class",)),
    ("registrant", ("registrant", "fund")),
    ("fund", ("fund",)),
    ("date", ("effective_date",)),
)


@dataclass
class ReviewRow:
    index: int
    values: dict[str, str]
    lines: str  # "24-24", kept for provenance
    confidence: float
    flags: list[str]
    notes: list[str] = field(default_factory=list)  # diagnostics on the row's lines
    doubtful_cells: set[str] = field(default_factory=set)

    @property
    def doubtful(self) -> bool:
        return self.confidence < DOUBTFUL_BELOW or bool(self.flags) or bool(self.notes)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def rows_for_review(instrument: dict[str, Any]) -> list[ReviewRow]:
    schedule = instrument.get("schedule") or {}
    diags = [d for d in instrument.get("diagnostics") or [] if isinstance(d, dict)]
    out = []
    for i, row in enumerate(schedule.get("rows") or []):
        lines = row.get("lines") or []
        span = (lines[0], lines[-1]) if lines else None
        notes = [
            f"{d.get('level')}: {d.get('message')}"
            for d in diags
            if span is not None and isinstance(d.get("line"), int) and span[0] <= d["line"] <= span[1]
        ]
        flags = [str(f) for f in row.get("flags") or []]
        cells: set[str] = set()
        for flag in flags:
            hit = [fields for word, fields in _FLAG_FIELDS if word in flag.lower()]
            cells.update(*hit) if hit else cells.update(FIELDS)
        out.append(
            ReviewRow(
                i,
                {f: _text(row.get(f)) for f in FIELDS},
                f"{span[0]}-{span[1]}" if span else "",
                float(row.get("confidence", 1.0)),
                flags,
                notes,
                cells,
            )
        )
    return out


def _lines(text: str) -> list[int] | None:
    first, _, last = text.partition("-")
    if first.isdigit() and last.isdigit():
        return [int(first), int(last)]
    return None


def edited_instrument(instrument: dict[str, Any], form: dict[str, list[str]]) -> dict[str, Any]:
    """The extraction with the rows as the form has them: `row-N-FIELD` inputs (N in the
    form's `row` list, in order), rows whose `row-N-remove` is set dropped, and the document's
    effective date from `effective_date`."""
    data = dict(instrument)
    original = {i: r for i, r in enumerate((instrument.get("schedule") or {}).get("rows") or [])}
    order = form.get("row", [])
    if len(order) > MAX_ROWS:
        raise Invalid(f"more than {MAX_ROWS} rows", "row")
    rows = []
    for key in order:
        if not key.isdigit() and not key.startswith("new"):
            raise Invalid(f"row {key[:20]!r}: not a row of this form", "row")
        if form.get(f"row-{key}-remove"):
            continue
        values = {f: (form.get(f"row-{key}-{f}") or [""])[0].strip() for f in FIELDS}
        before = original.get(int(key)) if key.isdigit() else None
        row: dict[str, Any] = dict(before) if before else {"lines": None}
        changed = before is None or any(_text(before.get(f)) != values[f] for f in FIELDS)
        for f in FIELDS:
            row[f] = values[f] or None
        row.pop("total_rate", None)
        if changed:
            row["confidence"] = 1.0
            row["flags"] = [EDITED_FLAG]
            if before is None:
                row["lines"] = _lines((form.get(f"row-{key}-lines") or [""])[0])
        rows.append(row)
    schedule = dict(instrument.get("schedule") or {"label": "Schedule", "replaces_entirely": True})
    schedule["rows"] = rows
    data["schedule"] = schedule
    effective = (form.get("effective_date") or [""])[0].strip()
    if effective:
        data["effective_date"] = effective
    return data
