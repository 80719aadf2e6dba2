"""Fee-engine fixtures: one DuckDB engine per module. The `spark` engine (one application on a
real standalone cluster per test session) comes from tests/spark_cluster.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from distplan.fees import Engine


@pytest.fixture(scope="module")
def duck() -> Iterator[Engine]:
    engine = Engine.duckdb(threads=2)
    yield engine
    engine.close()
