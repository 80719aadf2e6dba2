"""One row per (fund, class): a schedule printed twice counts once, and parallel tables (a
distribution-fee table, then a service-fee table for the same funds) fill one row."""

from __future__ import annotations

import re
from dataclasses import replace

from distplan.model import Diagnostic, ScheduleRow

_FEES = ("distribution_fee", "service_fee", "aggregate_fee")
# Signs that name folding drops but that tell funds apart ("2x" / "-2x", "20+ Year" / "20 Year").
_SIGNS = re.compile(r"(?<![\w.])-(?=\d)|[+%]")
_SAME_KEY = "another row's name differs from this one only by a sign (+, -, %)"


def _signs(name: str) -> str:
    return "".join(_SIGNS.findall(name)) if ("-" in name or "+" in name or "%" in name) else ""


def merge_rows(rows: list[ScheduleRow], diags: list[Diagnostic]) -> list[ScheduleRow]:
    """One row per (fund, class): a schedule printed twice counts once, and parallel tables (a
    distribution-fee table, then a service-fee table for the same funds) fill one row."""
    out: list[ScheduleRow] = []
    index: dict[tuple[str, str, str], int] = {}
    folded: dict[tuple[str, str], int] = {}  # the first row of each folded (fund, class)
    for row in rows:
        fold = row.key  # computed once: folding names is the costly part
        key = (*fold, _signs(row.fund))
        at = index.get(key)
        if at is None:
            other = folded.setdefault(fold, len(out))
            if other != len(out):
                # Two funds whose names fold alike ("2x" / "-2x"): both kept, and both flagged,
                # since whatever keys funds by folded name downstream would take them for one.
                if _SAME_KEY not in out[other].flags:
                    out[other] = replace(out[other], flags=(*out[other].flags, _SAME_KEY))
                row = replace(row, flags=(*row.flags, _SAME_KEY))
            index[key] = len(out)
            out.append(row)
            continue
        first = out[at]
        new = {f: getattr(row, f) for f in _FEES if getattr(row, f) is not None}
        if all(getattr(first, f) is None for f in new):
            merged = replace(first, **new, effective_date=first.effective_date or row.effective_date)
            if first.lines and row.lines:
                merged = replace(merged, lines=(first.lines[0], max(first.lines[1], row.lines[1])))
            out[at] = merged
            continue
        if all(getattr(first, f) == v for f, v in new.items()) and first.effective_date == row.effective_date:
            where = row.lines[0] if row.lines else None
            diags.append(
                Diagnostic("info", f"{row.fund}: listed again (duplicate schedule), kept once", where)
            )
            continue
        # Listed again with other values (an unmerged parallel table, a changed rate): both kept,
        # and both flagged, since either one may be the wrong reading.
        twice = "listed twice with different values"
        if twice not in first.flags:
            out[at] = replace(first, flags=(*first.flags, twice))
        index[key] = len(out)
        out.append(replace(row, flags=(*row.flags, twice)))
    return out
