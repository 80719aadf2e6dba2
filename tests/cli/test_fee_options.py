"""`@fee_run` gives a Typer command the shared run options and hands them over as one FeeRun."""

from __future__ import annotations

from typing import Annotated

import typer
from typer.testing import CliRunner

from distplan.cli.fee_options import FeeRun, fee_run


def _app(nav: bool, seen: list[tuple[str, FeeRun]]) -> typer.Typer:
    app = typer.Typer()

    @app.command()
    @fee_run(nav=nav)
    def cmd(name: Annotated[str, typer.Option("--name")], run: FeeRun, flag: bool = False) -> None:
        seen.append((name, run))

    return app


def test_the_options_arrive_as_one_run() -> None:
    seen: list[tuple[str, FeeRun]] = []
    args = [
        "--name",
        "x",
        "--known-at",
        "7",
        "--plan",
        "p",
        "--engine",
        "spark",
        "--rounding",
        "monthly-cents-half-even",
    ]
    result = CliRunner().invoke(_app(True, seen), [*args, "--carry-missing"])
    assert result.exit_code == 0, result.output
    assert seen == [("x", FeeRun("7", "p", "spark", "local[*]", "monthly-cents-half-even", True))]


def test_without_nav_there_is_no_rounding_option() -> None:
    seen: list[tuple[str, FeeRun]] = []
    app = _app(False, seen)
    assert CliRunner().invoke(app, ["--name", "x"]).exit_code == 0
    assert seen == [("x", FeeRun())]
    assert CliRunner().invoke(app, ["--name", "x", "--rounding", "r"]).exit_code == 2
