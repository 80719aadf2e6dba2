"""Issue 8 item 22, case by case: the command lines that printed a traceback are one line and
exit 2, and a failing `record` writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_ledger import make_aim_ledger

from aim_inputs import run_cli


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    aim = make_aim_ledger(tmp_path_factory.mktemp("item22"))
    return aim.url, aim.root


def _instrument(root: Path, name: str, change: dict[str, object], row_fund: str | None = None) -> Path:
    data = json.loads((root / "amend2.json").read_text())
    data.update(change)
    if row_fund is not None:
        data["schedule"]["rows"][1]["fund"] = row_fund
    path = root / name
    path.write_text(json.dumps(data))  # ensure_ascii: a lone surrogate is written as \ud800
    return path


def _inputs(root: Path) -> dict[str, Path]:
    deep = root / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    return {
        "surrogate": _instrument(root, "surrogate.json", {}, row_fund="Fund \ud800 X"),
        "diag": _instrument(root, "diag.json", {"diagnostics": 1.5}),
        "deep": deep,
    }


# {db} is `--db URL`, {root} the folder with nav.csv and amend2.json, the others _inputs().
CASES = {
    "render -o DIR": "render {root}/amend2.json --to docx -o {root}",
    "sample-data --out DIR": "{db} sample-data --from 2003-11-03 --to 2003-11-10 --out {root}",
    "sample-data --from 1985": "{db} sample-data --from 1985-01-01 --to 1985-02-01 --out {root}/x.csv",
    "sample-data --from 0001": "{db} sample-data --from 0001-01-01 --to 0001-02-01 --out {root}/x.csv",
    "accrue 0001 to 9999": "{db} fees accrue --nav {root}/nav.csv --from 0001-01-01 --to 9999-12-31 --out {root}/a.csv",
    "--due-days 100000000": "{db} fees payables --nav {root}/nav.csv --month 2003-11 --due-days 100000000",
    "calendar --to 9999-12-31": "{db} calendar --from 2003-11-01 --to 9999-12-31",
    "void 99999999999999999999": "{db} void 99999999999999999999 --reason x",
    "record: a \\ud800 escape in JSON": "{db} record {surrogate}",
    "record: diagnostics: 1.5": "{db} record {diag}",
    "render: diagnostics: 1.5": "render {diag}",
    "record: JSON nested 100,000 deep": "{db} record {deep}",
    "render: JSON nested 100,000 deep": "render {deep}",
}


@pytest.mark.parametrize("case", list(CASES))
def test_one_line_and_exit_2(case: str, ledger: tuple[str, Path]) -> None:
    url, root = ledger
    argv = CASES[case].format(db=f"--db {url}", root=root, **_inputs(root)).split()
    before = run_cli("--db", url, "verify", "--json").json()["entries"]
    result = run_cli(*argv)
    assert result.code == 2, result.err
    lines = [
        line for line in result.err.splitlines() if not line.startswith(("warning:", "distplan: warning:"))
    ]
    assert len(lines) == 1 and lines[0].startswith("distplan: "), result.err
    assert "internal error" not in result.err
    assert run_cli("--db", url, "verify", "--json").json()["entries"] == before  # nothing written
