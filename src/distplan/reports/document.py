"""The report document: one typed record every writer (HTML, PDF, XLSX, DOCX, CSV) lays out.

A report is built from the application layer's results (builders in this package) and never
computes a figure itself beyond adding up rows for a total the stage does not give. Columns
are typed, so each writer formats a value by its kind: money and rates as Decimal (a rate is
percent per annum, "0.25" = 0.25%), counts as int, dates as `date`, everything else as text.
`generated_at` is an argument: nothing here reads the clock.

Text is made printable once, here (control characters, lone surrogates and bidi overrides
removed, each change a warning naming the place), so every format says the same thing and no
writer can fail on it. Escaping for HTML, spreadsheets and CSV is each writer's job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

Kind = Literal["text", "money", "rate", "int", "date", "hash"]
Cell = str | int | Decimal | date | None

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]")
_PYTHON_TYPE: dict[str, tuple[type, ...]] = {
    "text": (str,),
    "hash": (str,),
    "money": (Decimal,),
    "rate": (Decimal,),
    "int": (int,),
    "date": (date,),
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = "text"

    @property
    def numeric(self) -> bool:
        return self.kind in ("money", "rate", "int")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Decimal, ...]


@dataclass(frozen=True)
class Chart:
    """Bars: one group per category, one bar (stacked) per series. Money in dollars."""

    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    horizontal: bool = False

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.categories):
                raise ValueError(f"chart {self.title!r}: series {s.name!r} has the wrong length")


@dataclass(frozen=True)
class Section:
    """A titled table (possibly empty), with its totals row, notes and chart. `total` holds a
    value only under the columns that are totalled (the XLSX writes SUM formulas there)."""

    title: str
    columns: tuple[Column, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    total: tuple[Cell, ...] | None = None
    notes: tuple[str, ...] = ()
    chart: Chart | None = None
    sheet: str = ""  # the XLSX sheet name (short); the title's start by default

    def __post_init__(self) -> None:
        width = len(self.columns)
        for i, row in enumerate((*self.rows, *((self.total,) if self.total is not None else ()))):
            if len(row) != width:
                raise ValueError(f"section {self.title!r} row {i}: {len(row)} cells for {width} columns")
            for col, value in zip(self.columns, row, strict=True):
                if value is not None and not _is(value, col.kind):
                    raise TypeError(f"section {self.title!r}, {col.name}: {value!r} is no {col.kind}")


def _is(value: object, kind: str) -> bool:
    if kind == "int" and isinstance(value, bool):
        return False
    if kind == "date" and isinstance(value, datetime):
        return False
    return isinstance(value, _PYTHON_TYPE[kind])


@dataclass(frozen=True)
class Report:
    kind: str  # statement | board | ledger | sai | dealer
    title: str
    plan: str
    period: str
    generated_at: datetime
    sections: tuple[Section, ...]
    facts: tuple[tuple[str, str], ...] = ()  # shown under the title: known at, ledger head, inputs
    warnings: tuple[str, ...] = field(default=())

    @property
    def stamp(self) -> str:
        return self.generated_at.strftime("%Y-%m-%d %H:%M UTC")


def printable(report: Report) -> Report:
    """The report with every text cleaned of unprintable characters, one warning per place."""
    warnings = list(report.warnings)

    def clean(text: str, where: str) -> str:
        if not _UNPRINTABLE.search(text):
            return text
        warnings.append(f"{where}: removed unprintable characters")
        return _UNPRINTABLE.sub(" ", text)

    def cells(row: tuple[Cell, ...], where: str) -> tuple[Cell, ...]:
        return tuple(clean(v, where) if isinstance(v, str) else v for v in row)

    sections = []
    for s in report.sections:
        where = f"report section {s.title!r}"
        chart = s.chart
        if chart is not None:
            chart = replace(
                chart,
                categories=tuple(clean(c, where + " chart") for c in chart.categories),
                series=tuple(replace(x, name=clean(x.name, where)) for x in chart.series),
            )
        sections.append(
            replace(
                s,
                title=clean(s.title, where),
                rows=tuple(cells(r, where) for r in s.rows),
                total=cells(s.total, where) if s.total is not None else None,
                notes=tuple(clean(n, where) for n in s.notes),
                chart=chart,
            )
        )
    out = replace(
        report,
        title=clean(report.title, "report title"),
        plan=clean(report.plan, "plan name"),
        facts=tuple((k, clean(v, f"report fact {k}")) for k, v in report.facts),
        sections=tuple(sections),
    )
    return replace(out, warnings=tuple(dict.fromkeys(warnings)))


def display(value: Cell, kind: Kind) -> str:
    """A value as the printed formats show it: money 1,234.56, rates 0.25%, ISO dates."""
    if value is None:
        return ""
    if kind == "money" and isinstance(value, Decimal):
        return f"{value:,.2f}"
    if kind == "rate" and isinstance(value, Decimal):
        return f"{value.normalize():f}%" if value != value.to_integral() else f"{value:.2f}%"
    if kind == "int" and isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
