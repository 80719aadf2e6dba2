"""The Form N-1A Item 19(g)(1) categories of Rule 12b-1 spending."""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum

from distplan.errors import InputError
from distplan.model.names import suggest


class N1ACategory(StrEnum):
    """The Form N-1A Item 19(g)(1) categories of Rule 12b-1 spending, in the form's order: the one
    enumeration for expense files, governance reports and the rulebook. The value is the one
    spelling distplan writes; `parse` also reads the spellings listed in `_ALIASES` and any
    variant in case, spacing, hyphens, "&"/"and" and a leading "compensation to"."""

    ADVERTISING = "advertising"
    PRINTING_AND_MAILING = "printing_and_mailing"  # of prospectuses to other than current shareholders
    UNDERWRITERS = "underwriters"  # compensation to underwriters
    BROKER_DEALERS = "broker_dealers"  # compensation to broker-dealers
    SALES_PERSONNEL = "sales_personnel"  # compensation to sales personnel
    FINANCING = "financing"  # interest, carrying or other financing charges
    OTHER = "other"  # other (specify)

    @classmethod
    def parse(cls, text: object) -> N1ACategory:
        """The category a spelling names; InputError (with a suggestion) for anything else."""
        found = _CATEGORY_SPELLINGS.get(_category_form(str(text)))
        if found is not None:
            return found
        listed = ", ".join(c.value for c in cls)
        hint = suggest(str(text), [*(c.value for c in cls), *_ALIASES])
        hint = f" (did you mean {_ALIASES.get(hint, hint)!r}?)" if hint else ""
        raise InputError(f"{text!r} is not a Form N-1A Item 19(g) category{hint}; expected one of {listed}")


_ALIASES: dict[str, str] = {
    "printing_mailing": "printing_and_mailing",  # the expenses CSV's spelling before 2026-12
    "printing": "printing_and_mailing",
    "mailing": "printing_and_mailing",
    "dealers": "broker_dealers",
    "brokers": "broker_dealers",
    "sales_staff": "sales_personnel",
    "interest": "financing",
    "interest_carrying_or_other_financing_charges": "financing",
    "financing_charges": "financing",
}
_FILLER = {"and", "compensation", "to", "of", "the"}


def _category_form(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", unicodedata.normalize("NFKC", text).casefold())
    return "_".join(w for w in words if w not in _FILLER)


_CATEGORY_SPELLINGS: dict[str, N1ACategory] = {
    **{_category_form(alias): N1ACategory(value) for alias, value in _ALIASES.items()},
    **{_category_form(c.value): c for c in N1ACategory},
}
