"""Deadline arithmetic: anniversaries, quarters, continuance chains."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from distplan.compliance.dates import (
    add_months,
    continuance_chain,
    quarter_of,
    quarters,
    review_deadline,
)


def test_anniversaries_clip_to_month_end() -> None:
    assert add_months(date(2004, 2, 29), 12) == date(2005, 2, 28)
    assert add_months(date(2003, 7, 1), 12) == date(2004, 7, 1)
    assert add_months(date(2003, 8, 31), 6) == date(2004, 2, 29)
    assert add_months(date(2003, 12, 15), 1) == date(2004, 1, 15)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)), st.integers(0, 600))
def test_add_months_is_monotone_and_exact_in_months(day: date, months: int) -> None:
    later = add_months(day, months)
    assert later >= day
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months


def test_quarters_and_review_deadlines() -> None:
    assert quarter_of(date(2003, 11, 3)) == (2003, 4)
    assert list(quarters(date(2003, 11, 3), date(2004, 4, 1))) == [(2003, 4), (2004, 1), (2004, 2)]
    assert review_deadline((2003, 4), 1) == date(2004, 3, 31)
    assert review_deadline((2004, 1), 1) == date(2004, 6, 30)
    assert review_deadline((2004, 3), 0) == date(2004, 9, 30)


def test_continuance_chain() -> None:
    chain = continuance_chain(date(2003, 7, 1), [date(2004, 6, 15), date(2005, 8, 1)], 12, date(2006, 1, 1))
    assert [(d.since, d.due, d.met_on, d.late_on) for d in chain] == [
        (date(2003, 7, 1), date(2004, 7, 1), date(2004, 6, 15), None),
        (date(2004, 6, 15), date(2005, 6, 15), None, date(2005, 8, 1)),  # lapsed, continued late
        (date(2005, 8, 1), date(2006, 8, 1), None, None),  # next, not yet due
    ]
    # A plan that ended before the anniversary owes nothing.
    assert continuance_chain(date(2003, 7, 1), [], 12, date(2006, 1, 1), end=date(2004, 7, 1)) == []
