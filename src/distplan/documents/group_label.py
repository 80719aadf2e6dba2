"""A heading that names a group of funds ("Designated Funds", "MONEY MARKET FUNDS", "Equity
Portfolios") reads like a registrant by its plural suffix, but names no trust or company: every
word of it is a common word of fund categories, none a proper name."""

from __future__ import annotations

import re

from distplan.documents.names import words

_GROUP_SUFFIX = re.compile(r"\b(funds|portfolios|series|etfs)\W*$", re.I)
_COMMON_WORDS = """
    the all our other additional new existing current following listed designated participating
    covered eligible applicable underlying affiliated non-affiliated selected certain such
    money market equity equities fixed income bond bonds debt stock stocks index indexed
    international global world domestic foreign emerging municipal tax-free tax-exempt taxable
    tax-advantaged allocation asset target date retirement lifecycle variable insurance
    actively passively managed sector specialty strategic alternative alternatives balanced
    hybrid growth value core government treasury short-term long-term intermediate short long
    term high yield small mid large cap micro multi-cap blend quantitative dividend real estate
    commodity commodities currency leveraged inverse exchange-traded traded open-end closed-end
    and of or for in
    funds portfolios series etfs
"""
_COMMON = frozenset(_COMMON_WORDS.split())


def is_group_label(text: str) -> bool:
    if not _GROUP_SUFFIX.search(text):
        return False
    found = [w.lower() for w in words(text)]
    return bool(found) and all(w in _COMMON for w in found)
