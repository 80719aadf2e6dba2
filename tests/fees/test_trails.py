"""Dealer trails on the engine agree to the cent with the independent reference
(trails_reference.py) on generated cases: a dealer transferring out mid-quarter (forfeit), a
prepaid window ending mid-period, an agreement change mid-month, amounts under the minimum
carried three periods then paid, a leap year (2004), a fund removed from the plan mid-month."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute
import pytest
from trails_cases import AGREEMENTS, COVERAGE, END, TRANSFER, ref_dealers
from trails_cases import coverage as _coverage
from trails_cases import positions as _positions
from trails_reference import reference

from distplan.fees import Engine
from distplan.fees.agreements import read_agreements
from distplan.fees.positions import SCHEMA
from distplan.fees.trails import trails
from distplan.fees.trailterms import parse_period
from distplan.model import fold_class, fold_name
from distplan.periods import Period, nyse_sessions


@pytest.mark.parametrize("seed", [1, 2])
def test_every_period_agrees_with_the_reference_to_the_cent(duck: Engine, seed: int) -> None:
    rows = _positions(seed)
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    dealers = read_agreements(AGREEMENTS, "a.yaml")
    sessions = nyse_sessions(Period(date(2003, 9, 1), END))
    ref_rows = [{**r, "net_assets": Decimal(r["cents"]) / 100} for r in rows]
    cov = [(f, c, s, e or END) for f, c, s, e in COVERAGE]
    checked = 0
    labels = ["2003-Q4", "2004-Q1", "2004-Q2", "2004-Q3"] + [f"2004-{m:02d}" for m in range(1, 10)]
    for label in labels:
        frequency, period = parse_period(label)
        want = reference(ref_rows, ref_dealers(), cov, sessions, frequency, period.end)
        got = trails(duck, table, dealers, _coverage(), frequency, period)
        mine = {k: v for k, v in want.items() if k[0] == label}
        assert len(got.rows) == len(mine), label
        for r in got.rows:
            w = mine[(label, r["dealer"], fold_name(r["fund"]), fold_class(r["share_class"]))]
            assert {k: r[k] for k in w} == w, (label, r)
            assert r["carried_in"] + r["accrued"] == r["forfeited"] + r["paid"] + r["carried_out"]
            checked += 1
    assert checked >= 20


def test_the_cases_the_issue_names_happen(duck: Engine) -> None:
    table = pa.Table.from_pylist(_positions(3), schema=SCHEMA)
    dealers = read_agreements(AGREEMENTS, "a.yaml")

    def run(label: str) -> dict[tuple[str, str], dict[str, Any]]:
        frequency, period = parse_period(label)
        got = trails(duck, table, dealers, _coverage(), frequency, period)
        return {(r["dealer"], r["fund"]): r for r in got.rows}

    q1 = run("2004-Q1")
    assert q1[("D1", "Beta Fund")]["forfeited"] == q1[("D1", "Beta Fund")]["accrued"] > 0  # left mid-quarter
    assert q1[("D1", "Beta Fund")]["paid"] == 0
    # prepaid 12 months: nothing of D1 is eligible in 2003-Q4
    assert ("D1", "Alpha Fund") not in run("2003-Q4")
    # the 2003-02 lot alone leaves its prepaid year on 2004-02-01, mid-quarter: 29 + 31 days
    feb = table.filter(pa.compute.equal(table["purchase_month"], pa.scalar(date(2003, 2, 1), pa.date32())))
    frequency, period = parse_period("2004-Q1")
    only = trails(duck, feb, dealers, _coverage(), frequency, period)
    assert {(r["dealer"], r["fund"]): r["days"] for r in only.rows}[("D1", "Alpha Fund")] == 60
    small = [run(q)[("D2", "Alpha Fund")] for q in ("2003-Q4", "2004-Q1", "2004-Q2", "2004-Q3")]
    assert [r["paid"] for r in small[:3]] == [0, 0, 0]
    assert small[2]["carried_out"] == small[0]["accrued"] + small[1]["accrued"] + small[2]["accrued"]
    assert small[3]["paid"] == small[3]["carried_in"] + small[3]["accrued"] >= 200
    assert small[3]["carried_out"] == 0
    # Beta Fund is out of the plan from 2004-02-17: D1 has no Q2 Beta row at all
    assert ("D1", "Beta Fund") not in run("2004-Q2")
    # D4's account moved to D5 on 2004-02-13: D4 forfeits its Q1 accrual, D5 is paid its days
    lost, won = q1[("D4", "Alpha Fund")], q1[("D5", "Alpha Fund")]
    assert lost["forfeited"] == lost["accrued"] > 0 and lost["paid"] == 0
    assert won["paid"] == won["accrued"] > 0 and won["forfeited"] == 0
    assert (
        lost["days"] == (TRANSFER - date(2004, 1, 1)).days
        and won["days"] == (date(2004, 4, 1) - TRANSFER).days
    )


@pytest.mark.spark
def test_spark_gives_the_same_trails_as_duckdb(duck: Engine, spark: Engine) -> None:
    table = pa.Table.from_pylist(_positions(1), schema=SCHEMA)
    dealers = read_agreements(AGREEMENTS, "a.yaml")
    frequency, period = parse_period("2004-Q1")
    want = trails(duck, table, dealers, _coverage(), frequency, period).rows
    assert want
    assert trails(spark, table, dealers, _coverage(), frequency, period).rows == want
