"""The distributor's side, from the workspace: dealer trails, retention (fees less trails) and
the FINRA Rule 2341(d) remaining amount, each the fees stage's own function on the plan's
coverage and the recorded dealer agreements. Nothing is recomputed here.

Inputs may come already read (a front end reads the user's files first, so their problems are
named before the ledger's) or as paths: a Parquet positions file is then scanned by the engine,
never loaded into Python."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from distplan.errors import InputError

if TYPE_CHECKING:
    from distplan.compliance.findings import Finding
    from distplan.fees.engine import Engine
    from distplan.fees.prime import PrimeRates
    from distplan.fees.remaining import RemainingResult
    from distplan.fees.sales import Sale
    from distplan.fees.trails import Positions

NO_DEALERS = "no dealer agreements recorded (as known then): distplan dealers record FILE"


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


def positions_of(engine: Engine, positions: Positions | Path) -> Positions:
    """Positions as the fees stage takes them: read (CSV) or scanned by the engine (Parquet)."""
    if not isinstance(positions, Path):
        return positions
    if positions.suffix.lower() in (".parquet", ".pq"):
        from distplan.fees.positionscan import scan_positions

        return scan_positions(engine, positions)
    from distplan.fees.positions import read_positions

    return read_positions(positions)


def sales_of(sales: list[Sale] | Path) -> list[Sale]:
    from distplan.fees.sales import read_sales

    return read_sales(sales) if isinstance(sales, Path) else sales


def prime_of(prime: PrimeRates | Path) -> PrimeRates:
    from distplan.fees.prime import read_prime

    return read_prime(prime) if isinstance(prime, Path) else prime


def require(dealers: list[Any]) -> list[Any]:
    if not dealers:
        raise InputError(NO_DEALERS)
    return dealers
