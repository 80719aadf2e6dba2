"""The public API is exactly `distplan.__all__`, and every name in it resolves."""

from __future__ import annotations

import subprocess
import sys

import distplan


def test_every_public_name_resolves() -> None:
    for name in distplan.__all__:
        assert getattr(distplan, name) is not None, name
    assert sorted(distplan.__all__) == sorted(set(distplan.__all__))


def test_unknown_names_raise_attribute_error() -> None:
    try:
        distplan.no_such_thing  # noqa: B018
    except AttributeError as exc:
        assert "no_such_thing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_import_stays_light() -> None:
    # The fee engines (Ibis, DuckDB) and SQLAlchemy load on first use, not on `import distplan`.
    code = "import sys, distplan; print(any(m in sys.modules for m in ('ibis', 'duckdb', 'sqlalchemy', 'pyspark')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_a_command_imports_only_its_own_stage() -> None:
    # `distplan extract` must not pay for the ledger, the fee engines or compliance.
    code = (
        "import sys; from distplan.cli import register; register(['extract', 'x.txt']); "
        "print(sorted(m for m in ('sqlalchemy', 'ibis', 'duckdb', 'distplan.compliance') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    # --help (no command) registers every command.
    code = "from distplan.cli import app, register; register([]); print(len(app.registered_commands))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(done.stdout) >= 15
