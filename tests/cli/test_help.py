"""`--version`, and help that reads like a manual: `--json`, `FILE...`, `DATE`, never Typer's
`<bool>` / `<list[Path]>` / `<path>` type names."""

from __future__ import annotations

import re

import pytest
import typer

import distplan
from aim_inputs import run_cli
from distplan.cli import app, register
from distplan.cli.helptext import humanize

_TYPE_METAVAR = re.compile(r"<(bool|str|int|float|path|file|list\[|[a-z_]+\])|<[a-z]+>")


def _command_paths() -> list[list[str]]:
    register([])  # every command module
    root = typer.main.get_command(app)
    paths: list[list[str]] = [[]]

    def walk(command: object, prefix: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            paths.append([*prefix, name])
            walk(sub, [*prefix, name])

    walk(root, [])
    return paths


COMMANDS = _command_paths()


def test_every_command_is_covered() -> None:
    names = {" ".join(p) for p in COMMANDS}
    assert {"record", "extract", "fees payables", "terms set", "check", "calendar"} <= names
    assert len(COMMANDS) > 20


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "distplan")
def test_help_has_readable_metavars(path: list[str]) -> None:
    result = run_cli(*path, "--help")
    assert result.code == 0, result.err
    assert "Usage: distplan" in result.out
    found = _TYPE_METAVAR.findall(result.out)
    assert not found, f"type-name metavars {found} in `distplan {' '.join(path)} --help`:\n{result.out}"


def test_metavars_say_what_the_value_is() -> None:
    record = run_cli("record", "--help").out
    assert "FILE..." in record and "TIMESTAMP" in record
    payables = run_cli("fees", "payables", "--help").out
    assert re.search(r"--nav\s+FILE", payables) and re.search(r"--month\s+YYYY-MM", payables)
    assert re.search(r"--json\s+Print", payables)  # a flag takes no value
    root = run_cli("--help").out
    assert re.search(r"--db\s+URL", root)
    assert re.search(r"--as-of\s+DATE", run_cli("schedule", "--help").out)


def test_an_explicit_metavar_wins() -> None:
    demo = typer.Typer(add_completion=False)

    @demo.command()
    def go(when: str = typer.Option("x", "--as-of", metavar="WHEN"), n: int = typer.Option(1)) -> None:
        """Demo."""

    command = typer.main.get_command(demo)
    humanize(command)
    metavars = {p.name: p.metavar for p in command.params}
    assert metavars == {"when": "WHEN", "n": "N"}


def test_version() -> None:
    result = run_cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"distplan {distplan.__version__}"
