"""One row per (fund, class): a schedule printed twice counts once, and parallel tables (a
distribution-fee table, then a service-fee table for the same funds) fill one row."""

from __future__ import annotations

from dataclasses import replace

from distplan.model import Diagnostic, ScheduleRow

_FEES = ("distribution_fee", "service_fee", "aggregate_fee")


def merge_rows(rows: list[ScheduleRow], diags: list[Diagnostic]) -> list[ScheduleRow]:
    """One row per (fund, class): a schedule printed twice counts once, and parallel tables (a
    distribution-fee table, then a service-fee table for the same funds) fill one row."""
    out: list[ScheduleRow] = []
    index: dict[tuple[str, str], int] = {}
    for row in rows:
        key = row.key  # computed once: folding names is the costly part
        at = index.get(key)
        if at is None:
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
