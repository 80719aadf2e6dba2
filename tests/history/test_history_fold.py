"""history.py on hand-built entries (no database): every operation, rate precedence, and a
property test that coverage periods agree with the state computed date by date."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from distplan import history as H
from distplan.ledger import Entry, Plan

PLAN = Plan(1, "Test Plan", "A", "test plan | a")
T0 = datetime(2024, 1, 1, tzinfo=UTC)


class Book:
    """Builds entries the way the ledger would (seq order = recording order)."""

    def __init__(self) -> None:
        self.entries: list[Entry] = []

    def __repr__(self) -> str:  # what hypothesis prints for a failing example
        return "\n".join(f"{e.seq} {e.kind} {e.effective_date} {e.payload}" for e in self.entries)

    def _add(
        self, kind: str, payload: dict[str, Any], effective: date | None, target: int | None = None
    ) -> int:
        seq = len(self.entries) + 1
        at = T0 + timedelta(hours=seq)
        self.entries.append(Entry(seq, kind, PLAN.id, effective, at, payload, None, "", f"h{seq}", target))
        return seq

    def instrument(
        self,
        effective: str,
        number: int | None,
        *ops: dict[str, Any],
        kind: str = "amendment",
        schedule: dict[str, Any] | None = None,
    ) -> int:
        payload = {
            "source": {"path": "x", "sha256": ""},
            "kind": kind,
            "title": "t",
            "amendment_number": number,
            "plan": {"title": PLAN.title, "share_classes": ["A"]},
            "effective_date": effective,
            "operations": list(ops),
            "schedule": schedule,
        }
        return self._add("instrument", payload, date.fromisoformat(effective))

    def terms(self, effective: str, **kw: Any) -> int:
        rates = {
            k: Decimal(v) if v is not None else None
            for k, v in kw.items()
            if k in ("distribution", "service", "aggregate")
        }
        payload = H.terms_payload(
            distribution=rates.get("distribution"),
            service=rates.get("service"),
            aggregate=rates.get("aggregate"),
            source=kw.get("source", "plan body"),
            fund=kw.get("fund"),
            share_class=kw.get("share_class"),
        )
        return self._add("terms", payload, date.fromisoformat(effective))

    def void(self, target: int) -> int:
        return self._add("void", {"target": target, "reason": "wrong"}, None, target)

    def state(self, day: str) -> dict[str, H.Line]:
        return {line.fund: line for line in H.plan_state(self.entries, PLAN, date.fromisoformat(day)).rows}


def row(fund: str, **kw: Any) -> dict[str, Any]:
    return {"fund": fund, "registrant": kw.pop("registrant", "Trust"), **kw}


def test_operations_in_effective_order() -> None:
    b = Book()
    b.instrument(
        "2020-01-01", None, {"op": "replace_schedule", "rows": [row("Alpha"), row("Beta")]}, kind="plan"
    )
    b.instrument("2020-03-01", 2, {"op": "remove_rows", "rows": [row("Beta")]})
    b.instrument("2020-02-01", 1, {"op": "add_rows", "rows": [row("Gamma", aggregate_fee="0.75")]})
    b.instrument("2020-04-01", 3, {"op": "rename_registrant", "target": "TRUST", "new_name": "New Trust"})
    b.instrument("2020-05-01", 4, {"op": "rename_fund", "target": "Gamma", "new_name": "Gamma Prime"})
    b.instrument("2020-06-01", 5, {"op": "set_rates", "rows": [row("Alpha", service_fee="0.25")]})
    b.instrument("2020-07-01", 6, {"op": "terminate", "target": "Alpha"})
    assert set(b.state("2019-12-31")) == set()
    assert set(b.state("2020-01-31")) == {"Alpha", "Beta"}
    assert set(b.state("2020-02-01")) == {"Alpha", "Beta", "Gamma"}
    assert set(b.state("2020-03-01")) == {"Alpha", "Gamma"}
    assert {line.registrant for line in b.state("2020-04-01").values()} == {"New Trust"}
    may = b.state("2020-05-01")
    assert set(may) == {"Alpha", "Gamma Prime"} and may["Gamma Prime"].aggregate_fee == Decimal("0.75")
    assert b.state("2020-06-01")["Alpha"].service_fee == Decimal("0.25")
    assert b.state("2020-06-01")["Alpha"].since == date(2020, 6, 1)
    assert set(b.state("2020-07-01")) == {"Gamma Prime"}
    # The rename keeps the fund's identity: one timeline, split at each change.
    tl = H.timeline(b.entries, PLAN, "Gamma Prime")
    assert tl["coverage"] == [{"start": "2020-02-01", "end": None}]
    assert [p["start"] for p in tl["periods"]] == ["2020-02-01", "2020-04-01", "2020-05-01"]
    diff = H.diff(b.entries, PLAN, date(2020, 4, 1), date(2020, 5, 1))
    assert diff["added"] == diff["removed"] == []
    assert diff["changed"][0]["fields"] == ["fund"]


def test_whole_plan_termination_and_history_status() -> None:
    b = Book()
    first = b.instrument("2020-01-01", 1, {"op": "replace_schedule", "rows": [row("Alpha")]})
    end = b.instrument("2021-01-01", 2, {"op": "terminate"})
    state = H.plan_state(b.entries, PLAN, date(2021, 6, 1))
    assert state.rows == () and "empty" in state.message()
    statuses = {it.seq: it.status for it in H.history(b.entries, PLAN, date(2021, 6, 1))}
    assert statuses == {first: "superseded", end: "in force"}


def test_rows_with_their_own_later_effective_date() -> None:
    b = Book()
    sched = [row("Alpha"), row("Beta", effective_date="2020-03-15")]
    b.instrument("2020-01-01", None, {"op": "replace_schedule", "rows": sched}, kind="schedule")
    assert set(b.state("2020-03-14")) == {"Alpha"}
    assert set(b.state("2020-03-15")) == {"Alpha", "Beta"}
    assert H.timeline(b.entries, PLAN, "Beta")["coverage"] == [{"start": "2020-03-15", "end": None}]


def test_rate_precedence_and_terms_history() -> None:
    b = Book()
    b.instrument(
        "2020-01-01", 1, {"op": "replace_schedule", "rows": [row("Alpha"), row("Beta", service_fee="0.15")]}
    )
    b.terms("2019-01-01", distribution="0.75", service="0.25", source="plan s.3")
    b.terms("2020-06-01", distribution="0.50", source="amended plan s.3")
    b.terms("2020-01-01", distribution="0.10", fund="Alpha", source="side letter")
    jan, jul = b.state("2020-01-02"), b.state("2020-07-01")
    assert (jan["Alpha"].distribution_fee, jan["Alpha"].service_fee) == (Decimal("0.10"), Decimal("0.25"))
    assert jan["Alpha"].aggregate_fee == Decimal("0.35")  # derived
    assert jan["Beta"].distribution_fee == Decimal("0.75") and jan["Beta"].service_fee == Decimal("0.15")
    assert jul["Beta"].distribution_fee == Decimal("0.50") and jul["Beta"].since == date(2020, 6, 1)
    assert jul["Alpha"].distribution_fee == Decimal("0.10")  # fund terms beat later plan terms
    assert jul["Beta"].sources["distribution_fee"]["source"] == "amended plan s.3"
    periods = [p for p in H.coverage(b.entries, PLAN) if p.fund == "Beta"]
    assert [(p.start, p.end, p.rate_distribution) for p in periods] == [
        (date(2020, 1, 1), date(2020, 6, 1), Decimal("0.75")),
        (date(2020, 6, 1), None, Decimal("0.50")),
    ]
    assert periods[0].instrument == "Amendment No. 1 (seq 1)" and periods[0].plan == "Test Plan (A)"


def test_voided_instrument_is_ignored() -> None:
    b = Book()
    b.instrument("2020-01-01", 1, {"op": "replace_schedule", "rows": [row("Alpha")]})
    bad = b.instrument("2020-02-01", 2, {"op": "replace_schedule", "rows": [row("Beta")]})
    assert set(b.state("2020-03-01")) == {"Beta"}
    b.void(bad)
    assert set(b.state("2020-03-01")) == {"Alpha"}
    assert set(H.plan_state(b.entries[:2], PLAN, date(2020, 3, 1)).rows[0].fund) == set("Beta")


# --- property: coverage periods == the state, day by day ------------------------------------

FUNDS = ["Alpha", "Beta", "Gamma", "Delta"]
RATES = st.sampled_from([None, "0.25", "0.50", "1.00"])


@st.composite
def operations(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(
        st.sampled_from(["replace_schedule", "add_rows", "remove_rows", "set_rates", "rename_registrant"])
    )
    if kind == "rename_registrant":
        return {
            "op": kind,
            "target": draw(st.sampled_from(["T1", "T2"])),
            "new_name": draw(st.sampled_from(["T1", "T2"])),
        }
    funds = draw(st.lists(st.sampled_from(FUNDS), min_size=1, max_size=4, unique=True))
    rows = [
        row(
            f,
            registrant=draw(st.sampled_from(["T1", "T2", "t1"])),
            service_fee=draw(RATES),
            effective_date=draw(st.sampled_from([None, None, "2020-01-20"])),
        )
        for f in funds
    ]
    return {"op": kind, "rows": rows}


@st.composite
def books(draw: st.DrawFn) -> Book:
    b = Book()
    for n in range(draw(st.integers(1, 6))):
        day = date(2020, 1, 1) + timedelta(days=draw(st.integers(0, 40)))
        if draw(st.booleans()) and n:
            b.terms(day.isoformat(), distribution=draw(st.sampled_from(["0", "0.75"])), service=draw(RATES))
        elif draw(st.booleans()):  # a bare schedule: it replaces, or adds to, the rows
            rows = draw(operations().filter(lambda op: "rows" in op))["rows"]
            sched = {"label": "Schedule A", "replaces_entirely": draw(st.booleans()), "rows": rows}
            b.instrument(day.isoformat(), draw(st.integers(1, 5)), schedule=sched)
        else:
            b.instrument(
                day.isoformat(),
                draw(st.integers(1, 5)),
                *draw(st.lists(operations(), min_size=1, max_size=2)),
            )
    if draw(st.booleans()):
        b.void(draw(st.integers(1, len(b.entries))))
    return b


@settings(max_examples=150, deadline=None)
@given(books())
def test_coverage_agrees_with_state_on_every_day(b: Book) -> None:
    periods = H.coverage(b.entries, PLAN)
    by_fund: dict[str, list[H.CoveragePeriod]] = {}
    for p in periods:
        by_fund.setdefault(p.fund, []).append(p)
    for spans in by_fund.values():  # half-open, never overlapping
        spans.sort(key=lambda p: p.start)
        for a, b2 in itertools.pairwise(spans):
            assert a.end is not None and a.end <= b2.start
    for offset in range(-1, 45):
        day = date(2020, 1, 1) + timedelta(days=offset)
        state = {
            line.fund: (
                line.registrant,
                line.distribution_fee,
                line.service_fee,
                line.aggregate_fee,
                line.instrument,
            )
            for line in H.plan_state(b.entries, PLAN, day).rows
        }
        covered = {
            p.fund: (p.registrant, p.rate_distribution, p.rate_service, p.rate_aggregate, p.instrument)
            for p in periods
            if p.start <= day and (p.end is None or day < p.end)
        }
        assert covered == state, day


@settings(max_examples=100, deadline=None)
@given(books(), st.permutations(list(range(-1, 45))), st.lists(st.integers(-1, 44), max_size=10))
def test_warm_queries_in_any_order_match_a_full_replay(b: Book, order: list[int], again: list[int]) -> None:
    """plan_state reuses the folds of earlier queries (checkpoints); whatever the order of the
    queries, each answer equals replaying the whole history from its start."""
    for offset in order + again:
        day = date(2020, 1, 1) + timedelta(days=offset)
        sweep = H._Sweep(b.entries, PLAN)
        sweep.advance_to(day)
        expected = [line.to_json() for line in sweep.sorted_lines(day)]
        assert [line.to_json() for line in H.plan_state(b.entries, PLAN, day).rows] == expected, day
