"""extract -> render -> extract keeps the data, and rendering is a fixed point (issue 14).

Over every corpus document in tests/corpus/documents, and over synthetic instruments that use
every construct of the canonical text layout (null classes, per-row dates, several registrants
and classes, all three fee columns, null vs "0", odd names).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from distplan.documents.extract import extract_path, extract_text
from distplan.documents.render import render_text
from distplan.model import Instrument, Operation, PlanRef, Schedule, ScheduleRow, Source

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "documents"
DOCUMENTS = sorted(CORPUS.glob("*.txt"))

# Documents whose first extraction is itself a misreading the canonical text cannot restate (a
# class column read as funds "C"/"R", a date read as a fund, prose fragments as funds). They are
# the extractor's to fix (see /work/notes/render-to-extract-rows.md); not strict, so they pass
# as soon as the extractor reads the original right.
MISREAD_ORIGINALS: dict[str, str] = {}
# Canonical text the extractor in main does not read back yet (render's to fix, or a construct
# noted for extract-rows): same non-strict xfail.
NOT_READ_BACK: dict[str, str] = {}


def _row(r: ScheduleRow) -> tuple[Any, ...]:
    return (
        (r.registrant or "").casefold(),
        r.fund,
        r.share_class,
        r.distribution_fee,
        r.service_fee,
        r.aggregate_fee,
        r.effective_date,
    )


def projection(inst: Instrument) -> dict[str, Any]:
    """The fields the round trip must preserve."""
    return {
        "kind": inst.kind,
        "amendment_number": inst.amendment_number,
        "effective_date": inst.effective_date,
        "dated": inst.dated,
        "plan": (inst.plan.title, inst.plan.share_classes, inst.plan.dated),
        "rows": [_row(r) for r in (inst.schedule.rows if inst.schedule else ())],
        "operations": [
            (op.op, op.section, op.target, op.new_name, [_row(r) for r in op.rows]) for op in inst.operations
        ],
        "signatories": inst.signatories,
    }


def assert_round_trip(first: Instrument, name: str) -> None:
    text = render_text(first)
    second = extract_text(text, path=f"{name}.rendered.txt")
    want, got = projection(first), projection(second)
    assert got == want, "\n".join(f"{k}: {want[k]!r} != {got[k]!r}" for k in want if want[k] != got[k])
    assert render_text(second) == text  # a fixed point


def _marks(doc: Path) -> Any:
    why = MISREAD_ORIGINALS.get(doc.stem) or NOT_READ_BACK.get(doc.stem)
    return pytest.param(doc, marks=pytest.mark.xfail(reason=why, strict=False)) if why else doc


@pytest.mark.parametrize("doc", [_marks(d) for d in DOCUMENTS], ids=lambda p: p.stem)
def test_corpus_document_round_trips(doc: Path) -> None:
    assert_round_trip(extract_path(doc), doc.stem)


R1, R2 = "ALPHA FUNDS, INC.", "Beta Investment Trust"
D = Decimal


def _instrument(
    rows: list[ScheduleRow],
    kind: str = "schedule",
    classes: tuple[str, ...] = (),
    title: str | None = "Distribution Plan",
    plan_dated: date | None = None,
    effective: date | None = date(2020, 5, 1),
    number: int | None = None,
) -> Instrument:
    return Instrument(
        source=Source("synthetic.txt", ""),
        kind=kind,  # type: ignore[arg-type]
        title="",
        amendment_number=number,
        plan=PlanRef(title, classes, plan_dated),
        effective_date=effective,
        operations=(Operation("replace_schedule", target="Schedule A"),),
        schedule=Schedule("Schedule A", True, tuple(rows)),
    )


def _f(fund: str, registrant: str | None = R1, cls: str | None = "A", **fees: Any) -> ScheduleRow:
    return ScheduleRow(fund=fund, registrant=registrant, share_class=cls, **fees)


def _rates(distribution: str, service: str, aggregate: str) -> dict[str, Decimal]:
    return {
        "distribution_fee": D(distribution),
        "service_fee": D(service),
        "aggregate_fee": D(aggregate),
    }


SYNTHETIC = {
    "fund list": _instrument([_f("Alpha Growth Fund"), _f("Alpha Income Fund")], classes=("A",)),
    "three fee columns": _instrument(
        [
            _f("Alpha Growth Fund", cls="C", **_rates("0.75", "0.25", "1.00")),
            _f("Alpha Income Fund", cls="C", **_rates("0.50", "0.25", "0.75")),
        ],
        classes=("C",),
    ),
    "zero and null rates": _instrument(
        [
            _f("Alpha Growth Fund", distribution_fee=D("0"), service_fee=D("0.25")),
            _f("Alpha Income Fund", service_fee=D("0.25")),
            _f("Alpha Bond Fund", distribution_fee=D("0.10")),
        ],
        classes=("A",),
    ),
    "several classes": _instrument(
        [
            _f("Alpha Growth Fund", service_fee=D("0.25")),
            _f("Alpha Growth Fund", cls="C", service_fee=D("1.00")),
            _f("Alpha Income Fund", cls="Investor", service_fee=D("0.25")),
        ],
        classes=("A", "C", "Investor"),
    ),
    "per-row effective dates": _instrument(
        [
            _f("Alpha Growth ETF", cls=None, aggregate_fee=D("0.25"), effective_date=date(2016, 9, 28)),
            _f("Alpha Income ETF", cls=None, aggregate_fee=D("0.25"), effective_date=date(2018, 1, 2)),
        ]
    ),
    "two registrants": _instrument(
        [_f("Alpha Growth Fund", service_fee=D("0.25")), _f("Beta Value Fund", R2, service_fee=D("0.25"))],
        classes=("A",),
    ),
    "no registrant": _instrument(
        [
            _f("Alpha Growth Fund", None, service_fee=D("0.25")),
            _f("Alpha Income Fund", None, service_fee=D("0.25")),
        ],
        classes=("A",),
    ),
    "odd names": _instrument(
        [
            _f("Alpha S&P 500® Index Fund – Series II", service_fee=D("0.25")),
            _f("Fund 1.1 [Buffer] <b>", service_fee=D("0.25")),
            _f("Ünïcode Fund", service_fee=D("0.25")),
        ],
        classes=("A",),
    ),
    "amendment": _instrument(
        [_f("Alpha Growth Fund", service_fee=D("0.25"))],
        kind="amendment",
        classes=("A",),
        number=3,
        plan_dated=date(2003, 7, 1),
    ),
    "plan": _instrument(
        [_f("Alpha Growth Fund", service_fee=D("0.25"))],
        kind="plan",
        classes=("A",),
        plan_dated=date(2003, 7, 1),
    ),
    "no plan title": _instrument(
        [_f("Alpha Growth Fund", service_fee=D("0.25"))], title=None, classes=("A",)
    ),
    "plan title with lower-case words": _instrument(
        [_f("Alpha Growth Fund", service_fee=D("0.25"))],
        title="SECOND AMENDED and restated Service and Distribution Plan",
        classes=("A",),
    ),
    "no effective date": _instrument(
        [_f("Alpha Growth Fund", service_fee=D("0.25"))], effective=None, classes=("A",)
    ),
    "rates without a class": _instrument([_f("Alpha Growth ETF", cls=None, aggregate_fee=D("0.25"))]),
}

# Canonical constructs today's extractor does not read back (noted for extract-rows).
NOT_YET_READ = {
    "null class among classes": (
        _instrument(
            [
                _f("Alpha Growth Fund", service_fee=D("0.25")),
                _f("Alpha Income Fund", cls=None, service_fee=D("0.25")),
            ]
        ),
        "'(none)' in a Share Class column is overridden by the one class seen",
    ),
    "no registrant after a registrant": (
        _instrument(
            [_f("Alpha Growth Fund", service_fee=D("0.25")), _f("Gamma Fund", None, service_fee=D("0.25"))],
            classes=("A",),
        ),
        "a table without a registrant line inherits the registrant above",
    ),
}


@pytest.mark.parametrize("name", SYNTHETIC)
def test_every_canonical_construct_reads_back_exactly(name: str) -> None:
    assert_round_trip(SYNTHETIC[name], name)


@pytest.mark.parametrize("name", NOT_YET_READ)
def test_constructs_the_extractor_does_not_read_yet(name: str) -> None:
    inst, why = NOT_YET_READ[name]
    try:
        assert_round_trip(inst, name)
    except AssertionError:
        pytest.xfail(why)
