"""Issue 3 acceptance: the three AIM Investor Class amendments (the real filings, recorded in
the order 2, 3, 4 through the CLI), on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path

import pytest

from aim_inputs import make_ledger_url, record_aim, run_cli
from distplan.model import fold_name

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]

REMOVED_ON_24 = {
    "INVESCO Tax-Free Bond Fund",
    "INVESCO U.S. Government Securities Fund",
    "INVESCO European Fund",
    "INVESCO International Blue Chip Value Fund",
    "INVESCO Telecommunications Fund",
}
SECTOR_FUNDS_KEPT = {
    "INVESCO Energy Fund",
    "INVESCO Financial Services Fund",
    "INVESCO Gold & Precious Metals Fund",
    "INVESCO Health Sciences Fund",
    "INVESCO Leisure Fund",
    "INVESCO Technology Fund",
    "INVESCO Utilities Fund",
}


@pytest.fixture(scope="module", params=BACKENDS)
def aim_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A ledger with the three amendments recorded (shared by the read-only tests)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('aim') / 'distplan.db'}"
    else:
        url = request.getfixturevalue("postgres_server").create_database()
    runs = record_aim(url)
    assert all("recorded entry" in r.out for r in runs)
    return url


def schedule(url: str, day: str, *extra: str) -> dict:
    run = run_cli("--db", url, "schedule", "--as-of", day, "--json", *extra)
    assert run.code == 0, run.err
    return run.json()


def registrants(rows: list[dict]) -> set[str]:
    return {fold_name(r["registrant"]) for r in rows}


def test_nothing_in_force_before_amendment_2(aim_url: str) -> None:
    result = schedule(aim_url, "2003-11-02")
    assert result["rows"] == []
    assert "no schedule in force" in result["message"]
    assert "2003-11-03" in result["message"]
    human = run_cli("--db", aim_url, "schedule", "--as-of", "2003-11-02")
    assert human.code == 0 and "no schedule in force on 2003-11-02" in human.out


@pytest.mark.parametrize("day", ["2003-11-03", "2003-11-10", "2003-11-19"])
def test_amendment_2_period(aim_url: str, day: str) -> None:
    rows = schedule(aim_url, day)["rows"]
    assert len(rows) == 18
    assert len(registrants(rows)) == 5
    assert {r["instrument"] for r in rows} == {"Amendment No. 2 (seq 1)"}
    sector = {r["registrant"] for r in rows if r["fund"] == "INVESCO Telecommunications Fund"}
    assert sector == {"AIM SECTOR FUNDS, INC."}


@pytest.mark.parametrize("day", ["2003-11-20", "2003-11-23"])
def test_amendment_3_period(aim_url: str, day: str) -> None:
    rows = schedule(aim_url, day)["rows"]
    assert len(rows) == 18
    assert len(registrants(rows)) == 5
    by_fund = {r["fund"]: r for r in rows}
    assert by_fund["INVESCO Energy Fund"]["registrant"] == "AIM Sector Funds"
    assert by_fund["INVESCO Energy Fund"]["since"] == "2003-11-20"
    assert {r["instrument"] for r in rows} == {"Amendment No. 3 (seq 2)"}


@pytest.mark.parametrize("day", ["2003-11-24", "2003-12-31", "2010-01-01"])
def test_amendment_4_period(aim_url: str, day: str) -> None:
    rows = schedule(aim_url, day)["rows"]
    assert len(rows) == 14
    assert len(registrants(rows)) == 4
    funds = {r["fund"] for r in rows}
    assert not funds & REMOVED_ON_24
    assert "INVESCO International Core Equity Fund" in funds


def test_diff_19_to_24_november(aim_url: str) -> None:
    run = run_cli("--db", aim_url, "diff", "--from", "2003-11-19", "--to", "2003-11-24", "--json")
    assert run.code == 0, run.err
    result = run.json()
    assert {r["fund"] for r in result["removed"]} == REMOVED_ON_24
    assert [r["fund"] for r in result["added"]] == ["INVESCO International Core Equity Fund"]
    changed = result["changed"]
    assert len(changed) == 7
    assert {c["fund"] for c in changed} == SECTOR_FUNDS_KEPT
    assert all(c["fields"] == ["registrant"] for c in changed)
    assert all(c["from"]["registrant"] == "AIM SECTOR FUNDS, INC." for c in changed)
    assert all(c["to"]["registrant"] == "AIM Sector Funds" for c in changed)
    # "AIM STOCK FUNDS, INC." (No. 2) vs "AIM Stock Funds, Inc." (No. 4): case alone is no change.
    assert not {c["fund"] for c in changed} & {"INVESCO Dynamics Fund", "INVESCO S&P 500 Index Fund"}


def test_timeline_telecommunications(aim_url: str) -> None:
    run = run_cli("--db", aim_url, "timeline", "INVESCO Telecommunications Fund", "--json")
    assert run.code == 0, run.err
    result = run.json()
    assert result["coverage"] == [{"start": "2003-11-03", "end": "2003-11-24"}]
    spans = [(p["start"], p["end"], p["registrant"]) for p in result["periods"]]
    assert spans == [
        ("2003-11-03", "2003-11-20", "AIM SECTOR FUNDS, INC."),
        ("2003-11-20", "2003-11-24", "AIM Sector Funds"),
    ]


def test_timeline_names_fold_and_unknown_fund(aim_url: str) -> None:
    run = run_cli("--db", aim_url, "timeline", "invesco  telecommunications fund", "--json")
    assert run.json()["coverage"] == [{"start": "2003-11-03", "end": "2003-11-24"}]
    missing = run_cli("--db", aim_url, "timeline", "No Such Fund")
    assert missing.code == 2
    assert missing.err.startswith("distplan: fund 'No Such Fund'")


def test_known_at_seq_of_amendment_3(aim_url: str) -> None:
    before = schedule(aim_url, "2003-12-01", "--known-at", "2")
    assert len(before["rows"]) == 18
    assert before["known_at"] == 2
    assert len(schedule(aim_url, "2003-12-01")["rows"]) == 14


def test_known_at_timestamp(aim_url: str) -> None:
    # Amendment 3 was recorded at 2003-12-02T12:00Z, amendment 4 at 2003-12-03T12:00Z.
    assert len(schedule(aim_url, "2003-12-01", "--known-at", "2003-12-02T13:00:00+00:00")["rows"]) == 18
    assert len(schedule(aim_url, "2003-12-01", "--known-at", "2003-12-03")["rows"]) == 14
    assert schedule(aim_url, "2003-12-01", "--known-at", "2003-11-30")["rows"] == []


def test_history_statuses(aim_url: str) -> None:
    run = run_cli("--db", aim_url, "history", "--as-of", "2003-11-21", "--json")
    assert run.code == 0, run.err
    statuses = [(e["seq"], e["status"]) for e in run.json()["entries"]]
    assert statuses == [(1, "superseded"), (2, "in force"), (3, "pending")]
    assert run.json()["entries"][0]["recorded_at"].startswith("2003-12-01T12:00:00")


def test_one_plan_for_the_three_amendments(aim_url: str) -> None:
    plans = run_cli("--db", aim_url, "plans", "--json").json()["plans"]
    assert len(plans) == 1
    assert plans[0]["share_class"] == "Investor"
    assert plans[0]["instruments"] == 3
    assert run_cli("--db", aim_url, "schedule", "--as-of", "2003-11-25", "--plan", "master plan").code == 0


def test_record_again_adds_nothing(aim_url: str) -> None:
    runs = record_aim(aim_url)
    assert all("unchanged" in r.out and "recorded entry" not in r.out for r in runs)
    assert run_cli("--db", aim_url, "verify", "--json").json()["entries"] == 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_terms_give_every_row_its_rates(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:

    url = make_ledger_url(backend, tmp_path, request)
    record_aim(url)
    source = "Investor Class plan body: 0.00% asset-based sales charge, 0.25% service fee"
    run = run_cli(
        "--db", url, "terms", "set", "--service", "0.25", "--distribution", "0",
        "--effective", "2003-07-01", "--source", source,
    )  # fmt: skip
    assert run.code == 0, run.err
    rows = schedule(url, "2003-11-25")["rows"]
    assert len(rows) == 14
    for row in rows:
        assert (row["distribution_fee"], row["service_fee"], row["aggregate_fee"]) == ("0", "0.25", "0.25")
        for name in ("distribution_fee", "service_fee"):
            assert row["rate_sources"][name] == {
                "from": "terms",
                "seq": 4,
                "effective": "2003-07-01",
                "source": source,
            }
        assert row["rate_sources"]["aggregate_fee"]["from"] == "derived"
    # Terms apply from their own date on, to whatever schedule is then in force.
    assert {r["service_fee"] for r in schedule(url, "2003-11-03")["rows"]} == {"0.25"}


@pytest.mark.parametrize("backend", BACKENDS)
def test_tampering_is_detected(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    import sqlalchemy as sa

    url = make_ledger_url(backend, tmp_path, request)
    record_aim(url)
    assert run_cli("--db", url, "verify").code == 0
    engine = sa.create_engine(url)
    # The database itself refuses edits...
    with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:
        conn.execute(sa.text("UPDATE entries SET effective_date = '2003-11-21' WHERE seq = 2"))
    # ...so the tamperer removes the guard first, behind distplan's back.
    with engine.begin() as conn:
        if backend == "sqlite":
            conn.execute(sa.text("DROP TRIGGER entries_no_update"))
        else:
            conn.execute(sa.text("DROP TRIGGER entries_append_only ON entries"))
        conn.execute(sa.text("UPDATE entries SET effective_date = '2003-11-21' WHERE seq = 2"))
    engine.dispose()
    run = run_cli("--db", url, "verify")
    assert run.code == 1
    assert "entry 2" in run.err
    report = run_cli("--db", url, "verify", "--json").json()
    assert report["ok"] is False and report["first_broken"] == 2
