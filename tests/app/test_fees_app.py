"""Accrue and true-up through the Workspace (app/fees.py): the CLI's answers, nothing written
when a check fails, the web's wording for a bad name mapping."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from aim_inputs import record_aim, run_cli
from distplan.app import Invalid, Workspace
from distplan.app.money import FeeSettings
from distplan.errors import InputError

NOV = (date(2003, 11, 1), date(2003, 12, 1))


def _ok(*args: str) -> dict:  # type: ignore[type-arg]
    done = run_cli(*args)
    assert done.code == 0, done.err
    return done.json() if "--json" in args else {}


@pytest.fixture(scope="module")
def aim(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    root = tmp_path_factory.mktemp("fees-app")
    url = f"sqlite:///{root / 'distplan.db'}"
    record_aim(url)  # entries 1-3
    terms = ("terms", "set", "--effective", "2003-07-01", "--source", "plan terms")
    _ok("--db", url, *terms, "--distribution", "0.00", "--service", "0.25")  # entry 4
    nav = root / "nav.parquet"
    _ok("--db", url, "sample-data", "--from", "2003-11-01", "--to", "2004-01-01", "--out", str(nav))
    cut = ("terms", "set", "--effective", "2003-11-17", "--source", "late cut")
    _ok("--db", url, *cut, "--distribution", "0.00", "--service", "0.20")  # entry 5
    return url, nav


def test_accrue_is_the_cli_s_answer_and_file(aim: tuple[str, Path], tmp_path: Path) -> None:
    url, nav = aim
    by_cli, by_app = tmp_path / "cli.csv", tmp_path / "app.csv"
    cli = _ok("--db", url, "fees", "accrue", "--nav", str(nav), "--month", "2003-11", "--out", str(by_cli),
              "--known-at", "4", "--json")  # fmt: skip
    with Workspace.open(url) as ws:
        view = ws.accrue(None, nav, *NOV, by_app, known_at=4)
    assert view.to_json() == {**cli, "out": str(by_app)}
    assert (view.rows, by_app.read_bytes()) == (476, by_cli.read_bytes())
    assert view.total > 0


def test_accrue_writes_nothing_when_nav_is_missing(aim: tuple[str, Path], tmp_path: Path) -> None:
    url, nav = aim
    out = tmp_path / "jan.parquet"
    with Workspace.open(url) as ws, pytest.raises(InputError, match="missing"):
        ws.accrue(None, nav, date(2004, 1, 1), date(2004, 2, 1), out)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_name_mapping_is_named_before_the_engine_starts(
    aim: tuple[str, Path], tmp_path: Path
) -> None:
    url, nav = aim
    how = FeeSettings(engine="no such engine", mapping=tmp_path / "map.csv")
    with (
        Workspace.open(url) as ws,
        pytest.raises(Invalid, match=r"map\.csv: no such file \(the NAV name mapping\)"),
    ):
        ws.accrue(None, nav, *NOV, tmp_path / "out.csv", settings=how)


def test_true_up_is_the_cli_s_answer(aim: tuple[str, Path]) -> None:
    url, nav = aim
    cli = _ok("--db", url, "fees", "true-up", "--nav", str(nav), "--month", "2003-11",
              "--from-known-at", "4", "--to-known-at", "5", "--json")  # fmt: skip
    with Workspace.open(url) as ws:
        view = ws.true_up(None, nav, 2003, 11, known_at=(4, 5))
    assert view.to_json() == cli
    assert view.adjustment < 0  # the late cut lowered November's fees
    assert view.adjustment == sum(r["adjustment"] for r in view.table.to_pylist())
