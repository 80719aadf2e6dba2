"""Schemathesis over the OpenAPI schema: generated requests to every operation, as a user whose
role may call it, never get a 500. Bounded: 12 examples per operation, no shrinking."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from webapp import Site, site


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with site(tmp_path_factory.mktemp("fuzz")) as made:
        yield made


def _role(method: str, path: str) -> str:
    if path.endswith("/users"):
        return "admin"
    if method == "POST" and (path.endswith("/terms") or path.endswith("/uploads/nav")):
        return "administrator"
    if method == "POST":
        return "counsel"
    return "auditor"


_BOUND = settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def test_no_server_errors(fuzz_site: Site) -> None:
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", fuzz_site.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20

    for operation in operations:
        _fuzz(operation, fuzz_site.auth(_role(operation.method.upper(), operation.path)))


def _fuzz(operation: Any, headers: dict[str, str]) -> None:
    @_BOUND
    @given(case=operation.as_strategy())
    def call(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error], headers=headers)

    call()
