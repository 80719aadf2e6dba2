"""Fee-engine fixtures: one DuckDB engine per module, one real local Spark per test session.

Spark starts once (about 10 s). With DISTPLAN_REQUIRE_SERVICES=1 (make test, CI) a Spark that
cannot start FAILS the tests that need it instead of skipping them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from distplan.fees import Engine

REQUIRE_SERVICES = os.environ.get("DISTPLAN_REQUIRE_SERVICES") == "1"


def _unavailable(why: str) -> None:
    message = f"Spark is not available: {why}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (DISTPLAN_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def duck() -> Iterator[Engine]:
    engine = Engine.duckdb(threads=2)
    yield engine
    engine.close()


@pytest.fixture(scope="session")
def spark() -> Iterator[Engine]:
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        _unavailable("no Java runtime (java not on PATH, JAVA_HOME unset)")
    try:
        engine = Engine.spark("local[2]")
        engine.session.range(1).count()  # really start it
    except Exception as exc:
        _unavailable(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
    yield engine
    engine.session.stop()
