"""A fund-class's Rule 12b-1 rates as stated and the cap rule that says what is charged."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO_RATE = Decimal(0)
ALLOCATION = "service-first"  # the name of the cap rule's allocation (see Rates)


@dataclass(frozen=True)
class Charged:
    """The two components actually accrued, percent per annum. `inferred` says, when a component
    was not stated and was derived from the aggregate (or the aggregate cut the stated ones),
    how: callers report it as a warning."""

    distribution: Decimal
    service: Decimal
    inferred: str | None = None

    @property
    def total(self) -> Decimal:
        return self.distribution + self.service


@dataclass(frozen=True)
class Rates:
    """A fund-class's Rule 12b-1 rates as stated, percent per annum (`None`: not stated): the
    distribution fee (asset-based sales charge), the service fee and the maximum aggregate fee.

    The cap rule, the one place fees and compliance checks take the rate from (`charged`):

    * The fee never exceeds a stated aggregate, nor a stated component.
    * Allocation, named `service-first` (ALLOCATION): the service fee is charged first, up to its stated
      maximum and the aggregate; the distribution fee takes what the aggregate leaves, up to its
      stated maximum. (Schedules such as Invesco's state a maximum service fee and a maximum
      aggregate with the asset-based charge as the remainder, DOMAIN.md section 0; FINRA Rule
      2341 counts the two against separate caps, so the split matters.)
    * A component not stated, when the aggregate is: the remainder of the aggregate after the
      stated component (an inference, reported). Only the aggregate stated: all of it is
      accrued as distribution (reported). No aggregate: a missing component is 0.
    * An aggregate above distribution + service (both stated) cannot be charged in full: the
      sum of the components is (reported).
    """

    distribution: Decimal | None = None
    service: Decimal | None = None
    aggregate: Decimal | None = None

    @property
    def known(self) -> bool:
        return any(r is not None for r in (self.distribution, self.service, self.aggregate))

    def charged(self) -> Charged | None:
        """The components accrued under the cap rule; None when no rate is stated."""
        d, s, agg = self.distribution, self.service, self.aggregate
        if agg is None:
            if d is None and s is None:
                return None
            return Charged(d or ZERO_RATE, s or ZERO_RATE)
        if d is None and s is None:
            return Charged(
                agg,
                ZERO_RATE,
                f"only the aggregate rate {agg}% is known; accrued as the distribution component",
            )
        if d is None or s is None:
            known = s if d is None else d
            assert known is not None
            stated, rest = min(known, agg), agg - min(known, agg)
            name, other = ("service", "distribution") if d is None else ("distribution", "service")
            note = f"{other} not stated: the aggregate {agg}% less {name} {stated}% = {rest}%"
            return Charged(rest, stated, note) if d is None else Charged(stated, rest, note)
        service = min(s, agg)
        distribution = min(d, agg - service)
        if service + distribution < d + s:
            return Charged(
                distribution,
                service,
                f"distribution {d}% + service {s}% exceed the aggregate {agg}%: charged service "
                f"{service}% first, then distribution {distribution}% ({ALLOCATION})",
            )
        if agg > d + s:
            return Charged(
                d, s, f"the aggregate {agg}% exceeds distribution {d}% + service {s}%: charged their sum"
            )
        return Charged(d, s)

    @property
    def total(self) -> Decimal | None:
        """The annual rate charged (never above a stated aggregate); None when none is stated."""
        charged = self.charged()
        return None if charged is None else charged.total


def rate_text(value: Decimal | None) -> str | None:
    """A rate as written in JSON: the exact decimal string, or None when not stated."""
    return str(value) if value is not None else None
