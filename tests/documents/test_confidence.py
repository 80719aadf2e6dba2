"""Saying when unsure: the structural signals that a row may be wrong are flagged on the row, and
the signals that a cell is a table boundary keep the next table's rows under their own trust."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from distplan.documents import confidence
from distplan.documents.extract import extract_text
from distplan.documents.merge import merge_rows
from distplan.model import Diagnostic, ScheduleRow

# Fund cell, then class / rate / "%" sub-rows; one rate typo'd; footnote marks glued to "%"; a
# second trust's table starts with its name above the column headers.
TWO_TRUSTS = """SCHEDULE A
TO THE DISTRIBUTION PLAN (COMPENSATION)
|Alpha Equity Funds (Beta Equity Funds)
|Portfolio
|Share Class
|Maximum Aggregate Fee
|
Beta Summit Fund
|Class A
|0.25
|%
|Class P
|0/10
|%€
|Class S
|0.15
|%µ
|Alpha Funds Group (Beta Funds Group)
|Portfolio
|Share Class
|Maximum Aggregate Fee
|
Beta Global Core Equity Fund
|Class A
|0.25
|%
|Class C
|1.00
|%*
"""


def test_a_typod_rate_cell_is_flagged_and_the_next_table_keeps_its_trust() -> None:
    inst = extract_text(TWO_TRUSTS)
    assert inst.schedule is not None
    got = [(r.registrant, r.fund, r.share_class, r.total_rate) for r in inst.schedule.rows]
    equity, group = "Alpha Equity Funds (Beta Equity Funds)", "Alpha Funds Group (Beta Funds Group)"
    assert got == [
        (equity, "Beta Summit Fund", "A", Decimal("0.25")),
        (equity, "Beta Summit Fund", "P", None),
        (equity, "Beta Summit Fund", "S", Decimal("0.15")),
        (group, "Beta Global Core Equity Fund", "A", Decimal("0.25")),
        (group, "Beta Global Core Equity Fund", "C", Decimal("1.00")),
    ]
    typo = inst.schedule.rows[1]
    assert typo.flags == ("cell unparsed",) and typo.confidence < 0.9
    assert any(d.level == "warning" and d.line == typo.lines[0] for d in inst.diagnostics)
    assert all(not r.flags and r.confidence == 1.0 for i, r in enumerate(inst.schedule.rows) if i != 1)


def _row(fund: str, rate: str | None, line: int) -> ScheduleRow:
    fee = Decimal(rate) if rate is not None else None
    return ScheduleRow(fund=fund, registrant="T", share_class="C", aggregate_fee=fee, lines=(line, line))


def test_a_fund_listed_twice_with_different_rates_flags_both_readings() -> None:
    diags: list[Diagnostic] = []
    rows = merge_rows(
        [_row("X Fund", "0.75", 1), _row("Y Fund", "0.75", 2), _row("X Fund", "0.25", 5)], diags
    )
    assert [r.flags for r in rows] == [
        ("listed twice with different values",),
        (),
        ("listed twice with different values",),
    ]


def test_a_row_without_a_rate_among_rated_rows_is_flagged() -> None:
    rows, diags = confidence.review(
        [_row("X Fund", "0.25", 1), _row("Y Fund", None, 2)], speaks_of_classes=True
    )
    assert rows[0].flags == () and rows[1].flags == ("no rate stated",) and rows[1].confidence < 0.9
    assert [d.line for d in diags] == [2]
    # A schedule that states no rate at all (a bare list of covered funds) is not flagged for it.
    rows, _ = confidence.review([_row("X Fund", None, 1)], speaks_of_classes=True)
    assert rows[0].flags == ()


def test_a_rate_with_named_fund_exceptions_flags_the_schedule_s_rows() -> None:
    rows = [_row("X Fund", "0.25", 3), _row("Y Fund", "0.25", 4)]
    texts = {2: "Fund Rate", 3: "X Fund 0.25%", 4: "Y Fund (other than its Class C) 0.25%"}
    assert all(
        r.flags == ("rate exception named in the schedule",)
        for r in confidence.exceptions_in_schedule(rows, texts)
    )
    # An exception outside the schedule's lines (the plan's prose) is not the schedule's.
    texts = {1: "All classes except Class I", 3: "X Fund 0.25%", 4: "Y Fund 0.25%"}
    assert confidence.exceptions_in_schedule(rows, texts) == rows


def test_fund_names_that_are_sentence_fragments_are_flagged() -> None:
    for fragment in (
        "Class A of Pioneer Multi-Asset",
        "Income Fund and Short Term Fund) Class A of",
        "X Fund and",
    ):
        assert confidence.fragment_name(fragment), fragment
    for name in ("Invesco Summit Fund", "AIM Funds Group (Invesco Funds Group)", "Fund of Funds Portfolio"):
        assert not confidence.fragment_name(name), name


def test_parallel_fee_tables_with_wrapped_header_notes_fill_one_row() -> None:
    # "Distribution Fee (as a Percentage of Average" / "Daily Net Assets of Class C)": the header
    # is wrapped inside its note; the service table after it is the same funds' other fee.
    text = (
        "SCHEDULE A\n\n"
        "                              Distribution Fee (as a Percentage of Average\n"
        "        Series                     Daily Net Assets of Class C)\n"
        "        ------                     ----------------------------\n\n"
        "Alpha Growth Fund                            0.75%\n\n"
        "Alpha Value Fund                             0.75%\n\n\n"
        "                              Service Fee (as a Percentage of Average\n"
        "        Series                     Daily Net Assets of Class C)\n"
        "        ------                     ----------------------------\n\n"
        "Alpha Growth Fund                            0.25%\n\n"
        "Alpha Value Fund                             0.25%\n"
    )
    inst = extract_text(text)
    assert inst.schedule is not None
    got = [(r.fund, r.share_class, r.distribution_fee, r.service_fee, r.flags) for r in inst.schedule.rows]
    assert got == [
        ("Alpha Growth Fund", "C", Decimal("0.75"), Decimal("0.25"), ()),
        ("Alpha Value Fund", "C", Decimal("0.75"), Decimal("0.25"), ()),
    ]


STACKED = """SCHEDULE A
TO THE DISTRIBUTION AND SERVICE PLAN (COMPENSATION)
|ALPHA GROWTH SERIES (BETA GROWTH SERIES)
|Portfolio
|Share Class
|Maximum Asset
Based Sales
Charge
|Maximum
Shareholder
Services Fee
|Maximum
Aggregate Fee
|
Beta Allocation Fund
|Class C
Class R
|
|0.75
0.50
|%
%
|
|0.25
0.25
|%
%
|
|1.00
0.50
|%
%
|
"""


def test_stacked_cells_give_one_row_per_class() -> None:
    inst = extract_text(STACKED)
    assert inst.schedule is not None
    got = [(r.share_class, r.distribution_fee, r.service_fee, r.aggregate_fee) for r in inst.schedule.rows]
    assert got == [
        ("C", Decimal("0.75"), Decimal("0.25"), Decimal("1.00")),
        ("R", Decimal("0.50"), Decimal("0.25"), Decimal("0.50")),
    ]
    assert all(not r.flags for r in inst.schedule.rows)


def test_a_class_left_in_the_fund_name_is_flagged() -> None:
    row = ScheduleRow(
        fund="X Fund – Class B (reim)", registrant="T", share_class="B", aggregate_fee=Decimal(1)
    )
    rows, _ = confidence.review([row], speaks_of_classes=True)
    assert rows[0].flags == ("class left in the fund name",)


def test_a_file_name_read_as_a_fund_is_flagged() -> None:
    fund = "2020.04.17-AEF-Service Plan (Reimbursement) - Amendment No. 1 041520 (1) cmh"
    rows, _ = confidence.review(
        [_row(fund, "0.25", 3), _row("Invesco Summit Fund", "0.25", 4)], speaks_of_classes=True
    )
    assert rows[0].flags == ("fund name reads as a document name",) and rows[1].flags == ()


# --- the cheap tests in front of the patterns give the patterns' answers ------------------


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Fund",
                " of",
                " and",
                " The",
                "THAN",
                " to",
                "or",
                "_",
                "1",
                ")",
                "(",
                " ",
                "*",
                ".",
                "\n",
                "é",
                "ſ",
            ]
        ),
        max_size=10,
    ).map("".join)
)
def test_ending_on_a_joining_word_is_the_patterns_reading(text: str) -> None:
    assert confidence._ends_on_joining_word(text) == bool(confidence._FRAGMENT_END.search(text))


def test_review_flags_a_class_suffix_written_with_a_long_s() -> None:
    rows, _ = confidence.review([ScheduleRow("Acme Fund – Claſs B")], speaks_of_classes=False)
    assert "class left in the fund name" in rows[0].flags
