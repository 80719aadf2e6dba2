"""Document-level fields (documents/meta.py, documents/effective.py): title, kind, amendment
number, the plan referred to and the effective-date precedence of the corpus labelling rules."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from distplan.documents.layout import parse_bytes
from distplan.documents.meta import Meta, read_meta, title_block

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "documents"
GOLD = sorted(CORPUS.glob("*.json"))


def meta(text: str) -> Meta:
    return read_meta(parse_bytes(text.encode(), "<test>"))


FUNDS = "|\nFund\n|\nRate\n|\nAcme Growth Fund\n|\n0.25%\n|\nAcme Income Fund\n|\n0.25%\n"


@pytest.mark.parametrize("gold_path", GOLD, ids=lambda p: p.stem)
def test_document_fields_match_the_gold_labels(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    doc = gold_path.with_suffix(".txt")
    got = read_meta(parse_bytes(doc.read_bytes(), str(doc)))
    assert got.kind == gold["kind"]
    assert got.amendment_number == gold["amendment_number"]
    assert (got.effective.value.isoformat() if got.effective.value else None) == gold["effective_date"]


def test_effective_beats_as_of_beats_amended_beats_dated() -> None:
    base = "SCHEDULE A\nTO THE DISTRIBUTION PLAN\n" + FUNDS
    tiers = [
        ("Dated: May 1, 2010\n", date(2010, 5, 1), 4),
        ("Last Revised: June 2, 2011\n", date(2011, 6, 2), 3),
        ("Current as of July 3, 2009\n", date(2009, 7, 3), 2),
        ("Effective: August 4, 2008\n", date(2008, 8, 4), 1),
    ]
    tail = ""
    for line, want, tier in tiers:
        tail += line
        got = meta(base + tail).effective
        assert (got.value, got.tier) == (want, tier)
    # The winning line is where the date was read.
    assert got.line == len((base + tail).splitlines())


def test_low_precedence_dates_are_flagged() -> None:
    got = meta("SCHEDULE A\n" + FUNDS + "Dated: May 1, 2010\n").effective
    assert got.value == date(2010, 5, 1) and got.flags
    assert any(d.level == "warning" for d in got.diagnostics)
    none = meta("SCHEDULE A\n" + FUNDS).effective
    assert none.value is None and [d.message for d in none.diagnostics] == ["no effective date found"]


def test_the_plans_own_date_is_never_the_effective_date() -> None:
    text = (
        "AMENDMENT NO. 3\nTO THE DISTRIBUTION PLAN\n"
        'The Distribution Plan (the "Plan"), dated as of July 1, 2003, pursuant to Rule 12b-1, '
        "is hereby amended as follows:\n" + FUNDS
    )
    got = meta(text)
    assert got.plan.dated == date(2003, 7, 1)
    assert got.effective.value is None
    later = meta(text + "Dated: November 3, 2003\n")
    assert later.effective.value == date(2003, 11, 3) and later.dates.dated == date(2003, 11, 3)
    # '(the "Plan"), effective December 8, 2006, ... is hereby amended, effective April 30, 2010'
    both = meta(
        "AMENDMENT NO. 2\nTO THE PLAN\n"
        'The Master Plan (the "Plan"), effective December 8, 2006, pursuant to Rule 12b-1, is hereby '
        "amended, effective April 30, 2010, as follows:\n" + FUNDS
    )
    assert both.effective.value == date(2010, 4, 30) and both.plan.dated == date(2006, 12, 8)


def test_per_fund_dates_are_never_promoted() -> None:
    footnoted = (
        "SCHEDULE A\n|\nFund\n|\nRate\n|\nAcme Growth Fund(1)\n|\n0.25%\n"
        "|\n(1)\n|\nEffective February 13, 2006, outstanding A Shares were reclassified as D Shares.\n"
    )
    assert meta(footnoted).effective.value is None
    column = (
        "EXHIBIT A\n|\nFund\n|\nFee\n|\nEffective Date\n|\nAcme Growth Fund\n|\n0.25%\n|\nMay 1, 2012\n"
        "|\nAcme Income Fund\n|\n0.25%\n|\nJune 1, 2013\n"
    )
    assert meta(column).effective.value is None
    glued = "SCHEDULE A\n" + FUNDS + "1Acme Growth Fund Service Fee change effective January 2, 2008.\n"
    assert meta(glued.replace("Acme Growth Fund\n", "Acme Growth Fund1\n", 1)).effective.value is None


def test_a_bare_date_after_the_schedule_is_a_weak_effective_date() -> None:
    got = meta("SCHEDULE A\n" + FUNDS + "August 17, 2011\n").effective
    assert (got.value, got.tier) == (date(2011, 8, 17), 4)


def test_a_footnote_marker_glued_to_the_year() -> None:
    got = meta("SCHEDULE A\nThe Family of Funds\nAs of September 23, 20201\n" + FUNDS).effective
    assert (got.value, got.tier) == (date(2020, 9, 23), 2)


@pytest.mark.parametrize(
    ("title", "kind", "number"),
    [
        ("AMENDMENT NO. 2\nTO THE AMENDED AND RESTATED\nMASTER DISTRIBUTION PLAN", "amendment", 2),
        ("AMENDMENT NO. [2]\nTO THE\nDISTRIBUTION PLAN", "amendment", 2),
        ("AMENDMENT TO AMENDED AND RESTATED DISTRIBUTION PLAN", "amendment", None),
        ("Exhibit (m)(2)\nAMENDED AND RESTATED APPENDIX A\nto the\nPlan of Distribution", "schedule", None),
        ("ACME FUNDS\nC CLASS\nDISTRIBUTION PLAN\nSCHEDULE A", "schedule", None),
        ("ACME FUNDS\nDISTRIBUTION\nPLAN\nSCHEDULE\nA", "schedule", None),
        ("Form of\nAPPENDIX A\nSHAREHOLDER SERVICES AND DISTRIBUTION PLAN", "schedule", None),
        ("Exhibit (m)\nDISTRIBUTION PLAN\n(As Amended)\n(Class N)", "plan", None),
    ],
)
def test_kind_and_amendment_number_from_the_title(title: str, kind: str, number: int | None) -> None:
    got = meta(title + "\n" + FUNDS)
    assert (got.kind, got.amendment_number) == (kind, number)


def test_a_schedule_referring_to_an_amendment_number_is_no_amendment() -> None:
    got = meta("SCHEDULE A\nas amended by Amendment No. 3\n" + FUNDS)
    assert (got.kind, got.amendment_number) == ("schedule", None)


def test_no_title_is_a_schedule_said_with_a_warning() -> None:
    got = meta(FUNDS)
    assert got.kind == "schedule" and got.title == ""
    assert any(d.level == "warning" for d in got.diagnostics)


def test_the_title_gives_the_class_in_scope() -> None:
    got = meta("SCHEDULE A\nTO THE DISTRIBUTION PLAN\nFOR CLASS R2 SHARES\n" + FUNDS)
    assert got.plan.share_classes == ("R2",)
    assert got.plan.title == "DISTRIBUTION PLAN"
    assert got.title == "SCHEDULE A TO THE DISTRIBUTION PLAN FOR CLASS R2 SHARES"


def test_title_block_stops_at_the_column_header_and_skips_the_exhibit_index() -> None:
    doc = parse_bytes(b"EX-99.(m)(ii)\nSCHEDULE A\nBROWN FUNDS\nRule 12b-1 Fees\nName of Series\n", "<t>")
    block = title_block(doc.lines)
    assert block.text == "SCHEDULE A BROWN FUNDS" and block.span == (2, 3)
