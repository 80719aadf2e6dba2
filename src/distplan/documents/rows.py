"""Schedule rows rebuilt from the stream of classified cells, whatever the layout: a fund starts a
row, a class starts a sub-row, values fill the columns the header named in order.

This module reads the table's structure (headings, column headers, registrants, rename tables,
prose between tables); `row_cells` reads the cells of a row (names, classes, values)."""

from __future__ import annotations

from distplan.documents import values as V
from distplan.documents.cells import Tok
from distplan.documents.context import prose_rate
from distplan.documents.lookahead import (
    NAME_END,
    WRAP_WORDS,
    class_word_header,
    family_over_joint_plan,
    next_meaningful,
    quote_end,
    section_label,
)
from distplan.documents.names import HEADING, QUOTES, clean_name, is_caps
from distplan.documents.prose import RATE_PROSE, prose_rates
from distplan.documents.row_cells import read_cell
from distplan.documents.row_state import Parse, Reader, rateless_tail
from distplan.model import Diagnostic


def parse_schedule(toks: list[Tok], default_registrant: str | None) -> Parse:
    r = Reader()
    out = r.out
    closing = quote_end(toks)
    for i, t in enumerate(toks):
        if closing is not None and i == closing + 1:
            r.end_table()  # the quoted schedule ended with the cell before
            r.active = r.header_seen = False
        if not _structure(r, toks, i, t, default_registrant):
            read_cell(r, toks, i, t)

    if r.active and (r.zone is not None or (r.row is not None and 0 < r.row.filled < len(r.columns))):
        out.truncated = True
    if r.active and r.registrant is not None and r.reg_line > (out.last_line or -1) and r.row is None:
        out.truncated = True
    r.close()
    if out.rows:
        out.first_line = out.rows[0].first
    if r.aliases:  # a class named by its former name too is one class
        out.prose_classes = list(dict.fromkeys(r.aliases.get(c, c) for c in out.prose_classes))
    if default_registrant:
        for row in out.rows:
            if row.registrant is None:
                row.registrant = default_registrant
    return out


def _structure(r: Reader, toks: list[Tok], i: int, t: Tok, default_registrant: str | None) -> bool:
    """Read a cell that shapes the table (heading, header, registrant, prose, stop); False when the
    cell is one of a row's, left to `read_cell`. May re-classify the cell on its way."""
    out = r.out
    if t.kind in ("heading", "prose", "stop"):
        r.renaming = None  # a rename table ends where the text or a schedule goes on
    if t.kind == "heading":
        r.end_table()
        r.active, r.header_seen, r.has_fund_col, r.columns = True, False, False, []
        r.registrant, r.section_class = None, (t.classes[0] if t.classes else None)
        if out.label is None:
            m = HEADING.match(t.text.strip(QUOTES + " "))
            if m:
                out.label = f"{m.group(1).title()} {m.group(2).upper()}"
                out.label_line = t.line
        r.last_kind = t.kind
        return True
    if t.kind == "prose":
        out.prose_rates.extend(prose_rates(t))
        if "ormerly" in t.text:
            r.aliases.update(V.former_classes(t.text))
        for c in t.classes:
            if c not in out.prose_classes:
                out.prose_classes.append(c)
    if not r.active:
        if t.kind == "class" and t.first:
            for c in t.classes:  # a class line above the schedule ("TRUST CLASS"): its scope
                out.saw_class(c)
        nxt = next_meaningful(toks, i)
        if t.kind == "header" and any(f != "other" for f in t.fields):
            r.active = True
        elif t.kind == "fund" and t.first and nxt is not None and nxt.kind == "fund":
            r.active = True  # a bare list of funds is a schedule
        else:
            return True
    if t.kind == "stop":
        r.end_table()
        r.active = r.header_seen = False
        r.last_kind = t.kind
        return True
    if _group_rate(r, t):
        return True
    if t.kind == "prose":
        r.end_table()
        r.header_seen = False
        r.last_kind = t.kind
        return True
    row = r.row
    if (
        class_word_header(t, r.class_col and r.zone is None)
        and row
        and row.share_class is None
        and not row.has_values()
    ):
        t.kind, t.classes = "class", (V.normalize_class(t.text.rstrip(".*")),)  # "Service" class
    if t.kind == "header" and "renamed" in t.fields:
        r.close()
        r.zone, r.renaming = None, []
        r.last_kind = t.kind
        return True
    if r.renaming is not None:
        if t.kind in ("fund", "name", "registrant") and t.first:
            r.renaming.append((clean_name(t.text), t.line))
            if len(r.renaming) == 2:
                (old, line), (new, _) = r.renaming
                out.renames.append((old, new, line))
                r.renaming = []
            return True
        if t.kind in ("heading", "prose", "stop", "header"):
            r.renaming = None
    if (
        t.kind == "header"
        and row is not None
        and not row.has_values()
        and t.text in WRAP_WORDS
        and not NAME_END.search(row.fund[-12:])
    ):
        row.fund, row.last = f"{row.fund} {t.text}", t.line  # a name wrapped into the next cell
        r.last_kind = "fund"
        return True
    if t.kind == "header":
        r.close()
        if r.zone is None:
            r.zone = []
        r.zone.extend(t.fields)
        if t.registrant:
            r.registrant, r.reg_line = t.registrant, t.line
        for c in t.classes:
            r.section_class = c
            out.saw_class(c)
        r.last_kind = t.kind
        return True
    return _registrant(r, toks, i, t, default_registrant)


def _group_rate(r: Reader, t: Tok) -> bool:
    """ "Up to 0.25% of the average daily net assets" after a group of funds that state no rate: the
    group's rate (a later line may give the next group another). A fund with a rate cell of its own
    (the rows before it have rates) is not a group."""
    row = r.row
    if not (
        t.kind in ("prose", "rate")
        and len(t.text) > 20
        and RATE_PROSE.search(t.text)
        and (row is None or row.has_values() or t.kind == "prose" or rateless_tail(r.out.rows))
    ):
        return False
    r.close()
    stated = prose_rate(prose_rates(t))
    group = rateless_tail(r.out.rows)
    if stated is None or not group:
        return False
    for draft in group:
        draft.fees["aggregate"] = stated.value
        draft.flags.append("rate from prose")
    r.last_kind = "group rate"  # the next fund starts another group
    return True


def _registrant(r: Reader, toks: list[Tok], i: int, t: Tok, default_registrant: str | None) -> bool:
    """A trust or company heading the funds that follow, or a group label that is neither."""
    nxt = next_meaningful(toks, i)
    if t.kind == "registrant" and nxt is not None and nxt.kind == "header" and "registrant" in nxt.fields:
        # "Equity Funds" | "Trust": the caption of the fund column, the trust column beside it.
        r.close()
        r.zone = [*(r.zone or []), "fund"]
        r.last_kind = "header"
        return True
    row = r.row
    if (
        t.kind == "registrant"
        and r.fund_then_reg
        and row is not None
        and not row.has_values()
        and r.last_kind == "fund"
    ):
        row.registrant, row.last = t.text, t.line  # the row's cell in the trust column
        r.last_kind = t.kind
        return True
    in_class_table = r.class_col or (r.zone is not None and "class" in r.zone)
    if t.kind == "registrant" and in_class_table and nxt is not None and nxt.kind in ("class", "code"):
        t.kind = "fund"  # a single-series company with its own classes: its own registrant
        r.registrant = t.text
    if (
        t.kind == "fund"
        and nxt is not None
        and nxt.kind == "header"
        and nxt.fields
        and not class_word_header(nxt, r.class_col and r.zone is None)
    ):
        # A name right above a column header ("Portfolio | Share Class | Fee") heads the table: the
        # trust whose funds follow ("AIM Funds Group"), not a fund of the previous one.
        t.kind = "registrant"
    if t.kind == "registrant" and family_over_joint_plan(toks, i):
        r.close()
        r.last_kind = "heading"
        why = f"{t.text!r} heads a joint plan of several trusts: a family's name, not the registrant"
        r.out.diagnostics.append(Diagnostic("info", why, t.line))
        return True
    if t.kind == "registrant" and section_label(t.text, default_registrant):
        r.close()  # "ACTIVELY MANAGED FUNDS" under "DIREXION SHARES ETF TRUST": a group, not a trust
        r.last_kind = "heading"
        return True
    if (
        t.kind == "fund"
        and is_caps(t.text)
        and nxt is not None
        and nxt.kind in ("fund", "name")
        and not is_caps(nxt.text)
        and r.last_kind != "fund"
    ):
        r.close()  # "SUBADVISED FUND" above mixed-case fund names: a group label
        r.last_kind = "heading"
        return True
    if t.kind == "registrant":
        r.close()
        if t.text.startswith("(") and r.registrant and r.last_kind in ("header", "registrant", "pct"):
            r.registrant = f"{r.registrant} {t.text}"
        elif r.zone is not None or not r.header_seen or r.has_fund_col or r.last_kind != "fund":
            r.registrant, r.reg_line = t.text, t.line
        for c in t.classes:
            r.section_class = c
        r.last_kind = t.kind
        return True
    return False
