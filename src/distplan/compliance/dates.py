"""Date arithmetic for deadlines: anniversaries, calendar quarters, and the chain of annual
continuances. Shared by the checks and the calendar so both compute the same due dates."""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from distplan.errors import InputError

# The dates distplan reasons about: anything else in a governance file or a command line is a
# typo (0001-01-01, 9999-12-31), and deadline arithmetic past 9999 would fail.
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)


def check_plausible(day: date, what: str, *, exclusive_end: bool = False) -> date:
    """`day` if within [EARLIEST, LATEST] (one day more for an exclusive end); InputError else."""
    last = LATEST + timedelta(days=1) if exclusive_end else LATEST
    if not EARLIEST <= day <= last:
        raise InputError(f"{what} {day}: not a plausible date (distplan reads {EARLIEST} to {last})")
    return day


def add_months(day: date, months: int) -> date:
    """Same day `months` later; the 29th-31st clip to the month's last day (2004-02-29 + 12 ->
    2005-02-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


Quarter = tuple[int, int]  # (year, 1..4)


def quarter_of(day: date) -> Quarter:
    return (day.year, (day.month - 1) // 3 + 1)


def quarter_start(q: Quarter) -> date:
    return date(q[0], 3 * (q[1] - 1) + 1, 1)


def next_quarter(q: Quarter) -> Quarter:
    return (q[0] + 1, 1) if q[1] == 4 else (q[0], q[1] + 1)


def quarter_last_day(q: Quarter) -> date:
    nxt = quarter_start(next_quarter(q))
    return date.fromordinal(nxt.toordinal() - 1)


def quarters(first: date, last: date) -> Iterator[Quarter]:
    """Every calendar quarter that has a day in [first, last] (inclusive)."""
    q = quarter_of(first)
    while quarter_start(q) <= last:
        yield q
        q = next_quarter(q)


def quarter_label(q: Quarter) -> str:
    return f"{q[0]}Q{q[1]}"


def review_deadline(q: Quarter, within_quarters: int) -> date:
    """The last day on which the report for quarter q may be reviewed: the end of the
    `within_quarters`-th following quarter (1 = the end of the next quarter)."""
    for _ in range(within_quarters):
        q = next_quarter(q)
    return quarter_last_day(q)


@dataclass(frozen=True)
class Due:
    """One annual-continuance deadline in a chain: due on `due` (inclusive) after the approval
    of `since`; `met_on` the approval that met it, `late_on` one that came after a lapse."""

    since: date
    due: date
    met_on: date | None = None
    late_on: date | None = None

    @property
    def lapsed(self) -> bool:
        return self.met_on is None


def continuance_chain(
    anchor: date, approvals: Sequence[date], months: int, until: date, end: date | None = None
) -> list[Due]:
    """The deadlines from `anchor` (adoption or first approval) through `until` (inclusive),
    given the dates of later approvals that continue it. Each approval must come within `months`
    of the previous one (on or before the anniversary). A deadline after `end` (the plan or
    agreement stopped) is not owed. The last element may be in the future (unmet, not lapsed
    yet); callers compare `due` with their as-of date."""
    dates = sorted(d for d in approvals if d > anchor)
    chain: list[Due] = []
    last = anchor
    while True:
        due = add_months(last, months)
        if end is not None and due >= end:
            return chain
        met = next((d for d in dates if last < d <= due), None)
        if met is not None:
            chain.append(Due(last, due, met_on=met))
            last = met
            continue
        late = next((d for d in dates if d > due), None)
        chain.append(Due(last, due, late_on=late))
        if due > until or late is None:
            return chain
        last = late
