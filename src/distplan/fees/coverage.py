"""Coverage periods as the fee engine sees them: which fund-class accrues at which rates when.

The history stage produces `distplan.model.CoveragePeriod` records (also named `Coverage` here),
so the engine can be driven from a ledger, from gold labels or from tests.
Here they are validated, their rates resolved into the two accrued components, clipped to the
accrual range and numbered (`period_id`, and `fc_id` per `FundClassKey`).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from distplan.errors import InputError
from distplan.model import CoveragePeriod, Diagnostic, FundClassKey

# Rates are percent per annum; ten decimal places is what the engine's DECIMAL(38, 10) holds.
RATE_SCALE = 10
MAX_RATE = Decimal("100")


# The engine reads the record the history stage produces (one definition, in distplan.model);
# callers without a ledger (tests, gold labels) build the same record.
Coverage = CoveragePeriod
CoverageLike = CoveragePeriod


@dataclass(frozen=True)
class Period:
    """One coverage period clipped to the accrual range, rates resolved."""

    period_id: int
    fc_id: int
    plan: str
    registrant: str | None
    fund: str
    share_class: str | None
    start: date
    end: date  # exclusive, never open: clipped to the range
    rate_distribution: Decimal
    rate_service: Decimal
    instrument: str


def label(fund: str, share_class: str | None) -> str:
    return f"{fund} ({share_class})" if share_class else fund


def _check_rate(value: Decimal | None, what: str, where: str) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0 or value > MAX_RATE:
        raise InputError(f"{where}: {what} rate {value!r} is not a percentage between 0 and 100")
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > RATE_SCALE:
        raise InputError(f"{where}: {what} rate {value} has more than {RATE_SCALE} decimal places")
    return value


def resolve_rates(cov: CoverageLike) -> tuple[Decimal, Decimal, str | None]:
    """(distribution, service, warning): the components charged under the cap rule
    (`distplan.model.Rates`); the warning says how, when a component was inferred or capped."""
    where = f"coverage of {label(cov.fund, cov.share_class)} from {cov.start} ({cov.instrument})"
    for what, value in (
        ("distribution", cov.rate_distribution),
        ("service", cov.rate_service),
        ("aggregate", cov.rate_aggregate),
    ):
        _check_rate(value, what, where)
    charged = cov.rates.charged()
    if charged is None:
        raise InputError(f"{where}: no rate is known (record the plan terms' rates)")
    return charged.distribution, charged.service, charged.inferred


@dataclass(frozen=True)
class ResolvedCoverage:
    periods: tuple[Period, ...]
    # Every fund-class key the plan ever covered (not only in range) -> fc_id.
    keys: dict[FundClassKey, int]
    warnings: tuple[Diagnostic, ...]


def resolve(coverage: Iterable[CoverageLike], start: date, end: date) -> ResolvedCoverage:
    """Validate and number coverage periods, clipping them to `[start, end)`.

    Periods of one fund-class must not overlap: two rates for one day would double-charge."""
    items: Sequence[CoverageLike] = list(coverage)
    keys: dict[FundClassKey, int] = {}
    periods: list[Period] = []
    # How rates were inferred or capped -> the fund-class periods concerned: one warning each.
    inferred: dict[str, list[str]] = {}
    by_fc: dict[FundClassKey, list[CoverageLike]] = {}
    for cov in items:
        if cov.end is not None and cov.end < cov.start:
            raise InputError(f"coverage of {label(cov.fund, cov.share_class)}: ends before it starts")
        by_fc.setdefault(FundClassKey.of(cov.fund, cov.share_class), []).append(cov)
    # Ids follow the folded names, so ordering by id is ordering by fund and class; a fund-class's
    # periods get consecutive ids in start order (payables rely on both).
    for fc_id, key in enumerate(sorted(by_fc)):
        keys[key] = fc_id
    for key in sorted(by_fc):
        fc_id, group = keys[key], by_fc[key]
        group.sort(key=lambda c: c.start)
        for prev, cur in itertools.pairwise(group):
            if prev.end is None or prev.end > cur.start:
                raise InputError(
                    f"coverage of {label(cur.fund, cur.share_class)}: periods from {prev.start} and "
                    f"{cur.start} overlap"
                )
        for cov in group:
            lo = max(cov.start, start)
            hi = end if cov.end is None else min(cov.end, end)
            if hi <= lo:
                continue
            dist, serv, how = resolve_rates(cov)
            if how is not None:
                inferred.setdefault(how, []).append(f"{label(cov.fund, cov.share_class)} from {cov.start}")
            periods.append(
                Period(
                    period_id=len(periods),
                    fc_id=fc_id,
                    plan=cov.plan,
                    registrant=cov.registrant,
                    fund=cov.fund,
                    share_class=cov.share_class,
                    start=lo,
                    end=hi,
                    rate_distribution=dist,
                    rate_service=serv,
                    instrument=cov.instrument,
                )
            )
    warnings = [
        Diagnostic(
            "warning",
            f"{how}: {len(whom)} coverage period(s), {whom[0]}"
            + (f" and {len(whom) - 1} more" if len(whom) > 1 else ""),
        )
        for how, whom in inferred.items()
    ]
    return ResolvedCoverage(tuple(periods), keys, tuple(warnings))
