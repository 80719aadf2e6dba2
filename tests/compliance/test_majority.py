"""ICA section 2(a)(42): the lesser of 67% of those present (if more than half are present) or
more than 50% of outstanding, computed exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from distplan.compliance import majority_of_outstanding


def reference(outstanding: int, present: int, voted_for: int) -> bool:
    """Integer arithmetic only (shares in thousandths)."""
    quorum = 2 * present > outstanding
    return (quorum and 100 * voted_for >= 67 * present) or 2 * voted_for > outstanding


@given(st.data())
def test_matches_integer_reference(data: st.DataObject) -> None:
    outstanding = data.draw(st.integers(min_value=1, max_value=10**15))
    present = data.draw(st.integers(min_value=0, max_value=outstanding))
    voted_for = data.draw(st.integers(min_value=0, max_value=present))
    scale = Decimal("0.001")  # fund shares carry three decimals
    result = majority_of_outstanding(outstanding * scale, present * scale, voted_for * scale)
    assert result.passed == reference(outstanding, present, voted_for)


@pytest.mark.parametrize(
    ("outstanding", "present", "voted_for", "passed"),
    [
        ("1000", "400", "240", False),  # 60% of present, 40% present: (A) unavailable, (B) 24%
        ("1000", "600", "402", True),  # exactly 67% of present with 60% present
        ("1000", "600", "401.999", False),  # a thousandth of a share short of 67%
        ("1000", "500", "400", False),  # exactly 50% present is not "more than 50%"
        ("1000", "500.001", "335.001", True),  # just over half present, 67% of them
        ("1000", "1000", "500", False),  # exactly half of outstanding is not a majority
        ("1000", "1000", "500.001", True),
        ("1000", "0", "0", False),
        ("0", "0", "0", False),  # nothing outstanding: never a majority, never a crash
    ],
)
def test_edges(outstanding: str, present: str, voted_for: str, passed: bool) -> None:
    result = majority_of_outstanding(Decimal(outstanding), Decimal(present), Decimal(voted_for))
    assert result.passed is passed


def test_explain_names_both_tests() -> None:
    text = majority_of_outstanding(Decimal(1000), Decimal(400), Decimal(240)).explain()
    assert text == (
        "(A) unavailable: only 40.00% of outstanding present (50% needed); "
        "(B) 24.00% of outstanding is not more than 50%"
    )
