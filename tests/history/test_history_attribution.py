"""What each answer names as its cause (issue 8 item 5): `diff` names the instrument or terms
entry that made each change, `schedule`'s `since` is the day the row's current state began
(not the day of the latest instrument restating it), and blank rates come with a warning.

On the three AIM Investor Class amendments (the real filings, recorded through the CLI), and on
hand-built entries for the cases the filings do not have."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_history_fold import PLAN, Book, books, row

from aim_inputs import record_aim, run_cli
from distplan import history as H


@pytest.fixture(scope="module")
def aim_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('aim') / 'distplan.db'}"
    record_aim(url)
    return url


def test_diff_names_amendment_3_for_its_registrant_renames(aim_url: str) -> None:
    # "AIM SECTOR FUNDS, INC." became "AIM Sector Funds" in Amendment No. 3 (2003-11-20);
    # Amendment No. 4 only restated the schedule as it then was.
    run = run_cli("--db", aim_url, "diff", "--from", "2003-11-19", "--to", "2003-11-24", "--json")
    assert run.code == 0, run.err
    changed = run.json()["changed"]
    assert len(changed) == 7 and all(c["to"] == {"registrant": "AIM Sector Funds"} for c in changed)
    assert {c["instrument"] for c in changed} == {"Amendment No. 3 (seq 2)"}
    assert all(c["changed_by"] == {"registrant": "Amendment No. 3 (seq 2)"} for c in changed)
    added = run.json()["added"]
    assert [(a["fund"], a["instrument"]) for a in added] == [
        ("INVESCO International Core Equity Fund", "Amendment No. 4 (seq 3)")
    ]
    human = run_cli("--db", aim_url, "diff", "--from", "2003-11-19", "--to", "2003-11-24")
    energy = next(line for line in human.out.splitlines() if "INVESCO Energy Fund" in line)
    assert energy.endswith("[Amendment No. 3 (seq 2)]")


def test_since_is_when_the_rows_current_state_began(aim_url: str) -> None:
    run = run_cli("--db", aim_url, "schedule", "--as-of", "2003-11-25", "--json")
    assert run.code == 0, run.err
    since = {r["fund"]: r["since"] for r in run.json()["rows"]}
    assert since["INVESCO Core Equity Fund"] == "2003-11-03"  # unchanged since Amendment No. 2
    assert since["INVESCO Dynamics Fund"] == "2003-11-03"  # registrant case alone is no change
    assert since["INVESCO Energy Fund"] == "2003-11-20"  # registrant renamed by No. 3
    assert since["INVESCO International Core Equity Fund"] == "2003-11-24"  # added by No. 4
    # The instrument column still names the document in force.
    assert {r["instrument"] for r in run.json()["rows"]} == {"Amendment No. 4 (seq 3)"}


def test_known_at_before_any_rate_warns(aim_url: str, tmp_path: Path) -> None:
    run = run_cli("--db", aim_url, "schedule", "--as-of", "2003-11-25", "--known-at", "2", "--json")
    assert run.code == 0, run.err
    result = run.json()
    assert all(r["service_fee"] is None for r in result["rows"])
    assert any(w.startswith("rates not yet known at entry 2: 18 of 18 rows") for w in result["warnings"])
    human = run_cli("--db", aim_url, "schedule", "--as-of", "2003-11-25", "--known-at", "2")
    assert "warning: rates not yet known at entry 2" in human.err


def test_no_warning_once_terms_give_the_rates(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'distplan.db'}"
    record_aim(url)
    terms = run_cli(
        "--db", url, "terms", "set", "--distribution", "0", "--service", "0.25",
        "--effective", "2003-07-01", "--source", "plan body",
    )  # fmt: skip
    assert terms.code == 0, terms.err
    now = run_cli("--db", url, "schedule", "--as-of", "2003-11-25", "--json").json()
    assert not [w for w in now["warnings"] if "no rate" in w]
    before = run_cli("--db", url, "schedule", "--as-of", "2003-11-25", "--known-at", "3", "--json").json()
    assert [w for w in before["warnings"] if w.startswith("rates not yet known at entry 3")]


def test_a_rate_rise_from_terms_is_attributed_to_the_terms_entry() -> None:
    b = Book()
    b.instrument("2020-01-01", 1, {"op": "replace_schedule", "rows": [row("Alpha"), row("Beta")]})
    b.terms("2020-01-01", distribution="0", service="0.25", source="plan s.3")
    # Amendment No. 2 restates the schedule (Beta renamed); then the terms raise the service fee.
    b.instrument(
        "2020-03-01", 2, {"op": "replace_schedule", "rows": [row("Alpha"), row("Beta", registrant="NEW")]}
    )
    rise = b.terms("2020-06-01", service="0.30", source="amended plan s.3")
    result = H.diff(b.entries, PLAN, date(2020, 2, 1), date(2020, 7, 1))
    by_fund = {c["fund"]: c for c in result["changed"]}
    alpha = by_fund["Alpha"]
    assert alpha["fields"] == ["service_fee", "aggregate_fee"]
    assert alpha["instrument"] == f"terms (seq {rise})"
    assert alpha["changed_by"] == {
        "service_fee": f"terms (seq {rise})",
        "aggregate_fee": f"terms (seq {rise})",
    }
    beta = by_fund["Beta"]
    assert beta["changed_by"]["registrant"] == "Amendment No. 2 (seq 3)"
    assert beta["instrument"] == f"terms (seq {rise})"  # the latest of its changes
    # Read backwards, the same change names the same cause.
    back = {c["fund"]: c for c in H.diff(b.entries, PLAN, date(2020, 7, 1), date(2020, 2, 1))["changed"]}
    assert back["Alpha"]["instrument"] == f"terms (seq {rise})"


def test_restating_a_row_keeps_its_since_and_a_real_change_moves_it() -> None:
    b = Book()
    b.instrument("2020-01-01", 1, {"op": "replace_schedule", "rows": [row("Alpha"), row("Beta")]})
    b.instrument("2020-02-01", 2, {"op": "set_rates", "rows": [row("Beta", service_fee="0.25")]})
    b.instrument(
        "2020-03-01",
        3,
        {"op": "replace_schedule", "rows": [row("Alpha"), row("Beta", service_fee="0.25"), row("Gamma")]},
    )
    b.instrument("2020-04-01", 4, {"op": "rename_registrant", "target": "TRUST", "new_name": "trust"})
    state = b.state("2020-04-15")
    assert state["Alpha"].since == date(2020, 1, 1)  # restated by No. 3; case-only rename by No. 4
    assert state["Beta"].since == date(2020, 2, 1)  # its rate set by No. 2, restated by No. 3
    assert state["Gamma"].since == date(2020, 3, 1)
    assert state["Alpha"].instrument == "Amendment No. 4 (seq 4)"  # the latest to touch it
    # The snapshot a warm query starts from gives the same answer as a full replay.
    sweep = H._Sweep(b.entries, PLAN)
    sweep.advance_to(date(2020, 4, 15))
    assert [line.since for line in sweep.sorted_lines(date(2020, 4, 15))] == [
        line.since for line in H.plan_state(b.entries, PLAN, date(2020, 4, 15)).rows
    ]


@settings(max_examples=80, deadline=None)
@given(books(), st.integers(-1, 44))
def test_the_no_rate_warning_counts_the_rows_without_a_rate(b: Book, offset: int) -> None:
    day = date(2020, 1, 1) + timedelta(days=offset)
    state = H.plan_state(b.entries, PLAN, day)
    blank = [r for r in state.rows if r.rates() == {f: None for f in H.FIELDS}]
    warned = [w for w in state.warnings if "have no rate" in w]
    if blank:
        assert len(warned) == 1
        assert warned[0].startswith(f"{len(blank)} of {len(state.rows)} rows have no rate")
    else:
        assert warned == []
