"""The distributor's side, from the workspace: dealer trails, retention (fees less trails) and
the FINRA Rule 2341(d) remaining amount, each the fees stage's own function on the plan's
coverage and the recorded dealer agreements. Nothing is recomputed here.

Inputs may come already read (a front end reads the user's files first, so their problems are
named before the ledger's) or as paths: a Parquet positions file is then scanned by the engine,
never loaded into Python. How a question is answered (the ledger's moment, the engine, the fee
options) is one value, `Run`, the same for the three."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from distplan.errors import InputError

if TYPE_CHECKING:
    from distplan.app.values import KnownAt
    from distplan.compliance.findings import Finding
    from distplan.fees.agreements import Dealer
    from distplan.fees.engine import Engine
    from distplan.fees.options import FeeOptions
    from distplan.fees.prime import PrimeRates
    from distplan.fees.remaining import RemainingResult
    from distplan.fees.sales import Sale
    from distplan.fees.trails import Positions
    from distplan.model import CoveragePeriod

    PositionsInput: TypeAlias = Positions | Path  # read, or a file to read / scan
    SalesInput: TypeAlias = list[Sale] | Path
    PrimeInput: TypeAlias = PrimeRates | Path

NO_DEALERS = "no dealer agreements recorded (as known then): distplan dealers record FILE"


@dataclass(frozen=True)
class Run:
    """How a distributor question is answered: the ledger as known at `known_at` (None: now),
    on the caller's `engine` (None: a DuckDB one for the call), with the fee engine's `options`
    (rounding, missing NAV; None: the defaults) where a NAV file is read."""

    known_at: KnownAt = None
    engine: Engine | None = None
    options: FeeOptions | None = None


@dataclass(frozen=True)
class State:
    """What the three questions start from: the plan's coverage and the dealers (as known at
    the run's moment), and the engine to run on."""

    coverage: list[CoveragePeriod]
    dealers: list[Dealer]
    engine: Engine


@dataclass(frozen=True)
class RemainingView:
    """The remaining amount per fund-class (`result`) and the 2341(d) findings it raises."""

    result: RemainingResult
    findings: list[Finding]


@contextmanager
def engine_for(engine: Engine | None) -> Iterator[Engine]:
    """The caller's engine, or a DuckDB one for this call."""
    from distplan.fees import Engine

    if engine is not None:
        yield engine
        return
    own = Engine.duckdb()
    try:
        yield own
    finally:
        own.close()


def positions_of(engine: Engine, positions: PositionsInput) -> Positions:
    """Positions as the fees stage takes them: read (CSV) or scanned by the engine (Parquet)."""
    if not isinstance(positions, Path):
        return positions
    if positions.suffix.lower() in (".parquet", ".pq"):
        from distplan.fees.positionscan import scan_positions

        return scan_positions(engine, positions)
    from distplan.fees.positions import read_positions

    return read_positions(positions)


def sales_of(sales: SalesInput) -> list[Sale]:
    from distplan.fees.sales import read_sales

    return read_sales(sales) if isinstance(sales, Path) else sales


def prime_of(prime: PrimeInput) -> PrimeRates:
    from distplan.fees.prime import read_prime

    return read_prime(prime) if isinstance(prime, Path) else prime


def require(dealers: list[Dealer]) -> list[Dealer]:
    if not dealers:
        raise InputError(NO_DEALERS)
    return dealers
