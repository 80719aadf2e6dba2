"""The cells of a schedule row: a fund name starts a row (or continues a wrapped one), a class
starts a sub-row or names the row's class, values fill the columns the header named in order."""

from __future__ import annotations

from distplan.documents import values as V
from distplan.documents.cells import Tok
from distplan.documents.lookahead import (
    CLASS_WORD,
    LISTED,
    MARKED_CLASS_WORD,
    NAME_END,
    VALUE_KINDS,
    listed_item,
    new_list_item,
    next_index,
    next_meaningful,
    wrapped_before_values,
)
from distplan.documents.names import FUND_CLASS_SUFFIX, is_caps, words
from distplan.documents.row_state import DraftRow, Reader
from distplan.model import Diagnostic


def read_cell(r: Reader, toks: list[Tok], i: int, t: Tok) -> None:
    nxt = next_meaningful(toks, i)
    row = r.row
    if (
        t.kind == "name"
        and r.class_col
        and row is not None
        and CLASS_WORD.match(t.text)
        and (not row.has_values() or (nxt is not None and nxt.kind in VALUE_KINDS))
    ):
        t.kind, t.classes = "class", (V.normalize_class(t.text.rstrip(".*")),)
    elif (
        t.kind == "name"
        and r.class_col
        and row is not None
        and row.has_values()
        and t.first
        and MARKED_CLASS_WORD.match(t.text)
        and nxt is not None
        and nxt.row == t.row
        and nxt.kind in ("rate", "none")
    ):
        t.kind, t.classes = "class", (t.text,)  # "E*TRADE | 0.60%": another class of the fund above
    if t.kind == "code" and _code(r, t):
        return
    if _matrix_header(r, t, nxt):
        return
    r.end_zone()
    if t.kind in ("fund", "name"):
        _name(r, toks, i, t, nxt)
    elif t.kind == "class":
        _class(r, t, nxt)
    elif t.kind in VALUE_KINDS and r.row is not None:
        _value(r, r.row, t)
    r.last_kind = t.kind


def _code(r: Reader, t: Tok) -> bool:
    """A bare "A", "R2": a class, or a fund x class matrix cell marked with its own class (the
    fund offers that class). True when the cell is done with."""
    row = r.row
    if r.zone is not None and "class" in r.zone:
        t.kind = "class"  # a class column header of a fund x class matrix ("A", "B", ...)
    elif row is not None and f"class:{t.classes[0]}" in r.columns[row.filled : row.filled + 1]:
        row.covered.append(t.classes[0])
        row.filled += 1
        row.last = t.line
        r.last_kind = "rate"
        return True
    elif row is not None and (r.class_col or r.last_kind == "class" or not row.has_values()):
        t.kind = "class"
    else:
        r.last_kind = t.kind
        return True
    return False


def _matrix_header(r: Reader, t: Tok, nxt: Tok | None) -> bool:
    """Classes side by side are the column headers of a fund x class matrix."""
    if t.kind != "class":
        return False
    row = r.row
    if (
        r.zone is None
        and nxt is not None
        and nxt.kind == "class"
        and (row is None or row.has_values())
        and len(t.classes) == 1
        and r.last_kind != "class"
    ):
        r.close()
        r.zone = []
    if r.zone is not None and not any(f in ("distribution", "service", "aggregate", "fee") for f in r.zone):
        for c in t.classes:
            r.zone.append(f"class:{c}")
        r.last_kind = "header"
        return True
    return False


def _fund_position(r: Reader, toks: list[Tok], i: int, t: Tok, nxt: Tok | None) -> bool:
    """Does this name start a row? By its place: under a header, before values or classes, in a list."""
    if r.reg_then_fund and i > 0 and toks[i - 1].row == t.row and toks[i - 1].kind == "registrant":
        return True  # the fund cell after its trust's on one line
    if not t.first:
        return False
    row, last = r.row, r.last_kind
    if t.kind == "fund":
        follows_value = nxt is not None and nxt.kind in (*VALUE_KINDS, "class")
        return (
            r.header_seen
            or r.registrant is not None
            or follows_value
            or last in ("fund", "heading", "group rate")
            or (nxt is not None and nxt.kind == "fund")
        )
    n_words = len(words(t.text))
    return (
        (last == "fund" and row is not None and not row.has_values() and n_words >= 3 and not is_caps(t.text))
        or (r.header_seen and r.has_fund_col and n_words >= 2)
        or (
            nxt is not None
            and nxt.kind == "class"
            and n_words >= 2
            and (
                last in ("class", "rate", "none", "date", "fund") or (last == "prose" and not is_caps(t.text))
            )
        )
        or wrapped_before_values(toks, i)
        or (r.header_seen and nxt is not None and nxt.kind in VALUE_KINDS)
    )


def _name(r: Reader, toks: list[Tok], i: int, t: Tok, nxt: Tok | None) -> None:
    row = r.row
    if t.kind == "name" and t.text.startswith("(") and ")" not in t.text:
        return  # "(ANNUAL RATE EXPRESSED AS A": a caption's note broken over lines, never a fund
    if r.reg_then_fund and t.first:
        j = next_index(toks, i)
        if j is not None and toks[j].row == t.row and toks[j].kind in ("fund", "name"):
            r.close()  # "Pioneer Bond Fund | Pioneer Bond Fund": the trust, then its fund
            r.registrant, t.kind = t.text, "registrant"
            return
    if (
        row is not None
        and not row.has_values()
        and not row.class_fees
        and t.row == toks[i - 1].row + 1
        and toks[i - 1].kind in ("fund", "name")
        and len(row.fund) < 120  # a wrapped name spans a line or two, never a page
        and not NAME_END.search(row.fund[-12:])
        and len(words(t.text)) <= 4
        and "item" not in t.fields  # a numbered list item begins a row of its own
        and not (LISTED in row.flags and new_list_item(row.fund, t.text))
    ):
        # A fund name wrapped onto the next line ("Zeta International Equity" / "Fund").
        row.fund, row.last = f"{row.fund} {t.text}", t.line
        return
    listing = row is not None and LISTED in row.flags and not row.has_values()
    if t.kind == "name" and listed_item(toks, i, r.last_kind, listing):
        r.close()
        r.row = DraftRow(t.text, r.registrant, None, t.line, t.line, section_class=r.section_class)
        r.row.flags.append(LISTED)  # a guess by its place: said on the row
        t.kind = "fund"
        return
    if _fund_position(r, toks, i, t, nxt):
        r.close()
        name, cls = t.text, None
        m = FUND_CLASS_SUFFIX.search(name)
        if m and m.start() > 0:
            found = V.find_classes(m.group(1))
            if found:
                name, cls = name[: m.start()].strip(), found[0]
        r.row = DraftRow(name, r.registrant, cls, t.line, t.line, section_class=r.section_class)
        t.kind = "fund"


def _class(r: Reader, t: Tok, nxt: Tok | None) -> None:
    row, cls = r.row, t.classes[0]
    for c in t.classes:
        r.out.saw_class(c)
    if row is not None and row.share_class is None and not row.has_values():
        row.share_class, row.last = cls, t.line
        row.more_classes = list(t.classes[1:])
    elif row is not None and (
        (nxt is not None and nxt.kind in VALUE_KINDS) or (r.last_kind == "class" and not row.has_values())
    ):
        # Another class of the same fund: a sub-row ("Class A" / "Class B" under one fund).
        fund, reg, level = row.fund, row.registrant, row.class_level
        r.close()
        r.row = DraftRow(fund, reg, cls, t.line, t.line, more_classes=list(t.classes[1:]), class_level=level)
    elif row is None and nxt is not None and nxt.kind in ("rate", "none") and len(t.classes) == 1:
        # "Class A | NONE | 0.25% | 0.25%" above a bare fund list: rates for the whole class.
        r.row = DraftRow("", None, cls, t.line, t.line, class_level=True)
    else:
        r.close()
        r.section_class = cls


def _value(r: Reader, row: DraftRow, t: Tok) -> None:
    columns = r.columns
    column = columns[row.filled] if row.filled < len(columns) else None
    if column is None and not columns and t.kind in ("rate", "none"):
        column = "aggregate"
    if column in ("distribution", "service", "aggregate") and t.kind in ("rate", "none"):
        if t.rate is not None and column not in row.fees:
            row.fees[column] = t.rate
        elif t.kind == "rate" and t.rate is None and "cell unparsed" not in row.flags:
            row.flags.append("cell unparsed")
        for c in t.classes:
            if row.share_class is None:
                row.share_class = c
            r.out.saw_class(c)
    elif column is not None and column.startswith("class:") and t.kind in ("rate", "none"):
        if t.rate is not None:
            row.class_fees[column[6:]] = t.rate
        r.out.saw_class(column[6:])
    elif column == "effective_date" and t.kind == "date":
        row.effective = t.day
    elif column is None:
        r.out.diagnostics.append(
            Diagnostic("warning", f"value {t.text!r} beyond the table's columns", t.line)
        )
    row.filled += 1
    row.last = t.line
