from __future__ import annotations

from collections.abc import Iterator

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
