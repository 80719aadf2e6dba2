"""Reading a schedule's cells: the row being built, the table's columns, and what was read so far
(rows, class rates, renames, prose rates and classes). `Reader.close` turns a built row into the
schedule rows it stands for (one per class of a class list, a coverage or a rate matrix)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from distplan.documents.context import ClassScope, ProseRate
from distplan.documents.headers import value_columns
from distplan.model import Diagnostic, ScheduleRow


@dataclass
class DraftRow:
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
    rows: list[DraftRow] = field(default_factory=list)
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

    def saw_class(self, cls: str) -> None:
        if cls not in self.classes_seen:
            self.classes_seen.append(cls)


def rateless_tail(rows: list[DraftRow]) -> list[DraftRow]:
    """The rows at the end of the list that state no rate and were given none from prose."""
    group: list[DraftRow] = []
    for r in reversed(rows):
        if r.fees or r.class_fees or "rate from prose" in r.flags:
            break
        group.append(r)
    return group


@dataclass
class Reader:
    """The state of the pass over the cells."""

    out: Parse = field(default_factory=Parse)
    active: bool = False  # inside a schedule (after its heading, header or first fund list)
    registrant: str | None = None
    reg_line: int = -1
    section_class: str | None = None
    columns: list[str] = field(default_factory=list)
    zone: list[str] | None = None  # header fields being gathered
    has_fund_col: bool = False
    class_col: bool = False  # the header named a class column ("Classes", "Share Class")
    reg_then_fund: bool = False  # a "Trust | Fund" table: a line's first name is its trust
    fund_then_reg: bool = False  # a "Fund | Trust" table: a trust cell after the fund is the row's
    renaming: list[tuple[str, int]] | None = None  # inside an old name / new name table
    header_seen: bool = False
    row: DraftRow | None = None
    last_kind: str = ""
    aliases: dict[str, str] = field(default_factory=dict)  # a class's former name -> its name

    def close(self) -> None:
        """The row being built is complete: add the schedule rows it stands for."""
        row, out = self.row, self.out
        self.row = None
        if row is None:
            return
        if row.class_level:
            if row.fees and row.share_class:
                out.class_rates[row.share_class] = dict(row.fees)
                out.class_rate_lines[row.share_class] = row.first
            return
        if row.covered:
            # A coverage matrix: the classes marked are covered; a dash means "not offered".
            for cls in row.covered:
                out.rows.append(DraftRow(row.fund, row.registrant, cls, row.first, row.last, dict(row.fees)))
        elif row.class_fees:
            for cls, value in row.class_fees.items():
                out.rows.append(
                    DraftRow(
                        row.fund,
                        row.registrant,
                        cls,
                        row.first,
                        row.last,
                        {"aggregate": value},
                        row.effective,
                    )
                )
        else:
            row.share_class = row.share_class or row.section_class
            out.rows.append(row)
            for cls in row.more_classes:
                out.rows.append(
                    DraftRow(
                        row.fund, row.registrant, cls, row.first, row.last, dict(row.fees), row.effective
                    )
                )
        out.last_line = row.last

    def end_zone(self) -> None:
        """The run of header cells is over: the table's columns are known."""
        zone = self.zone
        if zone is None:
            return
        columns = value_columns(zone)
        if columns or "fund" in zone:
            self.columns = columns
        if zone:
            self.class_col = "class" in zone
            self.reg_then_fund = "registrant" in zone and "fund" in zone[zone.index("registrant") :]
            self.fund_then_reg = "fund" in zone and "registrant" in zone[zone.index("fund") :]
            self.has_fund_col = "fund" in zone or "registrant" in zone or bool(self.columns)
            self.header_seen = True
        self.zone = None

    def end_table(self) -> None:
        self.close()
        self.end_zone()
