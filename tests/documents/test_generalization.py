"""Structures met in real filings of families outside the corpus, on invented documents: each
test pins one general structure (never a family's wording) and what the extractor reads from it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from distplan.documents.extract import extract_text
from distplan.documents.names import clean_name


def _html(rows: list[list[str]], before: str = "<p>SCHEDULE A</p>", after: str = "") -> str:
    body = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f"<html><body>\n{before}\n<table>\n{body}\n</table>\n{after}\n</body></html>\n"


def _rows(text: str) -> list[tuple[str, str | None, Decimal | None]]:
    inst = extract_text(text, "<test>", html=True)
    assert inst.schedule is not None
    return [(r.fund, r.share_class, r.total_rate) for r in inst.schedule.rows]


@pytest.mark.parametrize(
    ("pieces", "share_class"),
    [
        (["assets of the Fund attributable to Premier", "Shares)"], "Premier"),
        (["assets of the Fund)"], None),  # wrapped, but naming no class
    ],
)
def test_a_header_wrapped_over_rows_names_the_class_of_its_column(
    pieces: list[str], share_class: str | None
) -> None:
    header = [["", "Yearly Fee (as a % of the average daily net"], ["Name of Fund", pieces[0]]]
    header += [["", piece] for piece in pieces[1:]]
    text = _html([*header, ["Alder Growth Fund", "0.30%"], ["Birch Income Fund", "0.20%"]])
    assert _rows(text) == [
        ("Alder Growth Fund", share_class, Decimal("0.30")),
        ("Birch Income Fund", share_class, Decimal("0.20")),
    ]


def test_a_former_name_note_is_not_part_of_the_fund_name() -> None:
    assert clean_name("Cedar Bond Fund (formerly, Cedar Income Fund)") == "Cedar Bond Fund"
    assert clean_name("Cedar Value Fund(formerly Cedar Equity Fund)") == "Cedar Value Fund"
    assert clean_name("Cedar Tax Fund (formerly, Cedar Municipal Fund") == "Cedar Tax Fund"  # left open
    assert clean_name("Cedar Fund (Formerly Known As)") == "Cedar Fund"
    assert clean_name("Cedar Formerly Fund") == "Cedar Formerly Fund"  # a word of the name, no note
    text = _html(
        [
            ["Portfolio", "Maximum Distribution Fee", "Maximum Shareholder Services Fee"],
            ["Cedar Bond Fund (formerly, Cedar Income Fund)", "0.35%", "0.25%"],
            ["Cedar Growth Fund", "0.30%", "0.25%"],
        ]
    )
    assert _rows(text) == [
        ("Cedar Bond Fund", None, Decimal("0.60")),
        ("Cedar Growth Fund", None, Decimal("0.55")),
    ]


def test_a_name_wrapped_onto_the_next_line_of_a_fixed_width_table_is_one_fund() -> None:
    lines = [
        "SCHEDULE A",
        "",
        "<TABLE>",
        "FUND NAME                       PRIOR NAME                      SHARE CLASS     FEE",
        "<S>                             <C>                             <C>             <C>",
        "Larch Short Duration            Larch Short Term                Retail          0.25%",
        "Government Fund                 Bond Fund",
        "                                                                Premier         0.10%",
        "Larch Equity Income Fund        Larch Dividend Fund             Retail          0.25%",
        "Larch Value Fund                Larch Value Fund                Retail          0.25%",
        "Larch New Fund",
        "Larch Global Fund               Larch World Fund                Retail          0.35%",
        "</TABLE>",
    ]
    inst = extract_text("\n".join(lines) + "\n", "<test>", html=False)
    assert inst.schedule is not None
    got = [(r.fund, r.share_class, r.total_rate) for r in inst.schedule.rows]
    assert got == [
        ("Larch Short Duration Government Fund", "Retail", Decimal("0.25")),
        ("Larch Short Duration Government Fund", "Premier", Decimal("0.10")),
        ("Larch Equity Income Fund", "Retail", Decimal("0.25")),
        ("Larch Value Fund", "Retail", Decimal("0.25")),
        ("Larch New Fund", None, None),  # under a whole name: a fund of its own, not a wrap
        ("Larch Global Fund", "Retail", Decimal("0.35")),
    ]


def test_funds_whose_names_differ_only_by_a_sign_are_both_kept_and_flagged() -> None:
    text = _html(
        [
            ["Designated Funds"],
            ["Maple 2x Daily Oil ETF"],
            ["Maple -2x Daily Oil ETF"],
            ["Maple 20+ Year Bond ETF"],
            ["Maple 20 Year Bond ETF"],
            ["Maple Gold ETF"],
            ["Maple Gold ETF"],  # the list printed with a name twice: one row
        ]
    )
    inst = extract_text(text, "<test>", html=True)
    assert inst.schedule is not None
    rows = inst.schedule.rows
    assert [r.fund for r in rows] == [
        "Maple 2x Daily Oil ETF",
        "Maple -2x Daily Oil ETF",
        "Maple 20+ Year Bond ETF",
        "Maple 20 Year Bond ETF",
        "Maple Gold ETF",
    ]
    assert [bool(r.flags) for r in rows] == [True, True, True, True, False]


def test_a_heading_naming_a_group_of_funds_is_not_their_registrant() -> None:
    from distplan.documents.group_label import is_group_label

    assert is_group_label("Designated Funds") and is_group_label("MONEY MARKET FUNDS")
    assert not is_group_label("Hazel Street Funds")  # a proper name: a registrant
    assert not is_group_label("Money Market Trust")  # a trust, whatever its words
    text = _html([["Eligible Portfolios"], ["Hazel Balanced Fund", "0.25%"], ["Hazel Bond Fund", "0.25%"]])
    inst = extract_text(text, "<test>", html=True)
    assert inst.schedule is not None
    assert [(r.fund, r.registrant) for r in inst.schedule.rows] == [
        ("Hazel Balanced Fund", None),
        ("Hazel Bond Fund", None),
    ]


def test_a_plan_with_a_prose_rate_and_a_numbered_fund_list_in_cells() -> None:
    plan = (
        "<p>SERVICE PLAN</p>"
        "<p>1. Quince Insurance Trust (the \u201cTrust\u201d) adopts this Plan for the Class [2] shares"
        " of each series of the Trust listed on Schedule A.</p>"
        "<p>2. The Trust shall pay a fee of up to 20 basis points (0.20%) per annum of the average"
        " daily net assets of the Class [2] shares of each Fund.</p>"
        "<p>SCHEDULE A</p>"
    )
    text = _html(
        [
            ["1.", "Quince Buffer Fund - Mar/Sep"],
            ["2.", "Quince Growth Fund"],  # an item of its own, never the end of the name above
            ["3.", "Quince Buffer Fund - Jun/Dec"],
        ],
        before=plan,
    )
    inst = extract_text(text, "<test>", html=True)
    assert inst.schedule is not None
    got = [(r.fund, r.registrant, r.share_class, r.total_rate) for r in inst.schedule.rows]
    assert got == [
        ("Quince Buffer Fund - Mar/Sep", "Quince Insurance Trust", "2", Decimal("0.20")),
        ("Quince Growth Fund", "Quince Insurance Trust", "2", Decimal("0.20")),
        ("Quince Buffer Fund - Jun/Dec", "Quince Insurance Trust", "2", Decimal("0.20")),
    ]
    assert all(r.flags for r in inst.schedule.rows)  # class and rate read from prose: said


def test_a_one_cell_header_naming_whose_shares_the_column_is_about_gives_the_class() -> None:
    header = "Annual Fee (as a % of the average daily net assets of the Fund attributable to Premier Shares)"
    text = _html([["Name of Fund", header], ["Alder Growth Fund", "0.30%"], ["Birch Income Fund", "0.20%"]])
    assert [cls for _, cls, _ in _rows(text)] == ["Premier", "Premier"]


def _paras(*texts: str) -> str:
    return "<html><body>\n" + "\n".join(f"<p>{t}</p>" for t in texts) + "\n</body></html>\n"


def test_a_plan_for_funds_listed_in_its_title_names_them_and_its_trust() -> None:
    text = _paras(
        "DISTRIBUTION PLAN AND AGREEMENT",
        "On behalf of its series",
        "LARCH GROWTH FUND,",
        "LARCH VALUE FUND AND",  # the list goes on: "AND" is not part of the name
        "LARCH INCOME FUND",
        "PLAN AND AGREEMENT made as of March 2, 2009 by and between Larch Street Trust (the"
        " \u201cTrust\u201d) on behalf of its series and the distributor for the Funds.",
        "WHEREAS, the Trust may divide its shares of beneficial interest into series of Shares"
        " (\u201cSeries\u201d);",
    )
    inst = extract_text(text, "<test>", html=True)
    assert inst.schedule is not None
    assert [(r.fund, r.registrant) for r in inst.schedule.rows] == [
        ("LARCH GROWTH FUND", "Larch Street Trust"),
        ("LARCH VALUE FUND", "Larch Street Trust"),
        ("LARCH INCOME FUND", "Larch Street Trust"),
    ]
    assert inst.effective_date is None  # "made as of": the plan's own date, never the document's


def test_a_plan_as_amended_is_effective_at_its_latest_amendment() -> None:
    text = _paras(
        "LARCH SMALL CAP FUND",
        "LARCH MID CAP FUND",
        "LARCH STREET TRUST",
        "PLAN OF DISTRIBUTION",
        "(Adopted: May 4, 2009)",  # the plan's own date
        "As amended October 8, 2012",
        "WHEREAS, Larch Street Trust, a Delaware statutory trust (the \u201cTrust\u201d), is an"
        " open-end management investment company; and",
        "WHEREAS, the Trust may issue shares divided into series of Shares (\u201cSeries\u201d);",
        "NOW THEREFORE, the Trust adopts this Plan for the Investor Class Shares of the Funds.",
    )
    inst = extract_text(text, "<test>", html=True)
    assert inst.effective_date == date(2012, 10, 8)
    assert inst.schedule is not None
    assert {r.registrant for r in inst.schedule.rows} == {"Larch Street Trust"}  # never "Shares"


def test_an_ordinal_day_effective_date() -> None:
    text = _paras(
        "AMENDMENT NO. 2 TO DISTRIBUTION PLAN",
        "THIS AMENDMENT NO. 2 TO DISTRIBUTION PLAN is effective as of the 21st day of March, 2016, by"
        " LARCH ETF TRUST (the \u201cIssuer\u201d).",
    )
    inst = extract_text(text, "<test>", html=True)
    assert (inst.kind, inst.amendment_number, inst.effective_date) == ("amendment", 2, date(2016, 3, 21))


def test_one_dated_table_per_class_under_captions_naming_the_plan_of_the_class() -> None:
    def table(caption: str, names: list[str], cut: str | None = None) -> str:
        rows = [["Fund", "Effective Date", "Termination Date"]] + [[n, "2/1/15", "1/31/16"] for n in names]
        if cut:
            rows.append([cut, "", ""])  # the file ends inside this name
        cells = "\n".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        return f"<p>EXHIBIT A</p><p>to the</p><p>{caption}</p>\n<table>\n{cells}\n</table>"

    names = ["Rowan Growth Fund", "Rowan Income Builder", "Rowan Bond Fund"]  # a name without "Fund"
    text = (
        "<html><body>\n"
        + table("Plan of Distribution of Class 2 Shares", names)
        + table("Plan of Distribution of Class 4 Shares", names, cut="Rowan Portfolio Series \u2013 Ro")
        + "\n</body></html>\n"
    )
    inst = extract_text(text, "<test>", html=True)
    assert inst.schedule is not None
    got = [(r.fund, r.share_class, r.effective_date) for r in inst.schedule.rows]
    assert got == [(n, c, date(2015, 2, 1)) for c in ("2", "4") for n in names]  # not the termination date


def test_a_bare_list_of_funds_then_a_table_of_class_rates_gives_every_fund_every_class() -> None:
    from distplan.documents.values import find_classes

    assert find_classes("Service Class II") == ["Service Class II"]  # word and numeral: one class
    assert find_classes("the Class II shares") == ["II"]
    text = _html(
        [["Class", "", "Distribution"], ["R", "", "0.25"], ["Advisor Class II", "", "0.30"]],
        before=(
            "<p>Schedule A</p><p>Ohio Municipal Money-Market</p><p>Utah Municipal Money-Market</p>"
            "<p>Schedule B</p>"
        ),
    )
    inst = extract_text(text, "<test>", html=True)
    assert inst.schedule is not None
    got = [(r.fund, r.share_class, r.total_rate) for r in inst.schedule.rows]
    assert got == [
        (fund, cls, Decimal(rate))
        for fund in ("Ohio Municipal Money-Market", "Utah Municipal Money-Market")
        for cls, rate in (("R", "0.25"), ("Advisor Class II", "0.30"))
    ]
    assert all(r.confidence < 0.9 and r.flags for r in inst.schedule.rows)  # names and classes inferred


def test_a_joint_plans_family_heading_a_caption_note_and_a_marked_class_word() -> None:
    lines = [
        "                               SCHEDULE B",
        "                              HAZEL FUNDS",  # a family over a joint plan: no registrant
        "               COMBINED AMENDED AND RESTATED DISTRIBUTION PLAN",
        "                     (AMENDED AS OF MAY 1, 2009)",
        "",
        "<TABLE>",
        "                                                           DISTRIBUTION FEE",
        "                                                        (ANNUAL RATE EXPRESSED AS A",  # no fund
        "                                                        PERCENTAGE OF NET ASSETS)",
        "FUND NAME                       SHARE CLASS",
        "<S>                             <C>                        <C>",
        "Hazel Treasury Money Fund       Premier                    0.10%",
        "                                Q*BROKER                   0.60%",  # a class with a sign in it
        "Hazel Prime Money Fund          Premier                    0.10%",
        "</TABLE>",
    ]
    inst = extract_text("\n".join(lines) + "\n", "<test>", html=False)
    assert inst.schedule is not None
    got = [(r.registrant, r.fund, r.share_class, r.total_rate) for r in inst.schedule.rows]
    assert got == [
        (None, "Hazel Treasury Money Fund", "Premier", Decimal("0.10")),
        (None, "Hazel Treasury Money Fund", "Q*BROKER", Decimal("0.60")),
        (None, "Hazel Prime Money Fund", "Premier", Decimal("0.10")),
    ]


@pytest.mark.parametrize(
    ("behalf", "payment", "expected"),
    [
        (
            "on behalf of the Juniper Value Fund (the \u201cFund\u201d), a series of the Trust",
            "a distribution fee of 0.25% of the average daily net assets of the Fund in connection with the"
            " distribution of Investor Class shares of the Fund, and a distribution fee of 1.00% of the average"
            " daily net assets of the Fund in connection with the distribution of Advisor Class shares",
            [("Juniper Value Fund", "Investor", "0.25"), ("Juniper Value Fund", "Advisor", "1.00")],
        ),
        (
            "on behalf of the Juniper Bond Fund and the Juniper Tax-Free Fund (each, a \u201cFund\u201d)",
            "a 12b-1 distribution fee of 0.20% of the average daily net assets of each Fund",
            [("Juniper Bond Fund", None, "0.20"), ("Juniper Tax-Free Fund", None, "0.20")],
        ),
    ],
)
def test_a_plan_naming_its_funds_and_their_rates_in_prose(
    behalf: str, payment: str, expected: list[tuple[str, str | None, str]]
) -> None:
    text = _paras(
        "Juniper Street Trust",
        "DISTRIBUTION PLAN",
        "(12b-1 Plan)",
        f"The following Plan has been adopted by Juniper Street Trust (the \u201cTrust\u201d) {behalf}.",
        f"The Trust, on behalf of the Funds, will pay the Distributor {payment}.",
    )
    inst = extract_text(text, "<test>", html=True)
    assert inst.schedule is not None
    rows = inst.schedule.rows
    assert [(r.fund, r.share_class, str(r.total_rate)) for r in rows] == expected
    assert {r.registrant for r in rows} == {"Juniper Street Trust"}
    assert all(r.confidence < 0.9 for r in rows)  # read from prose: said on every row


def test_a_plan_adopted_for_a_class_of_a_named_fund_of_a_trust_without_its_rate() -> None:
    text = _paras(
        "JUNIPER SERIES TRUST",
        "RULE 12B-1 PLAN",
        'Pursuant to Rule 12b-1, this 12b-1 Plan (the "Plan") has been adopted for Investor Class shares of'
        ' Juniper Hedged Fund (the "Fund") of Juniper Series Trust (the "Trust") by the Board of Trustees.',
    )
    inst = extract_text(text, "<test>", html=True)
    assert inst.schedule is not None
    row = inst.schedule.rows[0]
    assert (row.registrant, row.fund, row.share_class, row.total_rate) == (
        "Juniper Series Trust",  # the trust, not the fund defined before it
        "Juniper Hedged Fund",
        "Investor",
        None,
    )
    assert "no rate stated" in row.flags and row.confidence < 0.9


def test_a_former_name_in_capitals_is_left_out_as_in_lower_case() -> None:
    # The guards before the case-insensitive patterns must not be case-sensitive themselves.
    from distplan.documents.names import clean_name
    from distplan.documents.values import find_classes

    assert clean_name("BOND FUND (FORMERLY INCOME FUND)") == "BOND FUND"
    assert clean_name("Bond Fund (PREVIOUSLY Income Fund)") == "Bond Fund"
    assert find_classes("Class A (FORMERLY Class X)") == find_classes("Class A (formerly Class X)")
