"""A numbered list of funds whose numbers sit in cells of their own ("1." | "Larch Buffer Fund -
Jan/Jul"): the number is the item's place in the list, not a rate of 1%, and the name after it
begins a row (marked "item": never the wrapped end of the name above)."""

from __future__ import annotations

import re

from distplan.documents.cells import Tok

_ITEM_NO = re.compile(r"^\(?\d{1,3}[.)]$")  # "1.", "12)", "(3)"; a bare "1" may be a rate


def drop_list_numbers(toks: list[Tok]) -> list[Tok]:
    numbers: set[int] = set()
    for i in range(len(toks) - 1):
        t, nxt = toks[i], toks[i + 1]
        if (
            t.first
            and t.kind in ("rate", "other")
            and _ITEM_NO.match(t.text.strip())
            and nxt.row == t.row
            and nxt.kind in ("fund", "name", "registrant")
        ):
            numbers.add(i)
            nxt.first, nxt.fields = True, ("item",)
    return [t for i, t in enumerate(toks) if i not in numbers] if numbers else toks
