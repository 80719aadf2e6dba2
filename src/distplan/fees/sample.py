"""Deterministic synthetic net assets for demos and first steps: a seeded random walk with flows
for every covered fund-class, NYSE sessions only, in whole cents.

Each fund-class has its own stream, seeded from (seed, folded fund, folded class), so adding a
fund does not change the others' numbers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa

from distplan.fees.calendar import Calendar
from distplan.fees.coverage import CoverageLike
from distplan.model import FundClassKey
from distplan.outputs import write_atomic


def _rng(seed: int, key: tuple[str, str]) -> np.random.Generator:
    digest = hashlib.sha256(f"{seed}|{key[0]}|{key[1]}".encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def sample_nav(coverage: Iterable[CoverageLike], start: date, end: date, seed: int = 12) -> pa.Table:
    """Columns fund, share_class, date, net_assets (decimal128(18, 2)) for every fund-class the
    coverage covers on some day of `[start, end)`, on every NYSE session the accruals of that
    range use: those in it and the last one before `start` (a month's first days, before its
    first session, accrue on the previous month's last NAV)."""
    days = list(Calendar.build(start, end).sessions)
    classes: dict[FundClassKey, tuple[str, str]] = {}
    for c in coverage:
        if c.start < end and (c.end is None or c.end > start):
            classes.setdefault(FundClassKey.of(c.fund, c.share_class), (c.fund, c.share_class or ""))
    funds: list[str] = []
    share_classes: list[str] = []
    cents: list[np.ndarray] = []
    for key in sorted(classes):
        rng = _rng(seed, key)
        level = float(np.exp(rng.uniform(np.log(5e7), np.log(5e9))))
        returns = rng.normal(0.0003, 0.009, len(days))  # market moves
        flows = rng.normal(0.0, 0.0015, len(days))  # purchases less redemptions
        path = level * np.cumprod(1.0 + returns + flows)
        cents.append(np.maximum(np.round(path * 100), 0).astype(np.int64))
        fund, share_class = classes[key]
        funds.extend([fund] * len(days))
        share_classes.extend([share_class] * len(days))
    amounts = np.concatenate(cents) if cents else np.array([], dtype=np.int64)
    exact = [Decimal(int(c)).scaleb(-2) for c in amounts]
    return pa.table(
        {
            "fund": pa.array(funds, pa.string()),
            "share_class": pa.array(share_classes, pa.string()),
            "date": pa.array(days * len(classes), pa.date32()),
            "net_assets": pa.array(exact, pa.decimal128(18, 2)),
        }
    )


def write_table(table: pa.Table, path: Path) -> None:
    """Write a small Arrow table to .csv or .parquet: encoded in memory, then written all or
    nothing by `outputs.write_atomic` (a fresh temp name, never a planted link; OutputError)."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from distplan.errors import InputError

    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InputError(f"{path}: output must end in .csv or .parquet")
    sink = pa.BufferOutputStream()
    if suffix == ".csv":
        pacsv.write_csv(table, sink)
    else:
        pq.write_table(table, sink)
    write_atomic(path, sink.getvalue().to_pybytes())
