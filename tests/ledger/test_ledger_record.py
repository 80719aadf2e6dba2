"""Recording: idempotency, blocking diagnostics, one transaction, voids, retroactive
instruments, warnings, and two real processes recording at once. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from aim_inputs import NAMES, gold_instrument_json, make_ledger_url, record_aim, run_cli, text_paths
from distplan.errors import InputError
from distplan.ledger import Ledger, Pending
from distplan.model import instrument_from_json

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
AT = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return make_ledger_url(request.param, tmp_path, request)


def small_instrument(number: int, fund: str, *, title: str = "Concurrency Test Plan") -> dict[str, Any]:
    """A program-built amendment adding one fund (no source sha256: identified by content)."""
    return {
        "source": {"path": f"generated-{number}.json", "sha256": ""},
        "kind": "amendment",
        "title": f"Amendment No. {number} to the {title}",
        "amendment_number": number,
        "plan": {"title": title, "share_classes": ["Z"]},
        "effective_date": f"2020-01-{number:02d}",
        "operations": [
            {"op": "add_rows", "rows": [{"fund": fund, "registrant": "Test Trust", "aggregate_fee": "0.50"}]}
        ],
    }


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data))
    return path


def entry_count(url: str) -> int:
    report = run_cli("--db", url, "verify", "--json").json()
    assert report["ok"], report
    return int(report["entries"])


def test_record_json_output_and_idempotency(url: str, tmp_path: Path) -> None:
    first = run_cli("--db", url, "record", *map(str, text_paths()), "--json")
    assert first.code == 0, first.err
    recorded = first.json()["recorded"]
    assert [r["seq"] for r in recorded] == [1, 2, 3]
    assert all(r["recorded_at"] and r["hash"] for r in recorded)
    assert recorded[0]["plan_created"] is True and recorded[1]["plan_created"] is False
    assert recorded[1]["changes"] == {"added": 0, "removed": 0, "changed": 8}  # Sector rename
    assert recorded[2]["changes"] == {"added": 1, "removed": 5, "changed": 0}
    # The same documents again, and the extractor's JSON of one of them: nothing new.
    extracted = run_cli("extract", str(text_paths()[1]))
    assert extracted.code == 0, extracted.err
    json_path = tmp_path / "amend3.json"
    json_path.write_text(extracted.out)
    again = run_cli("--db", url, "record", *map(str, text_paths()), str(json_path), "--json")
    assert again.code == 0, again.err
    assert again.json()["recorded"] == []
    assert [u["duplicate_of"] for u in again.json()["unchanged"]] == [1, 2, 3, 2]
    assert entry_count(url) == 3


def test_json_input_identified_by_content(url: str, tmp_path: Path) -> None:
    a = write(tmp_path / "a.json", small_instrument(1, "Alpha Fund"))
    copy = small_instrument(1, "Alpha Fund")
    copy["source"]["path"] = "elsewhere.json"
    b = write(tmp_path / "b.json", copy)
    assert run_cli("--db", url, "record", str(a)).code == 0
    run = run_cli("--db", url, "record", str(b), "--json")
    assert run.json()["unchanged"][0]["reason"] == "same content"
    assert entry_count(url) == 1


def test_gold_json_gives_the_same_schedule_as_the_filings(url: str, tmp_path: Path) -> None:
    record_aim(url, use_json_dir=tmp_path)
    rows = run_cli("--db", url, "schedule", "--as-of", "2003-11-24", "--json").json()["rows"]
    assert len(rows) == 14


def test_error_diagnostics_block_unless_forced(url: str, tmp_path: Path) -> None:
    data = small_instrument(1, "Alpha Fund")
    data["diagnostics"] = [{"level": "error", "line": 7, "message": "table cut off mid-row"}]
    path = write(tmp_path / "bad.json", data)
    blocked = run_cli("--db", url, "record", str(path))
    assert blocked.code == 2
    assert blocked.err.strip() == (
        f"distplan: {path}: line 7: table cut off mid-row; not recorded: fix the instrument JSON "
        "(distplan extract FILE > FILE.json, correct it, record that) or record anyway with --force "
        "(the warnings are kept)"
    )
    assert run_cli("--db", url, "verify").code == 2  # refused before the ledger was even made
    forced = run_cli("--db", url, "record", str(path), "--force")
    assert forced.code == 0, forced.err
    assert "recorded with --force: line 7: table cut off mid-row" in forced.err  # kept, and said
    assert entry_count(url) == 1


def test_a_failed_record_leaves_the_ledger_as_it_was(url: str, tmp_path: Path) -> None:
    good = write(tmp_path / "good.json", small_instrument(1, "Alpha Fund"))
    broken = tmp_path / "broken.json"
    broken.write_text('{"kind": "amendment",')
    run = run_cli("--db", url, "record", str(good), str(broken))
    assert run.code == 2
    assert run.err.startswith(f"distplan: {broken}: line 1: not valid JSON")
    assert "no ledger there" in run_cli("--db", url, "verify").err  # read before anything is made
    # A failure inside the database transaction (an instrument naming no plan) rolls back too.
    ledger = Ledger.open(url)
    nameless = instrument_from_json({"kind": "amendment", "title": "", "effective_date": "2020-01-01"})
    items = [Pending(instrument_from_json(small_instrument(1, "Alpha Fund")), "{}"), Pending(nameless, "{}")]
    with pytest.raises(InputError, match="names no plan"):
        ledger.record_many(items, recorded_at=AT)
    assert ledger.entries() == [] and ledger.plans() == []
    ledger.close()


def test_bad_input_lines(url: str, tmp_path: Path) -> None:
    missing = run_cli("--db", url, "record", str(tmp_path / "nope.txt"))
    assert (missing.code, missing.err.strip()) == (2, f"distplan: {tmp_path / 'nope.txt'}: no such file")
    odd = tmp_path / "x.pdf"
    odd.write_text("x")
    assert "unsupported file type .pdf" in run_cli("--db", url, "record", str(odd)).err
    assert run_cli("--db", url, "schedule", "--as-of", "2003-13-01").err.startswith(
        "distplan: --as-of '2003-13-01': not a date"
    )
    assert "no ledger there" in run_cli("--db", url, "schedule", "--as-of", "2003-11-01").err
    assert run_cli("--db", url, "init").code == 0
    assert "no plans yet" in run_cli("--db", url, "schedule", "--as-of", "2003-11-01").err
    assert "--known-at 'soon'" in run_cli("--db", url, "diff", "--from", "2003-01-01", "--to",
                                          "2004-01-01", "--known-at", "soon").err  # fmt: skip
    assert run_cli("--db", "nosuchdb://x", "plans").err == (
        "distplan: --db nosuchdb://x: only sqlite and postgresql databases are supported\n"
    )
    assert run_cli("--db", "not a url", "plans").err.startswith(
        "distplan: --db 'not a url': not a database URL"
    )


def test_void_and_known_at_before_the_void(url: str) -> None:
    record_aim(url)
    run = run_cli("--db", url, "void", "3", "--reason", "signed copy not yet received", "--json")
    assert run.code == 0, run.err
    assert run.json()["seq"] == 4 and run.json()["target_seq"] == 3
    now = run_cli("--db", url, "schedule", "--as-of", "2003-11-25", "--json").json()["rows"]
    assert len(now) == 18  # amendment 4 no longer counts
    before = run_cli("--db", url, "schedule", "--as-of", "2003-11-25", "--known-at", "3", "--json")
    assert len(before.json()["rows"]) == 14
    history = run_cli("--db", url, "history", "--as-of", "2003-11-25", "--json").json()["entries"]
    assert [(e["seq"], e["status"]) for e in history] == [(1, "superseded"), (2, "in force"), (3, "void")]
    assert "signed copy not yet received" in history[2]["note"]
    assert run_cli("--db", url, "void", "3", "--reason", "again").err.startswith(
        "distplan: entry 3: already voided by entry 4"
    )
    assert run_cli("--db", url, "void", "99", "--reason", "x").code == 2
    # Recording the voided document again brings it back as a new entry.
    again = run_cli("--db", url, "record", str(text_paths()[2]), "--json").json()
    assert [r["seq"] for r in again["recorded"]] == [5]
    assert entry_count(url) == 5


def test_retroactive_instrument_and_known_at(url: str) -> None:
    paths = text_paths()
    assert run_cli("--db", url, "record", str(paths[0]), str(paths[2])).code == 0
    gap = run_cli("--db", url, "history", "--as-of", "2003-12-01", "--json").json()["warnings"]
    assert gap == ["amendment numbering has gaps: no Amendment No. 3"]
    late = run_cli("--db", url, "record", str(paths[1]))
    assert late.code == 0
    assert "Amendment No. 3 (seq 3) is retroactive" in late.err
    day = ("schedule", "--as-of", "2003-11-21", "--json")
    before = run_cli("--db", url, *day, "--known-at", "2").json()["rows"]
    after = run_cli("--db", url, *day).json()["rows"]
    assert {r["instrument"] for r in before} == {"Amendment No. 2 (seq 1)"}
    assert {r["instrument"] for r in after} == {"Amendment No. 3 (seq 3)"}


def test_same_day_instruments_apply_in_amendment_order(url: str, tmp_path: Path) -> None:
    late, early = small_instrument(2, "Beta Fund"), small_instrument(1, "Alpha Fund")
    late["effective_date"] = early["effective_date"] = "2020-02-01"
    late["operations"] = [{"op": "remove_rows", "rows": [{"fund": "Alpha Fund"}]}]
    run = run_cli(
        "--db", url, "record", str(write(tmp_path / "l.json", late)), str(write(tmp_path / "e.json", early))
    )
    assert "2 instruments effective 2020-02-01" in run.err
    rows = run_cli("--db", url, "schedule", "--as-of", "2020-02-01", "--json").json()["rows"]
    assert rows == []  # No. 1 added Alpha, then No. 2 (recorded first) removed it


def test_plan_choice(url: str, tmp_path: Path) -> None:
    record_aim(url)
    other = write(tmp_path / "other.json", small_instrument(1, "Alpha Fund"))
    assert run_cli("--db", url, "record", str(other)).code == 0
    ambiguous = run_cli("--db", url, "schedule", "--as-of", "2020-02-01")
    assert ambiguous.code == 2 and "the ledger has 2 plans; choose one with --plan" in ambiguous.err
    chosen = run_cli("--db", url, "schedule", "--as-of", "2020-02-01", "--plan", "concurrency", "--json")
    assert [r["fund"] for r in chosen.json()["rows"]] == ["Alpha Fund"]
    by_id = run_cli("--db", url, "schedule", "--as-of", "2003-11-24", "--plan", "1", "--json")
    assert len(by_id.json()["rows"]) == 14


def test_terms_for_one_fund_and_row_rates_win(url: str, tmp_path: Path) -> None:
    data = small_instrument(1, "Alpha Fund")
    data["operations"][0]["rows"].append({"fund": "Beta Fund", "registrant": "Test Trust"})
    assert run_cli("--db", url, "record", str(write(tmp_path / "a.json", data))).code == 0
    base = ("--db", url, "terms", "set", "--effective", "2019-01-01", "--source", "plan s.3")
    assert run_cli(*base, "--aggregate", "1.00", "--service", "0.25").code == 0
    fund_terms = run_cli(*base, "--service", "0.10", "--fund", "beta fund")
    assert fund_terms.code == 0 and "warning" not in fund_terms.err
    unknown = run_cli(*base, "--service", "0.10", "--fund", "Gamma Fund")
    assert (
        unknown.code == 0 and "--fund 'Gamma Fund': no recorded instrument of plan 1 names it" in unknown.err
    )
    rows = run_cli("--db", url, "schedule", "--as-of", "2020-01-02", "--json").json()["rows"]
    by_fund = {r["fund"]: r for r in rows}
    assert by_fund["Alpha Fund"]["aggregate_fee"] == "0.50"  # stated in the row
    assert by_fund["Alpha Fund"]["rate_sources"]["aggregate_fee"]["from"] == "schedule"
    assert by_fund["Alpha Fund"]["service_fee"] == "0.25"
    assert by_fund["Beta Fund"]["aggregate_fee"] == "1.00"
    assert by_fund["Beta Fund"]["service_fee"] == "0.10"  # the fund's own terms beat plan-wide ones
    assert run_cli(*base).err.startswith("distplan: terms: give at least one of")


def _spawn(url: str, files: list[Path]) -> subprocess.Popen[str]:
    code = "from distplan.cli import main; main()"
    args = [sys.executable, "-c", code, "--db", url, "record", *map(str, files), "--json"]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_record_at_once(url: str, tmp_path: Path) -> None:
    """Both succeed on a fresh database (migrations included), each instrument once."""
    generated = [write(tmp_path / f"g{n}.json", small_instrument(n, f"Fund {n}")) for n in range(1, 31)]
    files = [*text_paths(), *generated]
    procs = [_spawn(url, files), _spawn(url, list(reversed(files)))]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    results = [json.loads(out) for out, _ in outputs]
    recorded = [r["seq"] for res in results for r in res["recorded"]]
    assert sorted(recorded) == list(range(1, 34))  # 33 instruments, each exactly once
    assert sum(len(res["unchanged"]) for res in results) == 33
    assert entry_count(url) == 33
    rows = run_cli("--db", url, "schedule", "--as-of", "2003-11-24", "--plan", "master", "--json").json()[
        "rows"
    ]
    assert len(rows) == 14


def test_library_record_rejects_naive_time(url: str) -> None:
    ledger = Ledger.open(url)
    inst = instrument_from_json(gold_instrument_json(NAMES[0]))
    with pytest.raises(ValueError, match="timezone-aware"):
        ledger.record(inst, "text", recorded_at=datetime(2024, 1, 1))
    result = ledger.record(inst, "text 2", recorded_at=AT)
    assert result.entry is not None and result.entry.recorded_at == AT
    # A clock running behind never makes recorded_at go backwards along the chain.
    other = instrument_from_json(gold_instrument_json(NAMES[1]))
    later = ledger.record(other, "text 3", recorded_at=datetime(2020, 1, 1, tzinfo=UTC))
    assert later.entry is not None and later.entry.recorded_at == AT
    ledger.close()


CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "documents"
# The corpus filings that state an effective date and that the extractor reads whole (the corpus
# also holds undated and partial filings, which `record` rightly refuses).
DATED_FILINGS = (
    "aim-class-c-amend2-2003-11-03-truncated",
    "aim-investor-amend2-2003-11-03",
    "aim-investor-amend3-2003-11-20",
    "aim-investor-amend4-2003-11-24",
    "aim-summit-class-p-amend1-2005",
    "api-trust-appendix-a-2009",
    "eatonvance-munis-class-c-schedule-a-2003",
    "firsttrust-etf-viii-exhibit-a-2020",
    "invesco-class-p-amend2-2010",
    "muzinich-schedule-a-2019",
    "victory-class-c-schedule-i-2014",
    "wellsfargo-vt-appendix-a-2003",
)


def test_the_whole_corpus(url: str) -> None:
    """Every corpus filing records into its own plan and folds; one with no effective date
    is refused until forced, and then is left out of the state with a warning."""
    files = sorted(CORPUS / f"{name}.txt" for name in DATED_FILINGS)
    doubtful = {
        CORPUS / "aim-class-c-amend2-2003-11-03-truncated.txt": (
            "extraction confidence 0.8 is below 0.9; why: line 42: the document ends inside the schedule"
        ),
        CORPUS / "aim-summit-class-p-amend1-2005.txt": "doubtful rows: AIM Summit Fund (P) [",
    }
    for path, why in doubtful.items():
        refused = run_cli("--db", url, "record", str(path))
        assert refused.code == 2 and why in refused.err and "--force" in refused.err, refused.err
    run = run_cli("--db", url, "record", *(str(f) for f in files if f not in doubtful), "--json")
    assert run.code == 0, run.err
    forced = run_cli("--db", url, "record", "--force", *map(str, doubtful), "--json")
    assert forced.code == 0, forced.err
    assert len(run.json()["recorded"]) + len(forced.json()["recorded"]) == len(files)
    plans = run_cli("--db", url, "plans", "--json").json()["plans"]
    assert sum(p["instruments"] for p in plans) == len(files)
    assert len([p for p in plans if p["share_class"] == "Investor"]) == 1  # the AIM amendments
    for plan in plans:
        result = run_cli(
            "--db", url, "schedule", "--as-of", "2021-01-01", "--plan", str(plan["id"]), "--json"
        )
        assert result.code == 0, result.err
        assert result.json()["rows"], plan
    undated = CORPUS / "leggmason-appendix-a-2009.txt"
    refused = run_cli("--db", url, "record", str(undated))
    assert (refused.code, refused.err.strip()) == (
        2,
        f"distplan: {undated}: no effective date found; not recorded (--force to record anyway)",
    )
    assert run_cli("--db", url, "record", str(undated), "--force").code == 0
    plan_id = str(len(plans) + 1)
    state = run_cli("--db", url, "schedule", "--as-of", "2021-01-01", "--plan", plan_id, "--json").json()
    assert state["rows"] == [] and "no effective date" in state["warnings"][0]
    hist = run_cli("--db", url, "history", "--plan", plan_id, "--as-of", "2021-01-01", "--json").json()
    assert [e["status"] for e in hist["entries"]] == ["undated"]
    assert entry_count(url) == len(files) + 1
