"""Issue 8 item 18: data is never markup and never a terminal control sequence.

A plan whose fund, registrant and title carry Rich markup (`[/b]`, `[red]`), an emoji code and
escape sequences (clear screen, set window title, carriage return) must print literally in
every table view: the markup as written, the control characters as visible escapes.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from aim_inputs import gold_instrument_json, run_cli
from distplan.cli.output import one_line, printable

EVIL_FUND = "[/b] Evil [red]Fund\x1b[2J"
EVIL_REGISTRANT = "[bold]Reg :smile:\r\u202e\x9b"
EVIL_TITLE = "[/] Plan \x1b]0;pwned\x07 Title"
# What a terminal must show for each: markup as written, controls as \xNN.
SHOWN_FUND = r"[/b] Evil [red]Fund\x1b[2J"
SHOWN_REGISTRANT = r"[bold]Reg :smile:\x0d\u202e\x9b"
SHOWN_TITLE = r"[/] Plan \x1b]0;pwned\x07 Title"
_RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _squeeze(text: str) -> str:
    """Table output with the box drawing and the wrapping undone, for substring checks."""
    cells = re.sub(r"[│┃┆║|]", " ", text)
    return re.sub(r"\s+", " ", cells)


@pytest.fixture(scope="module")
def evil_ledger(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    tmp = tmp_path_factory.mktemp("evil")
    data = gold_instrument_json("aim-investor-amend2-2003-11-03")
    data["plan"]["title"] = EVIL_TITLE
    row = data["schedule"]["rows"][0]
    row["fund"], row["registrant"] = EVIL_FUND, EVIL_REGISTRANT
    path = tmp / "evil.json"
    path.write_text(json.dumps(data))
    url = f"sqlite:///{tmp / 'evil.db'}"
    recorded = run_cli("--db", url, "record", str(path), "--recorded-at", "2003-12-01T12:00:00Z")
    assert recorded.code == 0, recorded.err
    terms = ("terms", "set", "--effective", "2003-11-03", "--source", "plan s. 3", "--distribution", "0.25")
    assert run_cli("--db", url, *terms).code == 0
    nav = tmp / "nav.csv"
    sample = run_cli(
        "--db", url, "sample-data", "--from", "2003-10-30", "--to", "2003-12-01", "--out", str(nav)
    )
    assert sample.code == 0, sample.err
    return url, nav


def _views(nav: Path) -> dict[str, list[str]]:
    return {
        "plans": ["plans"],
        "schedule": ["schedule", "--as-of", "2003-11-05"],
        "diff": ["diff", "--from", "2003-11-01", "--to", "2003-11-05"],
        "timeline": ["timeline", EVIL_FUND],
        "history": ["history", "--as-of", "2003-11-05"],
        "fees payables": ["fees", "payables", "--nav", str(nav), "--month", "2003-11"],
        "check": ["check", "--as-of", "2003-11-05"],
        "calendar": ["calendar", "--from", "2003-11-01", "--to", "2004-12-01"],
    }


# Which of the hostile values each view shows (a view without funds shows the title).
_EXPECTED = {
    "plans": [SHOWN_TITLE],
    "schedule": [SHOWN_TITLE, SHOWN_FUND, SHOWN_REGISTRANT],
    "diff": [SHOWN_TITLE, SHOWN_FUND, SHOWN_REGISTRANT],
    "timeline": [SHOWN_TITLE, SHOWN_FUND, SHOWN_REGISTRANT],
    "history": [SHOWN_TITLE],
    "fees payables": [SHOWN_FUND, SHOWN_REGISTRANT],
    "check": [SHOWN_TITLE],
    "calendar": [SHOWN_TITLE],
}


@pytest.mark.parametrize("view", list(_EXPECTED))
def test_hostile_names_print_literally(view: str, evil_ledger: tuple[str, Path]) -> None:
    url, nav = evil_ledger
    result = run_cli("--db", url, *_views(nav)[view])
    assert result.code in (0, 1), result.err  # check exits 1 on error findings
    assert "Traceback" not in result.err
    for stream in (result.out, result.err):
        assert not _RAW_CONTROL.search(stream.replace("\n", "").replace("\t", "")), stream
    shown = _squeeze(result.out)
    for value in _EXPECTED[view]:
        assert _squeeze(value) in shown, f"{value!r} not shown literally by {view}:\n{result.out}"


@pytest.mark.parametrize(
    "argv",
    [
        ["schedule", "--as-of", "2003-11-05", "--json"],
        ["diff", "--from", "2003-11-01", "--to", "2003-11-05", "--json"],
    ],
)
def test_json_output_escapes_what_a_terminal_would_act_on(
    argv: list[str], evil_ledger: tuple[str, Path]
) -> None:
    url, _ = evil_ledger
    result = run_cli("--db", url, *argv)
    assert result.code == 0, result.err
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]", result.out)
    assert "\\u202e\\u009b" in result.out  # escaped in the JSON text ...
    assert EVIL_REGISTRANT in _strings(json.loads(result.out))  # ... the same value


def _strings(value: object) -> set[str]:
    if isinstance(value, str):
        return {value}
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return set().union(*(_strings(v) for v in items))


def test_error_lines_escape_control_characters_and_newlines(evil_ledger: tuple[str, Path]) -> None:
    url, _ = evil_ledger
    result = run_cli("--db", url, "timeline", "no such\x1b[31m fund\nsecond line")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "\x1b" not in result.err
    assert r"\x1b[31m" in result.err


def test_printable_shows_controls_bidi_and_surrogates() -> None:
    assert printable("a\x1b[2Jb\rc\x9bd") == r"a\x1b[2Jb\x0dc\x9bd"
    assert printable("x\u202eevil\u2066") == r"x\u202eevil\u2066"
    assert printable("lone \ud800") == r"lone \ud800"
    assert printable("tab\tand\nnewline stay") == "tab\tand\nnewline stay"
    assert one_line("two\nlines") == r"two\x0alines"
    assert printable("Fundo Ação 日本 ١٢٣") == "Fundo Ação 日本 ١٢٣"
