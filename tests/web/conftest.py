from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from webapp import Site, site


@pytest.fixture(scope="module")
def aim_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with site(tmp_path_factory.mktemp("web")) as made:
        yield made


@pytest.fixture(scope="module")
def client(aim_site: Site) -> Iterator[TestClient]:
    with TestClient(aim_site.app) as c:
        yield c


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
REQUIRE = os.environ.get("DISTPLAN_REQUIRE_SERVICES") == "1"


def _unavailable(why: str) -> None:
    if REQUIRE:
        pytest.fail(f"Chromium is not available: {why} (DISTPLAN_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(f"Chromium is not available: {why}")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser), for the browser tests."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(str(exc))
    if not Path(CHROMIUM).exists():
        _unavailable(f"{CHROMIUM} not found (scripts/system-deps.sh installs it)")
    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        except Exception as exc:  # the launch error says why (missing libraries, ...)
            _unavailable(str(exc).splitlines()[0])
        yield chromium
        chromium.close()
