"""`distplan draft`: the next amendment built from the plan's state, never recorded; every bad
value one line naming its option, exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aim_draft import ADDED, RAISED, REMOVED, RENAMED, AimDraft, make

from aim_inputs import Run, run_cli


@pytest.fixture(scope="module")
def aim(tmp_path_factory: pytest.TempPathFactory) -> AimDraft:
    return make(tmp_path_factory.mktemp("draft"))


def _draft_cli(aim: AimDraft, *extra: str) -> Run:
    return run_cli("--db", aim.url, "draft", "--as-of", "2004-06-01", "--effective", "2004-07-01", *extra)


def _draft(aim: AimDraft) -> dict:
    return json.loads(aim.draft.read_text())


def test_the_draft_is_the_next_amendment_with_the_full_new_schedule(aim: AimDraft) -> None:
    d = _draft(aim)
    assert (d["kind"], d["amendment_number"], d["effective_date"]) == ("amendment", 5, "2004-07-01")
    assert d["plan"]["dated"] == "2003-07-01" and d["plan"]["share_classes"] == ["Investor"]
    assert d["operations"] == [
        {"op": "rename_fund", "target": RENAMED[0], "new_name": RENAMED[1]},
        {"op": "replace_schedule", "target": "Schedule A"},
    ]
    rows = {r["fund"]: r for r in d["schedule"]["rows"]}
    assert len(rows) == 14  # 14 in force on 2004-06-01, +1 -1
    assert REMOVED not in rows and RENAMED[0] not in rows and RENAMED[1] in rows
    assert rows[ADDED]["registrant"] == "AIM Sector Funds"  # its registrant when last covered
    assert (rows[ADDED]["distribution_fee"], rows[ADDED]["service_fee"]) == ("0.00", "0.25")
    assert (rows[RAISED]["distribution_fee"], rows[RAISED]["aggregate_fee"]) == ("0.10", "0.35")
    # Rates from plan terms stay unstated: the terms still apply.
    assert rows["INVESCO Core Equity Fund"]["service_fee"] is None


def test_drafting_writes_nothing_to_the_ledger(aim: AimDraft, tmp_path: Path) -> None:
    before = aim.db.read_bytes()
    out = tmp_path / "again.json"
    result = _draft_cli(aim, "--remove", REMOVED, "-o", str(out))
    assert result.code == 0, result.err
    assert aim.db.read_bytes() == before
    assert json.loads(out.read_text())["amendment_number"] == 5


BAD = [
    (["--remove", "INVESCO Liesure Fund"], "did you mean 'INVESCO Leisure Fund'"),
    (["--add", "New Fund"], "--rates"),
    (["--add", "New Fund", "--rates", "0.1,0.2"], "--rates"),
    (["--add", "New Fund", "--rates", "abc,,"], "--rates"),
    (["--add", "New Fund", "--rates", "0,0,101"], "--rates"),
    (["--add", "New Fund", "--rates", ",,"], "--rates"),
    (["--add", "New Fund", "--rates", "0,0.25,0.25"], "--registrant"),
    (["--add", "INVESCO Energy Fund", "--rates", "0,0.25,0.25"], "already in the schedule"),
    (["--rename", "INVESCO Energy Fund"], "--rename"),
    (["--rename", "INVESCO Energy Fund=INVESCO Leisure Fund"], "already in the schedule"),
    (["--rename", "Nope Fund=X"], "--rename"),
    (["--set-rates", "INVESCO Energy Fund"], "--set-rates"),
    (["--set-rates", "INVESCO Energy Fund:Z:0,0,0"], "no such class"),
    (["--remove", "INVESCO Energy Fund", "--set-rates", "INVESCO Energy Fund:0,0.25,"], "also removed"),
    (["--remove", "INVESCO Energy Fund:"], "--remove"),
    (["--remove", "X\x1bY"], "control character"),
    ([], "nothing to draft"),
]


@pytest.mark.parametrize(("extra", "named"), BAD, ids=[" ".join(b[0])[:40] or "none" for b in BAD])
def test_a_bad_value_is_one_line_naming_it(
    aim: AimDraft, tmp_path: Path, extra: list[str], named: str
) -> None:
    out = tmp_path / "d.json"
    result = _draft_cli(aim, *extra, "-o", str(out))
    assert result.code == 2, result.err
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("distplan: ") and "Traceback" not in result.err
    assert named in lines[0]
    assert not out.exists()


@pytest.mark.parametrize(
    ("as_of", "effective", "named"),
    [
        ("2004-13-01", "2004-07-01", "--as-of"),
        ("2004-06-01", "soon", "--effective"),
        ("2004-06-01", "2004-05-01", "--effective"),
        ("2003-01-01", "2004-07-01", "--as-of"),
    ],
)
def test_bad_dates(aim: AimDraft, as_of: str, effective: str, named: str) -> None:
    result = run_cli(
        "--db", aim.url, "draft", "--as-of", as_of, "--effective", effective, "--remove", REMOVED
    )
    assert result.code == 2 and named in result.err and len(result.err.strip().splitlines()) == 1


def test_replace_schedule_takes_the_rows_of_a_file(aim: AimDraft, tmp_path: Path) -> None:
    rows = [
        {"registrant": "AIM SECTOR FUNDS, INC.", "fund": "INVESCO Energy Fund", "share_class": "Investor"}
    ]
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(rows))
    result = _draft_cli(aim, "--replace-schedule", str(path))
    assert result.code == 0, result.err
    assert [r["fund"] for r in json.loads(result.out)["schedule"]["rows"]] == ["INVESCO Energy Fund"]
    path.write_text('{"rows": [{"fund": 3}]}')
    result = _draft_cli(aim, "--replace-schedule", str(path))
    assert result.code == 2 and "rows[0].fund" in result.err
