"""Pages of long answers: a 10,000-fund schedule is served a page at a time, filtered by a
part of a fund's name, so a request never encodes (or renders) every row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TypeVar

from distplan import history as H
from distplan.app.errors import Invalid
from distplan.app.results import Page, ScheduleView

T = TypeVar("T")


def page_list(
    items: Sequence[T], offset: int, limit: int | None, fund: str | None = None
) -> tuple[list[T], Page]:
    """Items from `offset`, at most `limit` (None: all), and the page they are."""
    if offset < 0 or (limit is not None and limit < 1):
        raise Invalid("a page starts at offset 0 or later and holds at least one row", "offset")
    size = len(items) if limit is None else limit
    return list(items[offset : offset + size]), Page(offset, max(size, 1), len(items), fund)


def page_of(view: ScheduleView, fund: str | None, offset: int, limit: int | None) -> ScheduleView:
    """The view with one page of its rows: those whose fund name contains `fund` (folded),
    from `offset`, at most `limit` (None: all)."""
    rows = view.state.rows
    needle = H.fold(fund) if fund and fund.strip() else ""
    if needle:
        keys = view.state.fund_keys
        rows = tuple(line for line, key in zip(rows, keys, strict=True) if needle in key)
    shown, page = page_list(rows, offset, limit, fund.strip() if needle and fund else None)
    return replace(view, page=page, page_rows=tuple(shown))
