"""Fixtures of the report tests: the AIM demo ledger (reports_demo.py), built once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from reports_demo import Demo, build_demo

from distplan.app import Workspace
from distplan.reports.common import Scope


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return build_demo(tmp_path_factory.mktemp("reports"))


@pytest.fixture(scope="session")
def scope(demo: Demo) -> Iterator[Scope]:
    with Workspace.open(demo.url) as ws:
        yield Scope(ws)
