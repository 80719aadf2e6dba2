"""A file that stops mid-table: its last row may be only the part of a row the cut left."""

from __future__ import annotations

import re

from distplan.documents.layout import Document
from distplan.model import Diagnostic, ScheduleRow

_NAME_END = re.compile(r"\b(fund|portfolio|etf|trust|shares|series)\W*$", re.I)


def drop_cut_row(rows: list[ScheduleRow], doc: Document, diags: list[Diagnostic]) -> list[ScheduleRow]:
    """Leave out the last row when the file ends on it without the cells the other rows have: a
    name cut inside ("Lord Abbett S", "Virginia Intermediate Munici") where the others state a rate,
    an effective date or their class, or a whole name before the class cell every other row has."""
    if not rows or not rows[-1].lines or not doc.lines:
        return rows
    cut, others = rows[-1], rows[:-1]
    if cut.lines is None or cut.lines[1] < doc.lines[-1].no or cut.total_rate is not None:
        return rows
    whole_name = bool(_NAME_END.search(cut.fund))
    others_rated = any(r.total_rate is not None for r in others)
    others_classed = bool(others) and all(r.share_class for r in others)
    # An Effective Date column every other row fills, empty on the cut row, says the same as a rate.
    others_dated = bool(others) and all(r.effective_date for r in others) and cut.effective_date is None
    # Without a class: cut unless a whole name where rows need no class; with one: cut only mid-name.
    partial = (
        (not whole_name or others_classed)
        if cut.share_class is None
        else (not whole_name and (others_rated or others_dated))
    )
    if not partial:
        return rows
    diags.append(
        Diagnostic("warning", f"{cut.fund!r}: row cut off at the end of the file, left out", doc.lines[-1].no)
    )
    return [r for r in rows if r.fund != cut.fund or r.lines != cut.lines]
