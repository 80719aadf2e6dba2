"""Table and prose structures real schedules use, each on an invented document: the extractor
reads the structure, not a filing it has seen."""

from __future__ import annotations

from decimal import Decimal

from distplan.documents.extract import extract_text
from distplan.model import Instrument


def rows_of(inst: Instrument) -> list[tuple[str | None, str, str | None, Decimal | None]]:
    assert inst.schedule is not None
    return [(r.registrant, r.fund, r.share_class, r.total_rate) for r in inst.schedule.rows]


def test_fund_cell_ending_in_a_dash_with_its_class_and_qualifier_in_the_next_cell() -> None:
    inst = extract_text(
        """SCHEDULE A
Funds with Class B Shares
|KAPPA SERIES TRUST
|MAXIMUM
AGGREGATE
FEE
|
Kappa Growth Fund –
|
Class B (reim)
|1.00
|%
|
Kappa Income Fund –
|
Class B (comp)
|0.75
|%
"""
    )
    assert rows_of(inst) == [
        ("KAPPA SERIES TRUST", "Kappa Growth Fund", "B", Decimal("1.00")),
        ("KAPPA SERIES TRUST", "Kappa Income Fund", "B", Decimal("0.75")),
    ]
    assert not any(r.flags for r in inst.schedule.rows)  # type: ignore[union-attr]


def test_header_cell_continued_inside_its_open_parenthesis() -> None:
    inst = extract_text(
        """LAMBDA INCOME FUNDS
INVESTOR CLASS
SCHEDULE A
|
Series
|
Fee (as a Percentage of Average
Net Assets of Investor Class)
|
Lambda Short Bond Fund
|
0.25%
"""
    )
    assert [(f, c, r) for _, f, c, r in rows_of(inst)] == [
        ("Lambda Short Bond Fund", "Investor", Decimal("0.25"))
    ]


def test_each_group_of_funds_takes_the_rate_line_after_it() -> None:
    inst = extract_text(
        """MU VARIABLE TRUST
SCHEDULE A
Mu VP Bond Fund
Mu VP Equity Fund
Up
to
0.25% of the average daily net assets
Mu VP High Yield Fund
Up
to
1.00% of the average daily net assets
"""
    )
    got = {f: r for _, f, _, r in rows_of(inst)}
    assert got == {
        "Mu VP Bond Fund": Decimal("0.25"),
        "Mu VP Equity Fund": Decimal("0.25"),
        "Mu VP High Yield Fund": Decimal("1.00"),
    }


def test_series_named_without_fund_word_right_after_the_prose_heads_its_classes() -> None:
    inst = extract_text(
        """AMENDED SCHEDULE A
12B-1 PLAN OF DISTRIBUTION
The following series and classes of shares are offered effective as of May 1, 2019:
|
Nu Arbitrage Strategy
|
Class I2
|
Nu Balanced Portfolio
|
Class A
|
Class C
|
Nu Core Bond
|
Class I2
"""
    )
    assert [(f, c) for _, f, c, _ in rows_of(inst)] == [
        ("Nu Arbitrage Strategy", "I2"),
        ("Nu Balanced Portfolio", "A"),
        ("Nu Balanced Portfolio", "C"),
        ("Nu Core Bond", "I2"),
    ]


def test_last_word_of_a_fund_name_in_a_cell_of_its_own() -> None:
    inst = extract_text(
        """SCHEDULE A
|Fund
|Maximum Combined Service and Distribution Fees
|
Xi Global Bond Fund
|
0.25%
|
Xi Multi-Manager Emerging Markets Equity
|
|
Fund
|
0.25%
"""
    )
    assert [(f, r) for _, f, _, r in rows_of(inst)] == [
        ("Xi Global Bond Fund", Decimal("0.25")),
        ("Xi Multi-Manager Emerging Markets Equity Fund", Decimal("0.25")),
    ]


def test_one_word_class_in_a_classes_column_and_a_row_cut_before_its_class() -> None:
    inst = extract_text(
        """|
Fund
|
Classes
|
Omicron Growth Fund
|
A, C
|
Omicron Money Market Fund
|
Service
|
Omicron Value Fund
"""
    )
    assert [(f, c) for _, f, c, _ in rows_of(inst)] == [
        ("Omicron Growth Fund", "A"),
        ("Omicron Growth Fund", "C"),
        ("Omicron Money Market Fund", "Service"),
    ]
    assert any("cut off" in d.message for d in inst.diagnostics)


def test_a_quoted_schedule_ends_at_its_closing_quote() -> None:
    inst = extract_text(
        """AMENDMENT NO. 1
NOW THEREFORE, Schedule A to the Plan is hereby deleted in its entirety and replaced with the following:
“SCHEDULE A
|Share Class
|Maximum Aggregate Fee
|
Class A
|0.25
|%
PI EQUITY FUNDS
Pi Main Street Fund
Pi Small Cap Fund”
2021.03.01-PI-Service Plan Amendment 1 final
0301 (2) abc
"""
    )
    assert [(f, c, r) for _, f, c, r in rows_of(inst)] == [
        ("Pi Main Street Fund", "A", Decimal("0.25")),
        ("Pi Small Cap Fund", "A", Decimal("0.25")),
    ]


def test_a_class_named_also_by_its_former_name_is_one_class() -> None:
    inst = extract_text(
        """SCHEDULE I
Rho Value Fund
Rho Growth Fund
With respect to each Fund above, the fee with respect to Class T (formerly Class V) Shares shall be an aggregate annual rate of not more than 0.25% of the Fund's average daily net assets attributable to Class V Shares.
"""
    )
    assert [(f, c, r) for _, f, c, r in rows_of(inst)] == [
        ("Rho Value Fund", "T", Decimal("0.25")),
        ("Rho Growth Fund", "T", Decimal("0.25")),
    ]
    row = inst.schedule.rows[0]  # type: ignore[union-attr]
    assert "class inferred from prose" in row.flags and row.confidence < 0.9


CLASS_CLAUSES = """APPENDIX A
                                 SERVICE PLAN

                                                        Annual Rate
            Class of each Fund                          Per Annum

                 Class A                                   0.25%
    (other than Class A of Sigma Money
   Fund and Sigma Equity and Income Fund)

                 Class A of                                0.10%
          Sigma Money Fund

    Class A of Sigma Equity and                            0.20%
           Income Fund

                 Class C                                   1.00%

                 Class C and Class C2 of                   0.60%
          Sigma Money Fund

March 2019

                                  APPENDIX B

        Trust                              Fund
        ----------------------------       ------------------------------

        Sigma Growth Fund                  Sigma Growth Fund

        Sigma Allocation Series            Sigma Aggressive Allocation Fund
                                           Sigma Moderate Allocation Fund
"""


def test_class_rate_clauses_with_named_funds_and_exceptions_over_a_trust_fund_list() -> None:
    inst = extract_text(CLASS_CLAUSES)
    got = {(reg, f, c): r for reg, f, c, r in rows_of(inst)}
    assert got == {
        # the clauses that name funds: a row each, in the clause's order
        (None, "Sigma Money Fund", "A"): Decimal("0.10"),
        (None, "Sigma Equity and Income Fund", "A"): Decimal("0.20"),
        (None, "Sigma Money Fund", "C"): Decimal("0.60"),
        (None, "Sigma Money Fund", "C2"): Decimal("0.60"),
        # the listed funds, each with every class's general rate; the trust from the Trust column
        ("Sigma Growth Fund", "Sigma Growth Fund", "A"): Decimal("0.25"),
        ("Sigma Growth Fund", "Sigma Growth Fund", "C"): Decimal("1.00"),
        ("Sigma Allocation Series", "Sigma Aggressive Allocation Fund", "A"): Decimal("0.25"),
        ("Sigma Allocation Series", "Sigma Aggressive Allocation Fund", "C"): Decimal("1.00"),
        ("Sigma Allocation Series", "Sigma Moderate Allocation Fund", "A"): Decimal("0.25"),
        ("Sigma Allocation Series", "Sigma Moderate Allocation Fund", "C"): Decimal("1.00"),
    }
    assert inst.schedule is not None
    for row in inst.schedule.rows:
        # the classes of a listed fund are an inference from the class table: said so
        inferred = row.registrant is not None
        assert ("class from the class rate table" in row.flags) is inferred
        assert (row.confidence < 0.9) is inferred


def test_a_general_class_rate_does_not_reach_a_fund_it_excepts() -> None:
    inst = extract_text(
        CLASS_CLAUSES.replace(
            "Sigma Growth Fund                  Sigma Growth Fund", "Sigma Money Fund   Sigma Money Fund"
        )
    )
    money = {(c, r) for _, f, c, r in rows_of(inst) if f == "Sigma Money Fund"}
    # A is the clause's own 0.10 (excepted from the general 0.25); C from its own clause, not 1.00
    assert money == {("A", Decimal("0.10")), ("C", Decimal("0.60")), ("C2", Decimal("0.60"))}


def test_prose_rate_with_funds_named_at_a_rate_of_their_own() -> None:
    inst = extract_text(
        """DISTRIBUTION PLAN
(Class K)
This Distribution Plan (the "Plan") has been adopted for Class K shares of each series of the Tau Funds (the "Trust").
1. Compensation. The Trust will pay the distributor a fee computed at the annual rate of 0.30% (0.10% for the Tau Bond Fund and the Tau Equity and Income Fund) of average daily net assets attributable to the Class K shares of each Fund.
"""
    )
    assert rows_of(inst) == [
        ("Tau Funds", "Tau Bond Fund", "K", Decimal("0.10")),
        ("Tau Funds", "Tau Equity and Income Fund", "K", Decimal("0.10")),
    ]
    assert all("rate from prose" in r.flags for r in inst.schedule.rows)  # type: ignore[union-attr]


def test_fund_column_captioned_by_a_group_with_a_trust_column() -> None:
    inst = extract_text(
        """SCHEDULE I
|
Growth Funds
|
Trust
|Upsilon Value Fund
|Upsilon Series Trust II
|Upsilon Core Fund
|Upsilon Series Trust II
|
Rate
|0.25%
|0.25%
"""
    )
    assert {(reg, f) for reg, f, _, _ in rows_of(inst)} == {
        ("Upsilon Series Trust II", "Upsilon Value Fund"),
        ("Upsilon Series Trust II", "Upsilon Core Fund"),
    }


def test_a_footnote_number_glued_to_a_class_is_read_off_and_flagged() -> None:
    inst = extract_text(
        """EXHIBIT A
|
Fund
|
Maximum 12b-1 Fee
|
Phi Emerging Fund
|
|
Class A
|
0.25%
|
Class C
|
1.00%
|
Phi Alternatives Fund
|
|
Class A
|
0.25%
|
Class C1
|
1.00%
|
|
1
|
The Board approved the establishment of Class C shares for the Phi Alternatives Fund at its March meeting.
"""
    )
    assert [(f, c) for _, f, c, _ in rows_of(inst)] == [
        ("Phi Emerging Fund", "A"),
        ("Phi Emerging Fund", "C"),
        ("Phi Alternatives Fund", "A"),
        ("Phi Alternatives Fund", "C"),
    ]
    read_off = inst.schedule.rows[3]  # type: ignore[union-attr]
    assert "footnote mark read off the class" in read_off.flags and read_off.confidence < 0.9


def test_a_class_ending_in_a_digit_without_a_footnote_is_kept() -> None:
    inst = extract_text(
        """EXHIBIT A
|Fund
|Share Class
|Maximum 12b-1 Fee
|Chi Bond Fund
|Class C
|1.00%
|Chi Bond Fund
|Class C1
|0.75%
"""
    )
    assert [c for _, _, c, _ in rows_of(inst)] == ["C", "C1"]


def test_a_rename_table_ends_where_the_text_goes_on() -> None:
    inst = extract_text(
        """AMENDMENT NO. 3
TO THE SERVICE PLAN
WHEREAS, the parties desire to amend the Plan to change the following Funds' names:
  FUND NAME                                  NEW FUND NAME
  Psi Old Growth Fund
                                             Psi Growth Fund
NOW THEREFORE, Schedule A to the Plan is hereby deleted in its entirety and replaced with the following:
                                  "SCHEDULE A
                              TO THE SERVICE PLAN
  PSI FUNDS TRUST                    Maximum
                                     Service
  PORTFOLIO                            Fee
  Psi Growth Fund                     0.25%"
"""
    )
    renames = [(op.target, op.new_name) for op in inst.operations if op.op == "rename_fund"]
    assert renames == [("Psi Old Growth Fund", "Psi Growth Fund")]
    assert rows_of(inst) == [("PSI FUNDS TRUST", "Psi Growth Fund", None, Decimal("0.25"))]


def test_a_class_line_in_parentheses_names_a_word_class() -> None:
    inst = extract_text(
        """SCHEDULE A
(TRUST CLASS)
  Omega Bond Fund         0.10%
  Omega Equity Fund       0.10%
"""
    )
    assert {c for _, _, c, _ in rows_of(inst)} == {"Trust"}  # "Trust" is also a trust's word


def test_a_trust_named_like_a_fund_atop_a_header_block_heads_its_table() -> None:
    inst = extract_text(
        """SCHEDULE A
  Omega Value Fund                 Maximum
                        Share     Aggregate
  PORTFOLIO             Class        Fee
  Omega Value Fund     Class A      0.25%
  Omega Value Fund     Class C      1.00%
"""
    )
    assert rows_of(inst) == [
        ("Omega Value Fund", "Omega Value Fund", "A", Decimal("0.25")),
        ("Omega Value Fund", "Omega Value Fund", "C", Decimal("1.00")),
    ]


def test_a_name_cut_by_the_end_of_the_file_is_left_out_even_with_the_schedules_class() -> None:
    inst = extract_text(
        """SCHEDULE A
CLASS A SHARES
|Fund
|Distribution Fee
|Omega Bond Fund
|0.25%
|Omega Virginia Intermediate Munici
"""
    )
    assert [(f, c, r) for _, f, c, r in rows_of(inst)] == [("Omega Bond Fund", "A", Decimal("0.25"))]
    assert any("cut off" in d.message for d in inst.diagnostics)


def test_class_rate_clauses_in_text_from_html_one_cell_a_line() -> None:
    inst = extract_text(
        """APPENDIX A
|Class of each Fund
|Annual Rate
|Class A (other than Class A of Sigma Money
Fund)
|0.25
|%
|Class A of
Sigma Money Fund
|0.10%
|Class C
|1.00%
APPENDIX B
|Fund
|Sigma Growth Fund
|Sigma Money Fund
"""
    )
    got = {(f, c): r for _, f, c, r in rows_of(inst)}
    assert got == {
        ("Sigma Money Fund", "A"): Decimal("0.10"),
        ("Sigma Growth Fund", "A"): Decimal("0.25"),
        ("Sigma Growth Fund", "C"): Decimal("1.00"),
        ("Sigma Money Fund", "C"): Decimal("1.00"),
    }
