"""Governance facts: board meetings and their approvals, shareholder votes, quarterly reports,
related agreements, record keeping. Frozen records; each carries where it was stated (`Where`).

`majority_of_outstanding` decides ICA section 2(a)(42) exactly, in Decimal arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from distplan.model import FundClassKey

APPROVAL_KINDS: tuple[str, ...] = ("plan", "agreement", "amendment", "continuance")
VOTE_MATTERS: tuple[str, ...] = ("plan", "amendment", "increase")


@dataclass(frozen=True)
class Where:
    """Provenance of a fact: the governance file and line, and the ledger entry once recorded."""

    path: str
    line: int | None = None
    seq: int | None = None


@dataclass(frozen=True)
class FundClass:
    """A fund and share class. `fund=None` means every fund of the class (a class-wide action)."""

    fund: str | None
    share_class: str | None

    def matches(self, fund: str, share_class: str | None) -> bool:
        """The same fund-class (`FundClassKey`: "Investor Class" is "Investor")."""
        mine, theirs = FundClassKey.of(self.fund or "", self.share_class), FundClassKey.of(fund, share_class)
        return (self.fund is None or mine.fund == theirs.fund) and mine.share_class == theirs.share_class

    def label(self) -> str:
        fund = self.fund or "every fund"
        return f"{fund} ({self.share_class} Class)" if self.share_class else fund


@dataclass(frozen=True)
class Tally:
    members: int
    voted_for: int
    against: int | None = None

    def majority(self, more_than: Decimal) -> bool:
        """More than `more_than` of the members voted for (exact)."""
        return self.members > 0 and Decimal(self.voted_for) > more_than * self.members


@dataclass(frozen=True)
class Meeting:
    id: str
    date: date
    in_person: bool | None
    called_for_purpose: bool | None
    board: Tally | None
    qualified: Tally | None
    minutes: str | None = None
    where: Where = field(default_factory=lambda: Where("<governance>"))


@dataclass(frozen=True)
class Approval:
    """One thing the board approved at a meeting. `scope=None` means the vote was recorded for
    the plan as a whole, not separately per fund and class."""

    id: str
    meeting: Meeting
    what: str  # one of APPROVAL_KINDS
    amendment: int | None = None
    effective: date | None = None  # selects an instrument by its effective date
    agreement: str | None = None
    scope: tuple[FundClass, ...] | None = None
    findings: frozenset[str] = frozenset()
    where: Where = field(default_factory=lambda: Where("<governance>"))

    @property
    def date(self) -> date:
        return self.meeting.date

    def covers(self, fund: str, share_class: str | None) -> bool:
        return self.scope is None or any(fc.matches(fund, share_class) for fc in self.scope)

    def names_separately(self, fund: str, share_class: str | None) -> bool:
        """Rule 12b-1(g): the fund-class is named itself, not through a plan- or class-wide vote."""
        return self.scope is not None and any(
            fc.fund is not None and fc.matches(fund, share_class) for fc in self.scope
        )


@dataclass(frozen=True)
class ShareholderVote:
    id: str
    date: date
    fund: str
    share_class: str | None
    outstanding: Decimal
    present: Decimal
    voted_for: Decimal
    matter: str = "plan"  # one of VOTE_MATTERS
    amendment: int | None = None
    max_rate: Decimal | None = None
    where: Where = field(default_factory=lambda: Where("<governance>"))

    def matches(self, fund: str, share_class: str | None) -> bool:
        return FundClass(self.fund, self.share_class).matches(fund, share_class)


@dataclass(frozen=True)
class QuarterlyReport:
    id: str
    year: int
    quarter: int
    delivered: date | None = None
    reviewed: date | None = None
    spent: tuple[tuple[str, Decimal], ...] = ()
    document: str | None = None
    where: Where = field(default_factory=lambda: Where("<governance>"))

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.quarter}"


@dataclass(frozen=True)
class Agreement:
    id: str
    name: str
    parties: tuple[str, ...] = ()
    effective: date | None = None
    written: bool | None = None
    without_penalty: bool | None = None
    notice_days: int | None = None
    terminates_on_assignment: bool | None = None
    terminated: date | None = None
    document: str | None = None
    where: Where = field(default_factory=lambda: Where("<governance>"))


@dataclass(frozen=True)
class ClassFacts:
    """Facts about a class (of one fund, or of every fund when `fund` is None)."""

    share_class: str
    fund: str | None = None
    first_offered: date | None = None
    no_load: bool = False
    where: Where = field(default_factory=lambda: Where("<governance>"))

    def matches(self, fund: str, share_class: str | None) -> bool:
        return FundClass(self.fund, self.share_class).matches(fund, share_class)


@dataclass(frozen=True)
class PlanFacts:
    ref: str | None = None  # how the ledger names the plan (`--plan`)
    title: str | None = None
    adopted: date | None = None
    document: str | None = None
    classes: tuple[ClassFacts, ...] = ()
    where: Where = field(default_factory=lambda: Where("<governance>"))


@dataclass(frozen=True)
class RecordKeeping:
    """Where a copy of a plan, agreement or report is kept (Rule 12b-1(f))."""

    id: str
    document: str
    dated: date
    location: str | None = None
    offsite_from: date | None = None  # no longer in an easily accessible place from this date
    destroyed: date | None = None
    where: Where = field(default_factory=lambda: Where("<governance>"))


@dataclass(frozen=True)
class Policies:
    directed_brokerage: date | None = None  # Rule 12b-1(h) policies adopted on
    where: Where = field(default_factory=lambda: Where("<governance>"))


@dataclass(frozen=True)
class GovernanceFacts:
    plan: PlanFacts | None = None
    meetings: tuple[Meeting, ...] = ()
    approvals: tuple[Approval, ...] = ()
    shareholder_votes: tuple[ShareholderVote, ...] = ()
    reports: tuple[QuarterlyReport, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    records: tuple[RecordKeeping, ...] = ()
    policies: Policies | None = None

    def known_on(self, day: date) -> GovernanceFacts:
        """Only the facts dated on or before `day` (a later meeting has not happened yet)."""
        return replace(
            self,
            meetings=tuple(m for m in self.meetings if m.date <= day),
            approvals=tuple(a for a in self.approvals if a.date <= day),
            shareholder_votes=tuple(v for v in self.shareholder_votes if v.date <= day),
            reports=tuple(
                replace(r, reviewed=r.reviewed if r.reviewed and r.reviewed <= day else None)
                for r in self.reports
                if (r.delivered or r.reviewed or day) <= day
            ),
            agreements=tuple(a for a in self.agreements if a.effective is None or a.effective <= day),
            records=tuple(r for r in self.records if r.dated <= day),
        )

    def merge(self, other: GovernanceFacts) -> GovernanceFacts:
        """Facts from two files; a fact with the same id in `other` replaces this one's."""

        def union(mine: tuple[Any, ...], theirs: tuple[Any, ...]) -> tuple[Any, ...]:
            ids = {x.id for x in theirs}
            return tuple(x for x in mine if x.id not in ids) + tuple(theirs)

        return GovernanceFacts(
            plan=other.plan or self.plan,
            meetings=union(self.meetings, other.meetings),
            approvals=union(self.approvals, other.approvals),
            shareholder_votes=union(self.shareholder_votes, other.shareholder_votes),
            reports=union(self.reports, other.reports),
            agreements=union(self.agreements, other.agreements),
            records=union(self.records, other.records),
            policies=other.policies or self.policies,
        )


@dataclass(frozen=True)
class MajorityResult:
    """The ICA 2(a)(42) computation, kept so a finding can show its arithmetic."""

    passed: bool
    quorum: bool  # more than the quorum share of outstanding present: test (A) available
    test_a: bool  # at least the supermajority share of those present
    test_b: bool  # more than the majority share of outstanding
    present_share: Decimal
    for_share_of_present: Decimal
    for_share_of_outstanding: Decimal

    def explain(self) -> str:
        def pct(x: Decimal) -> str:
            return f"{(x * 100).quantize(Decimal('0.01'))}%"

        a = (
            f"(A) {pct(self.for_share_of_present)} of those present "
            + ("met" if self.test_a else "did not meet")
            + " the 67% test"
            if self.quorum
            else f"(A) unavailable: only {pct(self.present_share)} of outstanding present (50% needed)"
        )
        b = (
            f"(B) {pct(self.for_share_of_outstanding)} of outstanding "
            + ("is" if self.test_b else "is not")
            + " more than 50%"
        )
        return f"{a}; {b}"


def majority_of_outstanding(
    outstanding: Decimal,
    present: Decimal,
    voted_for: Decimal,
    *,
    supermajority: Decimal = Decimal("0.67"),
    quorum_more_than: Decimal = Decimal("0.50"),
    outstanding_more_than: Decimal = Decimal("0.50"),
) -> MajorityResult:
    """ICA section 2(a)(42): the lesser of (A) 67% or more of the shares present, if more than
    50% of outstanding are present, or (B) more than 50% of outstanding. The lesser requirement
    governs, so the vote passes when either test is met. Exact: Decimal comparisons only."""
    if outstanding <= 0:
        zero = Decimal(0)
        return MajorityResult(False, False, False, False, zero, zero, zero)
    quorum = present > quorum_more_than * outstanding
    test_a = quorum and voted_for >= supermajority * present
    test_b = voted_for > outstanding_more_than * outstanding
    return MajorityResult(
        passed=test_a or test_b,
        quorum=quorum,
        test_a=test_a,
        test_b=test_b,
        present_share=present / outstanding,
        for_share_of_present=voted_for / present if present > 0 else Decimal(0),
        for_share_of_outstanding=voted_for / outstanding,
    )
