"""Schedule rows rebuilt from the stream of classified cells, whatever the layout: a fund starts a
row, a class starts a sub-row, values fill the columns the header named in order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from distplan.documents import values as V
from distplan.documents.cells import Tok
from distplan.documents.context import ClassScope, ProseRate, prose_rate
from distplan.documents.names import (
    CORP_SUFFIX,
    FUND_CLASS_SUFFIX,
    HEADING,
    QUOTES,
    clean_name,
    is_caps,
    words,
)
from distplan.model import Diagnostic, ScheduleRow


@dataclass
class _Row:
    fund: str
    registrant: str | None
    share_class: str | None
    first: int
    last: int
    fees: dict[str, Decimal] = field(default_factory=dict)
    effective: date | None = None
    filled: int = 0  # value columns consumed
    section_class: str | None = None  # the class heading the row sits under
    class_fees: dict[str, Decimal] = field(default_factory=dict)  # fund x class matrix cells
    flags: list[str] = field(default_factory=list)
    more_classes: list[str] = field(default_factory=list)  # "A, C, F": one row per listed class
    covered: list[str] = field(default_factory=list)  # class matrix cells marked with the class
    class_level: bool = False  # a row of class rates, no fund: inherited by the class's funds

    def has_values(self) -> bool:
        return self.filled > 0

    def to_row(self, scope: ClassScope) -> ScheduleRow:
        """The schedule row, its class inherited from the heading it sits under or the document's scope."""
        flags: list[str] = list(self.flags)
        share_class = self.share_class or self.section_class
        if share_class is None and scope.share_class is not None:
            share_class = scope.share_class
            if scope.source == "prose":
                flags.append("class inferred from prose")
        return ScheduleRow(
            fund=self.fund,
            registrant=self.registrant,
            share_class=share_class,
            distribution_fee=self.fees.get("distribution"),
            service_fee=self.fees.get("service"),
            aggregate_fee=self.fees.get("aggregate"),
            effective_date=self.effective,
            lines=(self.first, self.last),
            flags=tuple(flags),
        )


@dataclass
class Parse:
    rows: list[_Row] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    label: str | None = None
    label_line: int | None = None
    first_line: int | None = None
    last_line: int | None = None
    classes_seen: list[str] = field(default_factory=list)  # named in the schedule's cells
    prose_classes: list[str] = field(default_factory=list)  # named in its prose
    prose_rates: list[ProseRate] = field(default_factory=list)
    class_rates: dict[str, dict[str, Decimal]] = field(default_factory=dict)  # rates given per class
    class_rate_lines: dict[str, int] = field(default_factory=dict)
    renames: list[tuple[str, str, int]] = field(default_factory=list)  # (old name, new name, line)
    truncated: bool = False


_VALUE_KINDS = ("rate", "none", "date")
_NAME_END = re.compile(r"\b(fund|portfolio|etf|trust|shares)\s*$", re.I)
_RATE_PROSE = re.compile(r"annum|annual|average daily net assets", re.I)
_CURRENT = re.compile(r"\b(current(ly)?|authorized)\b", re.I)
_CLAUSE = re.compile(r"[,;]\s+")
_SENTENCE_END = re.compile(r"(?<=[a-z%)])\.\s+(?=[A-Z])")


_STRONG = re.compile(r"\b(trust|inc|incorporated|corp|corporation|company|llc|ltd)\b\.?", re.I)


def _section_label(text: str, document_registrant: str | None) -> bool:
    """A heading that reads like a registrant only by a generic plural ("... FUNDS") while the
    document already names a trust or company of another name: a group of funds, not a registrant."""
    if document_registrant is None or _STRONG.search(text) or not _STRONG.search(document_registrant):
        return False
    first = words(text)[:1]
    return bool(CORP_SUFFIX.search(text)) and first != words(document_registrant)[:1]


def apply_class_rates(rows: list[ScheduleRow], parsed: Parse) -> list[ScheduleRow]:
    """Rows that state no fee take the rates their class was given once (a class table above a
    bare fund list); with one class table, rows of no stated class take it too."""
    if not parsed.class_rates:
        return rows
    only = next(iter(parsed.class_rates)) if len(parsed.class_rates) == 1 else None
    out = []
    for row in rows:
        cls = row.share_class or only
        fees = parsed.class_rates.get(cls) if cls else None
        if fees is None or row.total_rate is not None:
            out.append(row)
            continue
        out.append(
            replace(
                row,
                share_class=cls,
                distribution_fee=fees.get("distribution"),
                service_fee=fees.get("service"),
                aggregate_fee=fees.get("aggregate"),
            )
        )
    return out


def _rateless_tail(rows: list[_Row]) -> list[_Row]:
    """The rows at the end of the list that state no rate and were given none from prose."""
    group: list[_Row] = []
    for r in reversed(rows):
        if r.fees or r.class_fees or "rate from prose" in r.flags:
            break
        group.append(r)
    return group


def prose_rates(t: Tok) -> list[ProseRate]:
    """Rates a prose cell states for the schedule's funds, sentence by sentence; a rate in a
    sentence about the "current" authorized level is marked (the plan maximum is what counts)."""
    found: list[ProseRate] = []
    for sentence in _SENTENCE_END.split(t.text):
        if not _RATE_PROSE.search(sentence):
            continue
        for clause in _CLAUSE.split(sentence):  # "Up to 1.00% ... approved, 0.25% authorized."
            for m in V.RATE_IN_TEXT.finditer(clause):
                value = V.rate_value(m.group(1))
                if value is not None:
                    found.append(ProseRate(value, t.line, bool(_CURRENT.search(clause))))
    return found


_WRAP_WORDS = ("Fund", "Portfolio", "Series", "Trust", "ETF")
_CLASS_WORD = re.compile(r"^[A-Z][a-z]{2,13}\.?\*?$")  # "Institutional", "Investor" in a class column


def _next_index(toks: list[Tok], i: int) -> int | None:
    for j in range(i + 1, len(toks)):  # by index: a slice would copy the rest (quadratic)
        t = toks[j]
        if t.kind != "pct" and t.text:
            return j
    return None


def _next_meaningful(toks: list[Tok], i: int) -> Tok | None:
    j = _next_index(toks, i)
    return None if j is None else toks[j]


def _wrapped_before_values(toks: list[Tok], i: int) -> bool:
    """ "Zeta Emerging Markets Equity" / "Fund" / "0.25%": a name whose last word went into a cell of
    its own (read as a column header) right before the row's values."""
    j = _next_index(toks, i)
    if j is None or toks[j].kind != "header" or toks[j].text not in _WRAP_WORDS:
        return False
    after = _next_meaningful(toks, j)
    return after is not None and after.kind in ("rate", "none") and len(words(toks[i].text)) >= 2


def _class_word_header(t: Tok, in_class_column: bool) -> bool:
    """ "Service" under a fund in a Classes column: a class named by one word that also names a fee
    column. A word naming the fund or trust column ("Portfolio") starts a new table instead."""
    return (
        in_class_column
        and t.kind == "header"
        and bool(_CLASS_WORD.match(t.text))
        and not {"fund", "registrant", "class", "renamed"} & set(t.fields)
    )


def _quote_end(toks: list[Tok]) -> int | None:
    """The index of the cell that closes a schedule quoted whole ("“SCHEDULE A ... Fund”"), as an
    amendment replacing a schedule quotes it: what follows (a file name, a footer) is not its."""
    opened = False
    for i, t in enumerate(toks):
        if t.kind == "heading" and t.text.startswith(("“", '"')):
            opened = True
        elif opened and t.closes_quote:
            return i
    return None


def parse_schedule(toks: list[Tok], default_registrant: str | None) -> Parse:
    out = Parse()
    quote_end = _quote_end(toks)
    aliases: dict[str, str] = {}  # a class's former name -> its name
    active = False
    registrant: str | None = None
    reg_line = -1
    section_class: str | None = None
    columns: list[str] = []
    zone: list[str] | None = None  # header fields being gathered
    has_fund_col = False
    class_col = False  # the header named a class column ("Classes", "Share Class")
    renaming: list[tuple[str, int]] | None = None  # inside an old name / new name table
    header_seen = False
    row: _Row | None = None
    last_kind = ""

    def close() -> None:
        nonlocal row
        if row is not None and row.class_level:
            if row.fees and row.share_class:
                out.class_rates[row.share_class] = dict(row.fees)
                out.class_rate_lines[row.share_class] = row.first
            row = None
            return
        if row is not None and row.covered:
            # A coverage matrix: the classes marked are covered; a dash means "not offered".
            for cls in row.covered:
                out.rows.append(_Row(row.fund, row.registrant, cls, row.first, row.last, dict(row.fees)))
            out.last_line = row.last
        elif row is not None and row.class_fees:
            for cls, value in row.class_fees.items():
                out.rows.append(
                    _Row(
                        row.fund,
                        row.registrant,
                        cls,
                        row.first,
                        row.last,
                        {"aggregate": value},
                        row.effective,
                    )
                )
            out.last_line = row.last
        elif row is not None:
            row.share_class = row.share_class or row.section_class
            out.rows.append(row)
            for cls in row.more_classes:
                out.rows.append(
                    _Row(row.fund, row.registrant, cls, row.first, row.last, dict(row.fees), row.effective)
                )
            out.last_line = row.last
        row = None

    def end_zone() -> None:
        nonlocal zone, columns, header_seen, has_fund_col, class_col
        if zone is not None:
            class_cols = [f for f in zone if f.startswith("class:")]
            specific = [
                f for f in zone if f in ("distribution", "service", "aggregate", "effective_date", "other")
            ]
            if class_cols:
                # A fund x class matrix: one rate per class column (its fee type is the aggregate).
                specific = class_cols + [f for f in specific if f in ("effective_date", "other")]
            if "fee" in zone and not any(f in ("distribution", "service", "aggregate") for f in specific):
                specific = [
                    ("aggregate" if f == "fee" else f)
                    for f in zone
                    if f in ("fee", "effective_date", "other")
                ]
            dedup: list[str] = []
            for f in specific:
                if f not in dedup:
                    dedup.append(f)
            if dedup or "fund" in zone:
                columns = dedup
            if zone:
                class_col = "class" in zone
                has_fund_col = "fund" in zone or "registrant" in zone or bool(columns)
                header_seen = True
            zone = None

    for i, t in enumerate(toks):
        if quote_end is not None and i == quote_end + 1:
            close()  # the quoted schedule ended with the cell before
            end_zone()
            active = header_seen = False
        if t.kind == "heading":
            close()
            end_zone()
            active, header_seen, has_fund_col, columns = True, False, False, []
            registrant, section_class = None, (t.classes[0] if t.classes else None)
            if out.label is None:
                m = HEADING.match(t.text.strip(QUOTES + " "))
                if m:
                    out.label = f"{m.group(1).title()} {m.group(2).upper()}"
                    out.label_line = t.line
            last_kind = t.kind
            continue
        if t.kind == "prose":
            out.prose_rates.extend(prose_rates(t))
            if "ormerly" in t.text:
                aliases.update(V.former_classes(t.text))
            for c in t.classes:
                if c not in out.prose_classes:
                    out.prose_classes.append(c)
        if not active:
            if t.kind == "class" and t.first:
                for c in t.classes:  # a class line above the schedule ("TRUST CLASS"): its scope
                    if c not in out.classes_seen:
                        out.classes_seen.append(c)
            nxt = _next_meaningful(toks, i)
            if t.kind == "header" and any(f != "other" for f in t.fields):
                active = True
            elif t.kind == "fund" and t.first and nxt is not None and nxt.kind == "fund":
                active = True  # a bare list of funds is a schedule
            else:
                continue
        if t.kind == "stop":
            close()
            end_zone()
            active = False
            header_seen = False
            last_kind = t.kind
            continue
        if (
            t.kind in ("prose", "rate")
            and len(t.text) > 20
            and _RATE_PROSE.search(t.text)
            and (row is None or row.has_values() or t.kind == "prose" or _rateless_tail(out.rows))
        ):
            # "Up to 0.25% of the average daily net assets" after a group of funds that state no
            # rate: the group's rate (a later line may give the next group another). A fund with
            # a rate cell of its own (the rows before it have rates) is not a group.
            close()
            stated = prose_rate(prose_rates(t))
            group = _rateless_tail(out.rows)
            if stated is not None and group:
                for r in group:
                    r.fees["aggregate"] = stated.value
                    r.flags.append("rate from prose")
                last_kind = "group rate"  # the next fund starts another group
                continue
        if t.kind == "prose":
            close()
            end_zone()
            header_seen = False
            last_kind = t.kind
            continue
        if (
            _class_word_header(t, class_col and zone is None)
            and row is not None
            and row.share_class is None
            and not row.has_values()
        ):
            t.kind, t.classes = "class", (V.normalize_class(t.text.rstrip(".*")),)  # "Service" class
        if t.kind == "header" and "renamed" in t.fields:
            close()
            zone, renaming = None, []
            last_kind = t.kind
            continue
        if renaming is not None:
            if t.kind in ("fund", "name", "registrant") and t.first:
                renaming.append((clean_name(t.text), t.line))
                if len(renaming) == 2:
                    (old, line), (new, _) = renaming
                    out.renames.append((old, new, line))
                    renaming = []
                continue
            if t.kind in ("heading", "prose", "stop", "header"):
                renaming = None
        if (
            t.kind == "header"
            and row is not None
            and not row.has_values()
            and t.text in _WRAP_WORDS
            and not _NAME_END.search(row.fund[-12:])
        ):
            row.fund, row.last = f"{row.fund} {t.text}", t.line  # a name wrapped into the next cell
            last_kind = "fund"
            continue
        if t.kind == "header":
            close()
            if zone is None:
                zone = []
            zone.extend(t.fields)
            if t.registrant:
                registrant, reg_line = t.registrant, t.line
            for c in t.classes:
                section_class = c
                if c not in out.classes_seen:
                    out.classes_seen.append(c)
            last_kind = t.kind
            continue
        nxt = _next_meaningful(toks, i)
        in_class_table = class_col or (zone is not None and "class" in zone)
        if t.kind == "registrant" and in_class_table and nxt is not None and nxt.kind in ("class", "code"):
            t.kind = "fund"  # a single-series company with its own classes: its own registrant
            registrant = t.text
        if (
            t.kind == "fund"
            and nxt is not None
            and nxt.kind == "header"
            and nxt.fields
            and not _class_word_header(nxt, class_col and zone is None)
        ):
            # A name right above a column header ("Portfolio | Share Class | Fee") heads the table: the
            # trust whose funds follow ("AIM Funds Group"), not a fund of the previous one.
            t.kind = "registrant"
        if t.kind == "registrant" and _section_label(t.text, default_registrant):
            close()  # "ACTIVELY MANAGED FUNDS" under "DIREXION SHARES ETF TRUST": a group, not a trust
            last_kind = "heading"
            continue
        if (
            t.kind == "fund"
            and is_caps(t.text)
            and nxt is not None
            and nxt.kind in ("fund", "name")
            and not is_caps(nxt.text)
            and last_kind != "fund"
        ):
            close()  # "SUBADVISED FUND" above mixed-case fund names: a group label
            last_kind = "heading"
            continue
        if t.kind == "registrant":
            close()
            if t.text.startswith("(") and registrant and last_kind in ("header", "registrant", "pct"):
                registrant = f"{registrant} {t.text}"
            elif zone is not None or not header_seen or has_fund_col or last_kind != "fund":
                registrant, reg_line = t.text, t.line
            for c in t.classes:
                section_class = c
            last_kind = t.kind
            continue
        if (
            t.kind == "name"
            and class_col
            and row is not None
            and _CLASS_WORD.match(t.text)
            and (not row.has_values() or (nxt is not None and nxt.kind in _VALUE_KINDS))
        ):
            t.kind, t.classes = "class", (V.normalize_class(t.text.rstrip(".*")),)
        if t.kind == "code":
            if zone is not None and "class" in zone:
                t.kind = "class"  # a class column header of a fund x class matrix ("A", "B", ...)
            elif row is not None and f"class:{t.classes[0]}" in columns[row.filled : row.filled + 1]:
                # A matrix cell marked with its own class: the fund offers that class.
                row.covered.append(t.classes[0])
                row.filled += 1
                row.last = t.line
                last_kind = "rate"
                continue
            elif row is not None and (class_col or last_kind == "class" or not row.has_values()):
                t.kind = "class"
            else:
                last_kind = t.kind
                continue
        if (
            t.kind == "class"
            and zone is None
            and nxt is not None
            and nxt.kind == "class"
            and (row is None or row.has_values())
            and len(t.classes) == 1
            and last_kind not in ("class",)
        ):
            close()
            zone = []  # classes side by side: the column headers of a fund x class matrix
        if (
            t.kind == "class"
            and zone is not None
            and not any(f in ("distribution", "service", "aggregate", "fee") for f in zone)
        ):
            for c in t.classes:
                zone.append(f"class:{c}")
            last_kind = "header"
            continue
        end_zone()
        if t.kind in ("fund", "name"):
            nxt = _next_meaningful(toks, i)
            follows_value = nxt is not None and nxt.kind in (*_VALUE_KINDS, "class")
            fund_position = t.first and (
                (t.kind == "fund" and (header_seen or registrant is not None or follows_value))
                or (
                    t.kind == "fund"
                    and (
                        last_kind in ("fund", "heading", "group rate")
                        or (nxt is not None and nxt.kind == "fund")
                    )
                )
                or (
                    t.kind == "name"
                    and last_kind == "fund"
                    and row is not None
                    and not row.has_values()
                    and len(words(t.text)) >= 3
                    and not is_caps(t.text)
                )
                or (t.kind == "name" and header_seen and has_fund_col and len(words(t.text)) >= 2)
                or (
                    t.kind == "name"
                    and nxt is not None
                    and nxt.kind == "class"
                    and len(words(t.text)) >= 2
                    and (
                        last_kind in ("class", "rate", "none", "date", "fund")
                        or (last_kind == "prose" and not is_caps(t.text))
                    )
                )
                or (t.kind == "name" and _wrapped_before_values(toks, i))
                or (t.kind == "name" and header_seen and nxt is not None and nxt.kind in _VALUE_KINDS)
            )
            if (
                row is not None
                and not row.has_values()
                and not row.class_fees
                and t.row == toks[i - 1].row + 1
                and toks[i - 1].kind in ("fund", "name")
                and len(row.fund) < 120  # a wrapped name spans a line or two, never a page
                and not _NAME_END.search(row.fund[-12:])
                and len(words(t.text)) <= 4
            ):
                # A fund name wrapped onto the next line ("Zeta International Equity" / "Fund").
                row.fund, row.last = f"{row.fund} {t.text}", t.line
                last_kind = t.kind
                continue
            if fund_position:
                close()
                name, cls = t.text, None
                m = FUND_CLASS_SUFFIX.search(name)
                if m and m.start() > 0:
                    found = V.find_classes(m.group(1))
                    if found:
                        name, cls = name[: m.start()].strip(), found[0]
                row = _Row(name, registrant, cls, t.line, t.line, section_class=section_class)
                t.kind = "fund"
            elif row is not None and t.row == toks[i - 1].row and not t.first:
                pass
            last_kind = t.kind
            continue
        if t.kind == "class":
            cls = t.classes[0]
            for c in t.classes:
                if c not in out.classes_seen:
                    out.classes_seen.append(c)
            if row is not None and row.share_class is None and not row.has_values():
                row.share_class, row.last = cls, t.line
                row.more_classes = list(t.classes[1:])
            elif row is not None and (
                (nxt is not None and nxt.kind in _VALUE_KINDS)
                or (last_kind == "class" and not row.has_values())
            ):
                # Another class of the same fund: a sub-row ("Class A" / "Class B" under one fund).
                fund, reg, level = row.fund, row.registrant, row.class_level
                close()
                row = _Row(
                    fund, reg, cls, t.line, t.line, more_classes=list(t.classes[1:]), class_level=level
                )
            elif row is None and nxt is not None and nxt.kind in ("rate", "none") and len(t.classes) == 1:
                # "Class A | NONE | 0.25% | 0.25%" above a bare fund list: rates for the whole class.
                row = _Row("", None, cls, t.line, t.line, class_level=True)
            else:
                close()
                section_class = cls
            last_kind = t.kind
            continue
        if t.kind in _VALUE_KINDS:
            if row is None:
                last_kind = t.kind
                continue
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
                    if c not in out.classes_seen:
                        out.classes_seen.append(c)
            elif column is not None and column.startswith("class:") and t.kind in ("rate", "none"):
                if t.rate is not None:
                    row.class_fees[column[6:]] = t.rate
                if column[6:] not in out.classes_seen:
                    out.classes_seen.append(column[6:])
            elif column == "effective_date" and t.kind == "date":
                row.effective = t.day
            elif column is None:
                out.diagnostics.append(
                    Diagnostic("warning", f"value {t.text!r} beyond the table's columns", t.line)
                )
            row.filled += 1
            row.last = t.line
            last_kind = t.kind
            continue
        last_kind = t.kind

    if active and (zone is not None or (row is not None and 0 < row.filled < len(columns))):
        out.truncated = True
    if active and registrant is not None and reg_line > (out.last_line or -1) and row is None:
        out.truncated = True
    close()
    if row is None and out.rows:
        out.first_line = out.rows[0].first
    if aliases:  # a class named by its former name too is one class
        out.prose_classes = list(dict.fromkeys(aliases.get(c, c) for c in out.prose_classes))
    if default_registrant:
        for r in out.rows:
            if r.registrant is None:
                r.registrant = default_registrant
    return out


_FEES = ("distribution_fee", "service_fee", "aggregate_fee")


def merge_rows(rows: list[ScheduleRow], diags: list[Diagnostic]) -> list[ScheduleRow]:
    """One row per (fund, class): a schedule printed twice counts once, and parallel tables (a
    distribution-fee table, then a service-fee table for the same funds) fill one row."""
    out: list[ScheduleRow] = []
    index: dict[tuple[str, str], int] = {}
    for row in rows:
        key = row.key  # computed once: folding names is the costly part
        at = index.get(key)
        if at is None:
            index[key] = len(out)
            out.append(row)
            continue
        first = out[at]
        new = {f: getattr(row, f) for f in _FEES if getattr(row, f) is not None}
        if all(getattr(first, f) is None for f in new):
            merged = replace(first, **new, effective_date=first.effective_date or row.effective_date)
            if first.lines and row.lines:
                merged = replace(merged, lines=(first.lines[0], max(first.lines[1], row.lines[1])))
            out[at] = merged
            continue
        if all(getattr(first, f) == v for f, v in new.items()) and first.effective_date == row.effective_date:
            where = row.lines[0] if row.lines else None
            diags.append(
                Diagnostic("info", f"{row.fund}: listed again (duplicate schedule), kept once", where)
            )
            continue
        # Listed again with other values (an unmerged parallel table, a changed rate): both kept,
        # and both flagged, since either one may be the wrong reading.
        twice = "listed twice with different values"
        if twice not in first.flags:
            out[at] = replace(first, flags=(*first.flags, twice))
        index[key] = len(out)
        out.append(replace(row, flags=(*row.flags, twice)))
    return out
