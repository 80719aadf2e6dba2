"""Acceptance (issue 13): the AIM draft previewed on a copy of the ledger: the diff, the findings
it would trigger and what clears them, the fee change over 2003-07..2004-06 equal to a hand
computation; and nothing written."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from aim_draft import ADDED, RAISED, REMOVED, RENAMED, AimDraft, approvals_and_vote, make, ok

from aim_inputs import run_cli


@pytest.fixture(scope="module")
def aim(tmp_path_factory: pytest.TempPathFactory) -> AimDraft:
    return make(tmp_path_factory.mktemp("preview"))


def _preview(aim: AimDraft, *extra: str) -> dict[str, Any]:
    result = json.loads(ok("--db", aim.url, "preview", str(aim.draft), "--json", *extra))
    assert isinstance(result, dict)
    return result


def _head(aim: AimDraft) -> str:
    return ok("--db", aim.url, "verify").strip().splitlines()[-1]


def test_the_preview_writes_nothing(aim: AimDraft) -> None:
    head, data = _head(aim), aim.db.read_bytes()
    _preview(aim, "--nav", str(aim.nav))
    ok("--db", aim.url, "preview", str(aim.draft))
    assert aim.db.read_bytes() == data
    assert _head(aim) == head


def test_the_diff_is_one_of_each(aim: AimDraft) -> None:
    p = _preview(aim)
    assert p["warnings"] == []  # nothing recorded since it was drafted
    assert p["counts"] == {"added": 1, "removed": 1, "renamed": 1, "rate_changes": 1, "registrant_changes": 0}
    diff = p["diff"]
    assert set(diff) >= {"from", "to", "added", "removed", "changed", "known_at", "plan"}  # as `diff --json`
    assert [r["fund"] for r in diff["added"]] == [ADDED]
    assert [r["fund"] for r in diff["removed"]] == [REMOVED]
    by_fund = {c["fund"]: c for c in diff["changed"]}
    assert by_fund[RENAMED[1]]["from"]["fund"] == RENAMED[0]
    assert by_fund[RAISED]["to"]["aggregate_fee"] == "0.35"
    assert p["coverage"]["before"] and len(p["coverage"]["after"]) > len(p["coverage"]["before"])


def test_the_findings_name_the_vote_and_the_approvals(aim: AimDraft) -> None:
    findings = _preview(aim)["findings"]
    rules = {f["rule"] for f in findings}
    raise_ = [f for f in findings if f["rule"] == "12b-1(b)(4)"]
    assert len(raise_) == 1 and raise_[0]["subject"]["fund"] == RAISED
    assert "0.25% to 0.35%" in raise_[0]["message"] and "shareholder vote" in raise_[0]["to_clear"]
    approvals = [f for f in findings if f["rule"] == "12b-1(b)(2)"]
    assert approvals and all("Amendment No. 5" in f["message"] for f in approvals)
    assert "on or before 2004-07-01" in approvals[0]["to_clear"]
    assert rules <= {"12b-1(b)(2)", "12b-1(b)(4)"}, rules


def _accruals(nav: dict[date, Decimal], rate: Decimal, start: date, end: date) -> Decimal:
    """Daily accrual, each day rounded to the cent half-even, on the NAV of the day's last session."""
    total, day = Decimal("0.00"), start
    sessions = sorted(nav)
    with localcontext() as ctx:
        ctx.prec = 60
        while day < end:
            struck = nav[max(s for s in sessions if s <= day)]
            diy = 366 if day.year % 4 == 0 else 365
            total += (struck * rate / 100 / diy).quantize(Decimal("0.01"), ROUND_HALF_EVEN)
            day += timedelta(days=1)
    return total


def test_the_fee_change_is_the_hand_computation(aim: AimDraft) -> None:
    fees = _preview(aim, "--nav", str(aim.nav))["fees"]
    assert (fees["from"], fees["to"]) == ("2003-07-01", "2004-07-01")
    table = pq.read_table(aim.nav).to_pylist()
    navs: dict[str, dict[date, Decimal]] = {}
    for row in table:
        navs.setdefault(row["fund"], {})[row["date"]] = row["net_assets"]
    start, end = date(2003, 7, 1), date(2004, 7, 1)
    energy = _accruals(navs[RAISED], Decimal("0.10"), start, end)  # the new distribution component
    leisure = _accruals(navs[REMOVED], Decimal("0.25"), start, end)
    telecom = _accruals(navs[ADDED], Decimal("0.25"), start, end)
    by_fund = {f["fund"]: f for f in fees["funds"]}
    assert Decimal(by_fund[RAISED]["change"]) == energy
    assert Decimal(by_fund[REMOVED]["change"]) == -leisure
    assert Decimal(by_fund[ADDED]["change"]) == telecom
    assert Decimal(by_fund[RENAMED[1]]["change"]) == 0 and RENAMED[0] not in by_fund
    assert Decimal(fees["total"]["change"]) == energy - leisure + telecom
    assert fees["not_in_nav"] == []


def _check(aim: AimDraft) -> set[tuple[str, str]]:
    result = run_cli("--db", aim.url, "check", "--as-of", "2004-07-01", "--json")
    assert result.code in (0, 1), result.err
    return {(f["rule"], f["message"]) for f in result.json()["findings"] if f["severity"] != "info"}


def test_the_approvals_and_the_vote_clear_every_finding(aim: AimDraft, tmp_path: Path) -> None:
    governance = approvals_and_vote(aim, tmp_path / "approvals.yaml")
    assert _preview(aim, "--governance", str(governance))["findings"] == []
    before = _check(aim)
    # The governance names Amendment No. 5, so it is recorded once the draft is.
    ok("--db", aim.url, "record", str(aim.draft), "--recorded-at", "2004-06-30T00:00:00Z")
    ok("--db", aim.url, "record", str(governance), "--recorded-at", "2004-06-30T00:00:01Z")
    assert _check(aim) - before == set()


@pytest.mark.parametrize(
    ("edit", "named"),
    [
        (lambda d: d.update(effective_date=None), "effective_date"),
        (lambda d: d.update(kind="schedule"), "not an amendment"),
        (lambda d: d["plan"].update(title="Some Other Plan"), "does not hold"),
        (lambda d: d.update(effective_date="2004-02-30"), "effective_date"),
        (lambda d: d["schedule"]["rows"][0].update(service_fee="-1"), "service_fee"),
    ],
)
def test_a_bad_draft_is_one_line(aim: AimDraft, tmp_path: Path, edit: Any, named: str) -> None:
    data = json.loads(aim.draft.read_text())
    edit(data)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    result = run_cli("--db", aim.url, "preview", str(bad), "--json")
    assert result.code == 2, result.err
    assert len(result.err.strip().splitlines()) == 1 and named in result.err and "Traceback" not in result.err


def test_net_assets_short_of_the_year_are_one_line(aim: AimDraft, tmp_path: Path) -> None:
    short = tmp_path / "short.parquet"
    ok("--db", aim.url, "sample-data", "--from", "2003-11-01", "--to", "2004-01-01", "--out", str(short))
    result = run_cli("--db", aim.url, "preview", str(aim.draft), "--nav", str(short))
    assert result.code == 2 and len(result.err.strip().splitlines()) == 1
    assert "2003-07-01 to 2004-06-30" in result.err and str(short) in result.err


def test_a_stale_draft_is_warned(aim: AimDraft, tmp_path: Path) -> None:
    data = json.loads(aim.draft.read_text())
    data.update(amendment_number=4, effective_date="2003-11-24")  # clashes with Amendment No. 4
    clash = tmp_path / "clash.json"
    clash.write_text(json.dumps(data))
    warnings = json.loads(ok("--db", aim.url, "preview", str(clash), "--json"))["warnings"]
    assert any("Amendment No. 4 is already recorded" in w for w in warnings)
    assert any("on or after the draft's 2003-11-24" in w for w in warnings)
