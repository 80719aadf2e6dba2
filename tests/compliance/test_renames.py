"""Which fund-class a fact's fund name means around a rename (compliance/renames.py): one
identity with its history's periods, renamed from A to B on 2004-07-01 by Amendment No. 5."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from distplan.compliance.inputs import CheckInput, InstrumentRecord
from distplan.compliance.renames import follow_renames, names
from distplan.model import CoveragePeriod, Instrument, Operation, Source

OLD, NEW, OTHER = "Alpha Fund", "Beta Fund", "Gamma Fund"
RENAME_DAY = date(2004, 7, 1)


def _period(fund: str, start: date, end: date | None) -> CoveragePeriod:
    z, s = Decimal("0"), Decimal("0.25")
    return CoveragePeriod("plan", None, fund, "Investor", start, end, z, s, s, "an instrument")


TRACKED = [
    (("alpha", "investor", 0), _period(OLD, date(2003, 11, 3), RENAME_DAY)),
    (("alpha", "investor", 0), _period(NEW, RENAME_DAY, None)),
    (("gamma", "investor", 0), _period(OTHER, date(2003, 11, 3), None)),
]
AMENDMENT_5 = InstrumentRecord(
    Instrument(
        Source("a5.json", "0" * 64),
        "amendment",
        "Amendment No. 5",
        amendment_number=5,
        effective_date=RENAME_DAY,
        operations=(Operation("rename_fund", target=OLD, new_name=NEW),),
    ),
    seq=4,
)
BOOK = names(TRACKED, [AMENDMENT_5])


def test_the_old_name_means_the_fund_before_and_after_the_rename() -> None:
    assert BOOK.resolve(OLD, "Investor", date(2004, 1, 1), None, None) == OLD
    assert BOOK.resolve("ALPHA FUND", "Investor Class", date(2005, 1, 1), None, None) == OLD


def test_the_new_name_means_the_fund_from_the_rename() -> None:
    assert BOOK.resolve(NEW, "Investor", RENAME_DAY, None, None) == OLD
    assert BOOK.resolve(NEW, "Investor", date(2006, 1, 1), None, None) == OLD


def test_the_new_name_before_the_rename_only_when_the_fact_names_the_renaming_instrument() -> None:
    early = date(2004, 6, 9)
    assert BOOK.resolve(NEW, "Investor", early, None, None) == NEW  # acts for no fund-class
    assert BOOK.resolve(NEW, "Investor", early, 4, None) == NEW  # another amendment
    assert BOOK.resolve(NEW, "Investor", early, 5, None) == OLD
    assert BOOK.resolve(NEW, "Investor", early, None, RENAME_DAY) == OLD


def test_names_nobody_renamed_are_left_alone() -> None:
    assert BOOK.resolve(OTHER, "Investor", date(2004, 1, 1), None, None) == OTHER
    assert BOOK.resolve("Unknown Fund", "Investor", date(2004, 1, 1), None, None) == "Unknown Fund"


def test_the_check_input_names_the_renamed_fund_once() -> None:
    inp = CheckInput("plan", date(2005, 1, 1), (AMENDMENT_5,), tuple(p for _, p in TRACKED))
    followed = follow_renames(inp, TRACKED)
    assert [p.fund for p in followed.rates] == [OLD, OLD, OTHER]
    assert len(followed.periods_by_class()) == 2
    untouched = [t for t in TRACKED if t[1].fund != NEW]
    plain = CheckInput("plan", date(2005, 1, 1), (), tuple(p for _, p in untouched))
    assert follow_renames(plain, untouched) is plain
