"""The migrations build exactly the tables the code declares, and verify's head check."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from aim_inputs import make_ledger_url, record_aim, run_cli
from distplan.ledger import Ledger
from distplan.ledger.schema import metadata

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return make_ledger_url(request.param, tmp_path, request)


def test_migrations_match_the_declared_schema(url: str) -> None:
    Ledger.open(url).close()
    Ledger.open(url).close()  # a second open finds the schema current and does nothing
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), metadata)
        tables = set(sa.inspect(conn).get_table_names())
    engine.dispose()
    assert diffs == []
    assert {"plans", "entries", "alembic_version"} <= tables


def test_verify_expect_head_catches_a_cut_off_tail(url: str) -> None:
    record_aim(url)
    head = run_cli("--db", url, "verify", "--json").json()["head"]
    assert run_cli("--db", url, "verify", "--expect-head", head).code == 0
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        if url.startswith("sqlite"):
            conn.execute(sa.text("DROP TRIGGER entries_no_delete"))
        else:
            conn.execute(sa.text("DROP TRIGGER entries_append_only ON entries"))
        conn.execute(sa.text("DELETE FROM entries WHERE seq = 3"))
    engine.dispose()
    assert run_cli("--db", url, "verify").code == 0  # the chain alone cannot tell
    cut = run_cli("--db", url, "verify", "--expect-head", head)
    assert cut.code == 1
    assert "no entry has the expected head hash" in cut.err


def test_editing_a_plan_row_is_detected(url: str) -> None:
    from distplan.ledger.plankey import plan_key

    record_aim(url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # the plans table has no guard: rename the plan consistently
        new_key = plan_key("Some Other Plan", ("Investor",))
        conn.execute(
            sa.text("UPDATE plans SET title = 'Some Other Plan', key = :k WHERE id = 1"), {"k": new_key}
        )
    engine.dispose()
    run = run_cli("--db", url, "verify", "--json")
    assert run.code == 1
    assert run.json()["first_broken"] == 1
    assert "does not belong to plan 1" in run.json()["problem"]


def test_cli_env_var_names_the_ledger_variable() -> None:
    from distplan.cli.app import ENV_URL as CLI_ENV_URL
    from distplan.ledger import ENV_URL

    assert CLI_ENV_URL == ENV_URL


def test_head_revision_constant_is_alembics_head(url: str) -> None:
    """Opening a ledger compares its revision with HEAD_REVISION (no alembic import): it must be
    the newest migration, and what a fresh ledger is migrated to."""
    from distplan.ledger.engine import HEAD_REVISION, current_revision, head_revision

    assert head_revision() == HEAD_REVISION
    with Ledger.open(url) as ledger, ledger.engine.connect() as conn:
        assert (
            current_revision(conn) == MigrationContext.configure(conn).get_current_revision() == HEAD_REVISION
        )
