"""What the fees commands share beyond their options (fee_options.py): a progress spinner and
an engine for the run, the run's options checked, warnings printed once each, the --month
flag, and money tables. The runs themselves are the app layer's (app/money.py, app/fees.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from distplan.app.money import plain
from distplan.cli.options import parse_date
from distplan.cli.output import err, out
from distplan.errors import InputError
from distplan.fees import Engine, FeeOptions
from distplan.fees.calendar import month_period_of
from distplan.fees.navcsv import parse_columns
from distplan.model import Diagnostic

__all__ = ["plain"]


@contextmanager
def progress(engine: str, json_: bool) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr naming the run's step (not with --json, nor off a terminal)."""
    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=json_ or not err.is_terminal,
    )
    with bar:
        task = bar.add_task(f"starting {engine}", total=None)
        yield lambda text: bar.update(task, description=text)


@contextmanager
def running(engine: str, master: str, json_: bool) -> Iterator[tuple[Engine, Callable[[str], None]]]:
    with progress(engine, json_) as step:
        eng = Engine.open(engine, spark_master=master)
        try:
            yield eng, step
        finally:
            eng.close()


def options(
    rounding: str, carry: bool, due_days: int, mapping: Path | None, columns: str | None
) -> FeeOptions:
    """The run's flags, checked before the ledger is read or an engine started."""
    if mapping is not None and not mapping.is_file():
        raise InputError(f"--map {mapping}: no such file")
    return FeeOptions(
        rounding=rounding,  # type: ignore[arg-type]
        carry_missing=carry,
        due_days=due_days,
        mapping=mapping,
        columns=parse_columns(columns) or None,
    )


def warn(warnings: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for w in dict.fromkeys(warnings):
        err.print(f"{w.level}: {w.message}", markup=False)


def month_numbers(value: str) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in value.strip().split("-"))
        month_period_of(year, month)  # a real month
    except ValueError:
        raise InputError(f"--month {value!r}: expected YYYY-MM") from None
    return year, month


def month_range(value: str) -> tuple[date, date]:
    return month_period_of(*month_numbers(value))


def accrual_range(from_: str | None, to: str | None, month: str | None) -> tuple[date, date]:
    if month is not None:
        if from_ is not None or to is not None:
            raise InputError("give either --month or --from/--to, not both")
        return month_range(month)
    if from_ is None or to is None:
        raise InputError("give --month YYYY-MM, or --from and --to (--to is the first day NOT accrued)")
    start, end = parse_date(from_, "--from"), parse_date(to, "--to")
    if end <= start:
        raise InputError(f"--to {end} must be after --from {start} (--to is the first day NOT accrued)")
    return start, end


def due_dates(table: pa.Table) -> str:
    dues = sorted({str(d) for d in table["due_date"].to_pylist()}) if table.num_rows else []
    return ", ".join(dues) or "-"


def money_table(title: str, table: pa.Table, columns: list[str]) -> Table:
    view = Table(*columns, title=title)
    for row in table.to_pylist():
        view.add_row(*("" if row.get(c) is None else str(plain(row.get(c))) for c in columns))
    return view


def print_totals(result: dict[str, Any], reimbursement: bool) -> None:
    # A reimbursement plan's fee is only its cap: the totals say so and show what is paid.
    fee = "cap (fee)" if reimbursement else "fee"
    view = Table("plan", "registrant", "distribution", "service", fee, "payable", title="totals")
    for r in result["registrants"]:
        view.add_row(
            r["plan"],
            r["registrant"],
            *(str(r[c]) for c in ("fee_distribution", "fee_service", "fee", "payable")),
        )
    for p in result["plans"]:
        view.add_row(
            p["plan"],
            "(plan total)",
            *(str(p[c]) for c in ("fee_distribution", "fee_service", "fee", "payable")),
        )
    out.print(view)
