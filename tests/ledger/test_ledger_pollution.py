"""Issue 8, "silent pollution of the ledger": every way a bad input, option or time used to get
into the ledger (or make one) with exit 0 is refused with one line, exit 2, nothing written.
SQLite and a real PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from aim_inputs import NAMES, gold_instrument_json, make_ledger_url, record_aim, run_cli, text_paths

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return make_ledger_url(request.param, tmp_path, request)


def small(number: int = 1, fund: str = "Alpha Fund", **rates: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"fund": fund, "registrant": "Test Trust", "aggregate_fee": "0.50"}
    row.update(rates)
    return {
        "source": {"path": f"generated-{number}.json", "sha256": ""},
        "kind": "amendment",
        "title": f"Amendment No. {number} to the Pollution Test Plan",
        "amendment_number": number,
        "plan": {"title": "Pollution Test Plan", "share_classes": ["Z"]},
        "effective_date": f"2020-01-{number:02d}",
        "operations": [{"op": "add_rows", "rows": [row]}],
    }


def write(path: Path, data: Any) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def entries(url: str) -> int:
    report = run_cli("--db", url, "verify", "--json")
    assert report.code == 0, report.err
    return int(report.json()["entries"])


def refused(run: Any, *needles: str) -> None:
    """Exit 2 with one line naming the problem."""
    assert run.code == 2, (run.out, run.err)
    assert len(run.err.strip().splitlines()) == 1, run.err
    for needle in needles:
        assert needle in run.err, run.err


# --- 13: only init and record create a ledger ------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("plans",),
        ("verify",),
        ("schedule", "--as-of", "2003-11-21"),
        ("history",),
        ("diff", "--from", "2003-01-01", "--to", "2004-01-01"),
        ("timeline", "X Fund"),
        ("void", "1", "--reason", "x"),
        ("terms", "set", "--effective", "2003-01-01", "--source", "s", "--service", "0.25"),
    ],
)
def test_a_read_never_creates_a_ledger(tmp_path: Path, command: tuple[str, ...]) -> None:
    typo = tmp_path / "distplna.db"
    run = run_cli("--db", f"sqlite:///{typo}", *command)
    refused(run, "no ledger there", "distplan init")
    assert not typo.exists()


def test_missing_postgres_ledger_is_refused(request: pytest.FixtureRequest) -> None:
    pytest.importorskip("psycopg")
    empty = request.getfixturevalue("postgres_server").create_database()
    refused(run_cli("--db", empty, "verify"), "no ledger there")
    assert run_cli("--db", empty, "init").code == 0
    assert run_cli("--db", empty, "verify", "--json").json()["entries"] == 0


test_missing_postgres_ledger_is_refused = pytest.mark.postgres(test_missing_postgres_ledger_is_refused)


def test_init_and_first_record_create_it_and_say_so(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'a.db'}"
    made = run_cli("--db", db, "record", str(text_paths()[0]))
    assert made.code == 0 and f"created a new ledger: {db}" in made.err
    assert "created" not in run_cli("--db", db, "record", str(text_paths()[1])).err
    init = run_cli("--db", f"sqlite:///{tmp_path / 'b.db'}", "init", "--json").json()
    assert init["created"] is True and init["entries"] == 0


def test_not_a_ledger_is_refused(tmp_path: Path) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    refused(run_cli("--db", f"sqlite:///{other}", "record", str(text_paths()[0])), "not a distplan ledger")


# --- 8: record --plan is obeyed or refused ---------------------------------------------------


def test_record_plan_is_obeyed_or_refused(url: str, tmp_path: Path) -> None:
    record_aim(url)
    other = write(tmp_path / "other.json", small())
    refused(run_cli("--db", url, "record", "--plan", "1", str(other)), "not --plan 1", "leave out --plan")
    refused(run_cli("--db", url, "record", "--plan", "7", str(other)), "--plan 7: no plan with that id")
    assert entries(url) == 3
    assert run_cli("--db", url, "record", str(other)).code == 0  # its own, new plan 2
    second = write(tmp_path / "second.json", small(2, "Beta Fund"))
    ok = run_cli("--db", url, "record", "--plan", "2", str(second), "--json")
    assert ok.code == 0, ok.err
    assert ok.json()["recorded"][0]["plan"]["id"] == 2


def test_record_plan_on_an_empty_ledger(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    refused(run_cli("--db", db, "record", "--plan", "1", str(text_paths()[0])), "no plans yet")


# --- 9: duplicates by canonical content and normalised source, never by claims ---------------


def test_the_same_document_with_other_bytes_is_a_duplicate(url: str, tmp_path: Path) -> None:
    original = text_paths()[0]
    assert run_cli("--db", url, "record", str(original)).code == 0
    text = original.read_bytes()
    (tmp_path / "elsewhere").mkdir()
    variants = {
        "elsewhere/same.txt": text,
        "newline.txt": text + b"\n\n",
        "crlf.txt": text.replace(b"\n", b"\r\n"),
        "spaces.txt": text.replace(b"\n", b"  \n"),
    }
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
        run = run_cli("--db", url, "record", str(tmp_path / name), "--json")
        assert run.code == 0, run.err
        assert run.json()["recorded"] == [], name
        assert run.json()["unchanged"][0]["duplicate_of"] == 1
    assert entries(url) == 1


def test_a_claimed_source_sha256_is_never_trusted(url: str, tmp_path: Path) -> None:
    assert run_cli("--db", url, "record", str(text_paths()[0])).code == 0
    # Other content claiming the recorded filing's sha256 is NOT a duplicate of it...
    forged = gold_instrument_json(NAMES[1])
    forged["source"]["sha256"] = gold_instrument_json(NAMES[0])["source"]["sha256"]
    run = run_cli("--db", url, "record", str(write(tmp_path / "forged.json", forged)), "--json")
    assert run.code == 0 and [r["seq"] for r in run.json()["recorded"]] == [2]
    # ...and the same content claiming another sha256 is one.
    same = gold_instrument_json(NAMES[1])
    same["source"] = {"path": "x.txt", "sha256": "0" * 64}
    again = run_cli("--db", url, "record", str(write(tmp_path / "same.json", same)), "--json").json()
    assert again["recorded"] == [] and again["unchanged"][0] == {
        "path": str(tmp_path / "same.json"),
        "duplicate_of": 2,
        "reason": "same content",
    }


# --- 10: recording time is monotonic and never ahead of the clock -----------------------------


def test_recorded_at_in_the_future_or_the_past_is_refused(url: str, tmp_path: Path) -> None:
    record_aim(url)  # recorded at 2003-12-01..03 12:00 UTC
    future = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    doc = write(tmp_path / "a.json", small())
    refused(run_cli("--db", url, "record", str(doc), "--recorded-at", future), "in the future")
    earlier = ("--recorded-at", "2003-12-02T00:00:00Z")
    refused(run_cli("--db", url, "record", str(doc), *earlier), "before entry 3's recording time")
    terms = ("terms", "set", "--plan", "1", "--effective", "2003-07-01", "--source", "s", "--service", "0.25")
    refused(run_cli("--db", url, *terms, *earlier), "never runs backwards")
    refused(run_cli("--db", url, "void", "3", "--reason", "x", *earlier), "never runs backwards")
    refused(run_cli("--db", url, "void", "3", "--reason", "x", "--recorded-at", future), "in the future")
    gov = str(ROOT / "examples" / "governance.yaml")
    refused(run_cli("--db", url, "record", gov, *earlier), "never runs backwards")
    assert entries(url) == 3
    # Equal or later times rebuild a past history, for every kind of entry.
    at = "2003-12-03T12:00:00Z"
    made = [
        run_cli("--db", url, *terms, "--recorded-at", at, "--json").json(),
        run_cli("--db", url, "record", gov, "--recorded-at", "2003-12-04", "--json").json()["governance"][0][
            "entry"
        ],
        run_cli("--db", url, "void", "4", "--reason", "typo", "--recorded-at", "2003-12-05", "--json").json(),
    ]
    assert [(e["seq"], e["recorded_at"]) for e in made] == [
        (4, "2003-12-03T12:00:00+00:00"),
        (5, "2003-12-04T00:00:00+00:00"),
        (6, "2003-12-05T00:00:00+00:00"),
    ]
    # A later `record` with the clock is stamped now, not with some future time.
    late = run_cli("--db", url, "record", str(doc), "--json").json()["recorded"][0]
    assert abs(datetime.fromisoformat(late["recorded_at"]) - datetime.now(UTC)) < timedelta(minutes=5)


# --- 11 and 22: values checked at the boundary, before anything is written ---------------------


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ({"rows": {"distribution_fee": "1000"}}, "distribution_fee 1000: not a rate between 0 and 100"),
        ({"rows": {"service_fee": "1_000"}}, "'1_000': not a rate such as 0.25"),
        ({"rows": {"service_fee": "\uff10.\uff12\uff15"}}, "not a rate such as 0.25"),
        ({"rows": {"aggregate_fee": "1e999999"}}, "'1e999999': not a rate"),
        ({"rows": {"aggregate_fee": "0.12345"}}, "more than 4 decimals"),
        ({"rows": {"aggregate_fee": "-0.25"}}, "not a rate"),
        ({"amendment_number": 0}, "amendment_number 0: not an amendment number"),
        ({"amendment_number": -5}, "amendment_number -5"),
        ({"amendment_number": 10**100}, "not an amendment number"),
        ({"effective_date": "0001-01-01"}, "effective_date 0001-01-01: not a plausible date"),
        ({"effective_date": "9999-12-31"}, "effective_date 9999-12-31: not a plausible date"),
        ({"rows": {"effective_date": "0001-01-01"}}, "row 1 (Alpha Fund): effective_date 0001-01-01"),
        ({"diagnostics": 1.5}, "field diagnostics: expected a list"),
        ({"title": "Amendment No. 1 to the Pollution\x00 Plan"}, "title: contains the character"),
    ],
)
def test_bad_values_are_refused_naming_the_field(url: str, tmp_path: Path, change: dict, needle: str) -> None:
    doc = small()
    for key, value in change.items():
        if key == "rows":
            doc["operations"][0]["rows"][0].update(value)
        else:
            doc[key] = value
    path = write(tmp_path / "bad.json", doc)
    refused(run_cli("--db", url, "record", str(path)), str(path), needle)
    refused(run_cli("--db", url, "verify"), "no ledger there")  # nothing was made or written


def test_a_lone_surrogate_escape_is_refused(url: str, tmp_path: Path) -> None:
    text = json.dumps(small()).replace("Alpha Fund", "Alpha \\ud800 Fund")
    path = write(tmp_path / "surrogate.json", text)
    refused(run_cli("--db", url, "record", str(path)), "operations[0].rows[0].fund", "lone surrogate")


@pytest.mark.parametrize(
    ("option", "value", "needle"),
    [
        ("--service", "1000", "not a rate between 0 and 100"),
        ("--service", "1_000", "not a rate such as 0.25"),
        ("--aggregate", "1e999999", "not a rate"),
        ("--distribution", "0.00001", "more than 4 decimals"),
        ("--effective", "0001-01-01", "not a plausible date"),
    ],
)
def test_bad_terms_are_refused(url: str, option: str, value: str, needle: str) -> None:
    record_aim(url)
    args = {"--effective": "2003-07-01", "--service": "0.25"} | {option: value}
    flat = [x for k, v in args.items() for x in (k, v)]
    refused(run_cli("--db", url, "terms", "set", "--source", "s", *flat), option, needle)
    assert entries(url) == 3


def test_void_of_a_huge_number_is_one_line(url: str) -> None:
    record_aim(url)
    refused(run_cli("--db", url, "void", "99999999999999999999", "--reason", "x"), "SEQ")  # the CLI's bound
    refused(run_cli("--db", url, "void", "99999999999", "--reason", "x"), "no such entry")  # past INTEGER
    assert entries(url) == 3


def test_a_crash_after_writing_leaves_nothing(url: str, tmp_path: Path) -> None:
    """Validated before writing, and the report is built inside the transaction."""
    good = write(tmp_path / "good.json", small())
    bad = small(2, "Beta Fund")
    bad["effective_date"] = "0001-01-01"
    refused(run_cli("--db", url, "record", str(good), str(write(tmp_path / "bad.json", bad))))
    refused(run_cli("--db", url, "verify"), "no ledger there")


# --- refusal of doubtful extractions (issue 14) ------------------------------------------------


def test_low_confidence_is_refused_naming_the_rows(url: str, tmp_path: Path) -> None:
    from distplan.model import Instrument

    if "confidence" not in Instrument.__dataclass_fields__:
        pytest.skip("the extractor does not report confidence yet")
    doc = small()
    doc["confidence"] = 0.5
    doc["operations"][0]["rows"][0].update({"confidence": 0.4, "flags": ["rate-guessed"], "lines": [7, 8]})
    path = write(tmp_path / "doubt.json", doc)
    refused(
        run_cli("--db", url, "record", str(path)),
        "extraction confidence 0.5 is below 0.9",
        "Alpha Fund [rate-guessed] confidence 0.4 lines 7-8",
        "--force",
    )
    forced = run_cli("--db", url, "record", str(path), "--force")
    assert forced.code == 0 and "recorded with --force: doubtful row Alpha Fund" in forced.err
