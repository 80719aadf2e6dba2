"""The AIM demo ledger the reports are built from: Amendments 2, 3 and 4 as recorded from the
filings, the plan terms (0.00% + 0.25%), sample net assets for 2003-06-30 to 2004-07-01 and
the sample governance file, as `make demo` records them. Built once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aim_inputs import ROOT, run_cli, text_paths
from distplan.app import Workspace
from distplan.reports.common import Scope

STAMP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Demo:
    root: Path
    url: str
    nav: Path


def ok(*args: str) -> str:
    result = run_cli(*args)
    assert result.code == 0, result.err
    return result.out


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    root = tmp_path_factory.mktemp("reports")
    url = f"sqlite:///{root / 'distplan.db'}"
    ok("--db", url, "record", *map(str, text_paths()), "--recorded-at", "2003-12-01T12:00:00Z")
    ok("--db", url, "terms", "set", "--effective", "2003-07-01", "--distribution", "0", "--service", "0.25",
       "--source", "Investor Class plan: 0.00% asset-based, 0.25% service", "--recorded-at", "2003-12-02")  # fmt: skip
    nav = root / "nav.parquet"
    ok("--db", url, "sample-data", "--from", "2003-06-30", "--to", "2004-07-01", "--out", str(nav))
    ok("--db", url, "record", str(ROOT / "examples" / "governance.yaml"), "--recorded-at", "2003-12-03")
    return Demo(root, url, nav)


@pytest.fixture(scope="session")
def scope(demo: Demo) -> Iterator[Scope]:
    with Workspace.open(demo.url) as ws:
        yield Scope(ws)
