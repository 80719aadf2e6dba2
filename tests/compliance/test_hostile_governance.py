"""Governance files and rulebooks as hostile input (issue 8 items 12, 19, 22): typos in fund
names and amendment numbers, implausible quarters and dates, alias bombs, deep nesting,
oversized and binary files, out-of-range calendar windows. Each is one line naming the file,
line and field, exit status 2, and nothing recorded."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from aim_inputs import record_aim, run_cli
from distplan.compliance import load_governance, load_rulebook, yamlsafe
from distplan.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "governance.yaml"


@pytest.fixture(scope="module")
def aim_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('aim') / 'distplan.db'}"
    record_aim(url)
    return url


def variant(tmp_path: Path, old: str, new: str, name: str = "gov.yaml") -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def entries(url: str) -> int:
    return run_cli("--db", url, "verify", "--json").json()["entries"]


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


# --- item 12: names the plan does not have -------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "      - what: amendment\n        amendment: 2\n        class: Investor\n        funds: &schedule_2003_11_03\n"
            "          - INVESCO Tax-Free Bond Fund",
            "      - what: amendment\n        amendment: 2\n        class: Investor\n        funds: &schedule_2003_11_03\n"
            "          - INVESCO Tax-Free Bnd Fund",
            "meetings[1].approvals[0].funds[0]: unknown fund 'INVESCO Tax-Free Bnd Fund': no recorded "
            "instrument of plan 1 names it; did you mean 'INVESCO Tax-Free Bond Fund'?",
        ),
        (
            "          - INVESCO Leisure Fund\n          - INVESCO Technology Fund\n          - INVESCO Utilities",
            "          - INVESCO Liesure Fund\n          - INVESCO Technology Fund\n          - INVESCO Utilities",
            "unknown fund 'INVESCO Liesure Fund': no recorded instrument of plan 1 names it; "
            "did you mean 'INVESCO Leisure Fund'?",
        ),
        (
            "amendment: 4",
            "amendment: 9",
            "meetings[3].approvals[0].amendment: no Amendment No. 9 is recorded for plan 1 (recorded: 2, 3, 4)",
        ),
        (
            "    fund: INVESCO International Core Equity Fund\n    class: Investor\n    matter: plan",
            "    fund: INVESCO Intl Core Equity Fund\n    class: Investor\n    matter: plan",
            "shareholder_votes[0].fund: unknown fund 'INVESCO Intl Core Equity Fund'",
        ),
        (
            "      fund: INVESCO International Core Equity Fund\n      first_offered",
            "      fund: INVESCO Internatonal Core Equity Fund\n      first_offered",
            "plan.classes[1].fund: unknown fund 'INVESCO Internatonal Core Equity Fund'",
        ),
    ],
    ids=["fund-typo", "fund-typo-in-an-aliased-list", "amendment-9", "vote-fund", "class-fund"],
)
def test_unknown_funds_and_amendments_are_refused(
    aim_url: str, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = variant(tmp_path, old, new)
    before = entries(aim_url)
    run = run_cli("--db", aim_url, "record", str(path))
    assert run.code == 2
    line = one_line(run.err)
    assert line.startswith(f"distplan: {path}:") and expected in line
    assert entries(aim_url) == before
    # A what-if with the same file is refused the same way.
    what_if = run_cli("--db", aim_url, "check", "--as-of", "2004-12-31", "--governance", str(path))
    assert what_if.code == 2 and expected in one_line(what_if.err)


def test_a_bad_file_among_several_records_none(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'distplan.db'}"
    record_aim(url)
    bad = variant(tmp_path, "amendment: 4", "amendment: 9", "bad.yaml")
    run = run_cli("--db", url, "record", str(SAMPLE), str(bad))
    assert run.code == 2 and "Amendment No. 9" in one_line(run.err)
    assert entries(url) == 3
    assert run_cli("--db", url, "record", str(SAMPLE)).code == 0  # the good file alone is fine
    assert entries(url) == 4


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "quarter: 2003Q3",
            "quarter: 0001Q1",
            "quarterly_reports[0].quarter: '0001Q1': year 1 is not plausible",
        ),
        (
            "quarter: 2003Q3",
            "quarter: 2003Q5",
            "quarterly_reports[0].quarter: expected a quarter like 2003Q4",
        ),
        (
            "quarter: 2003Q3",
            "quarter: 2003Q0",
            "quarterly_reports[0].quarter: expected a quarter like 2003Q4",
        ),
        ("date: 2004-06-09", "date: 0001-06-09", "meetings[4].date: 0001-06-09: not a plausible date"),
        (
            "effective: 2003-07-01",
            "effective: 9999-12-31",
            "agreements[0].effective: 9999-12-31: not a plausible",
        ),
    ],
)
def test_implausible_quarters_and_dates(
    aim_url: str, tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = variant(tmp_path, old, new)
    with pytest.raises(InputError, match=r"^" + str(path) + r":\d+: "):
        load_governance(path)
    before = entries(aim_url)
    run = run_cli("--db", aim_url, "record", str(path))
    assert run.code == 2 and expected in one_line(run.err)
    assert entries(aim_url) == before


# --- item 19: alias bombs, deep nesting, size -------------------------------------------------


def _bomb(levels: int, width: int) -> str:
    lines = ["version: 1", "l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_bomb(9, 9), "refused: more than 64 aliases"),  # 9**9 values: out of memory before
        (_bomb(8, 8), "refused: its aliases expand to more than 1,000,000 values"),  # 56 aliases
        ("version: 1\nmeetings: " + "[" * 5000 + "]" * 5000 + "\n", "refused: nested more than 32 deep"),
        (
            "version: 1\nmeetings:\n" + "".join("  " * i + "- \n" for i in range(1, 200)),
            "nested more than 32",
        ),
    ],
)
def test_yaml_bombs_are_refused_quickly(tmp_path: Path, text: str, expected: str) -> None:
    for name, load in (("gov.yaml", load_governance), ("rules.yaml", load_rulebook)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        with pytest.raises(InputError, match=expected) as caught:
            load(path)
        assert time.perf_counter() - started < 30  # not a timing: before, these ran out of memory
        assert str(caught.value).startswith(f"{path}:")


def test_deep_json_and_oversized_files(tmp_path: Path) -> None:
    deep = tmp_path / "gov.json"
    deep.write_text('{"meetings": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    with pytest.raises(InputError, match="nested too deep"):
        load_governance(deep)
    big = tmp_path / "big.yaml"
    big.write_text("version: 1\n" + "# padding\n" * (yamlsafe.MAX_BYTES // 10 + 1), encoding="utf-8")
    for load in (load_governance, load_rulebook):
        with pytest.raises(InputError, match=f"^{big}: refused: more than"):
            load(big)


def test_the_sample_with_its_aliases_still_loads() -> None:
    facts = load_governance(SAMPLE)
    assert len(facts.approvals) == 7


# --- item 22: one line, exit 2 --------------------------------------------------------------


def test_binary_rulebook_and_far_calendar_are_one_line(aim_url: str, tmp_path: Path) -> None:
    binary = tmp_path / "rules.yaml"
    binary.write_bytes(bytes(range(256)) * 8)
    for args in (
        ("rules", "--rulebook", str(binary)),
        ("check", "--as-of", "2004-12-31", "--rulebook", str(binary)),
        ("calendar", "--from", "2004-01-01", "--to", "2005-01-01", "--rulebook", str(binary)),
    ):
        run = run_cli("--db", aim_url, *args)
        assert run.code == 2 and "not UTF-8 text" in one_line(run.err)
    nul = tmp_path / "nul.yaml"
    nul.write_bytes(b"rules:\n  - id: \x00\n")
    run = run_cli("rules", "--rulebook", str(nul))
    assert run.code == 2 and "not valid YAML" in one_line(run.err)
    for args in (
        ("calendar", "--from", "2004-01-01", "--to", "9999-12-31"),
        ("calendar", "--from", "0001-01-01", "--to", "2004-01-01"),
        ("check", "--as-of", "9999-12-31"),
    ):
        run = run_cli("--db", aim_url, *args)
        assert run.code == 2 and "not a plausible date" in one_line(run.err)
    ok = run_cli("--db", aim_url, "calendar", "--from", "2100-01-01", "--to", "2101-01-01")
    assert ok.code == 0, ok.err
