"""CLI commands: fees (accrue, payables, true-up) and sample-data.

The plan's coverage comes from the ledger as known at `--known-at` (default: now); dates are
half-open (`--to` is the first day NOT included). This layer reads the clock, nothing below it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import pyarrow as pa
import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from distplan import history as H
from distplan.app.money import FeeSettings
from distplan.cli.app import app, fees_app
from distplan.cli.fee_options import (  # the options the fees commands share
    CarryOpt,
    ColumnsOpt,
    DueOpt,
    EngineOpt,
    JsonOpt,
    MapOpt,
    MasterOpt,
    NavOpt,
    RoundingOpt,
)
from distplan.cli.ledger import (
    KnownAtOpt,
    PlanOpt,
    known_at_json,
    open_ledger,
    parse_date,
    parse_known_at,
)
from distplan.cli.options import workspace
from distplan.cli.output import echo_json, err, out
from distplan.errors import InputError
from distplan.fees import Engine, FeeOptions, FeeResult, accrue, totals, true_up
from distplan.fees.calendar import month_period_of
from distplan.fees.navcsv import parse_columns
from distplan.fees.sample import sample_nav, write_table
from distplan.model import Diagnostic


def _coverage(
    ctx: typer.Context, plan: str | None, known_at: str | None
) -> tuple[list[H.CoveragePeriod], dict[str, Any]]:
    point = parse_known_at(known_at)
    with open_ledger(ctx) as ledger:
        chosen = ledger.resolve_plan(plan)
        entries = ledger.entries(known_at=point)
    return H.coverage(entries, chosen), {"plan": chosen.to_json(), "known_at": known_at_json(point)}


@contextmanager
def _progress(engine: str, json_: bool) -> Iterator[Callable[[str], None]]:
    """A spinner on stderr naming the run's step (not with --json, nor off a terminal)."""
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=json_ or not err.is_terminal,
    )
    with progress:
        task = progress.add_task(f"starting {engine}", total=None)
        yield lambda text: progress.update(task, description=text)


@contextmanager
def _running(engine: str, master: str, json_: bool) -> Iterator[tuple[Engine, Callable[[str], None]]]:
    with _progress(engine, json_) as progress:
        eng = Engine.open(engine, spark_master=master)
        try:
            yield eng, progress
        finally:
            eng.close()


def _options(
    rounding: str, carry: bool, due_days: int, mapping: Path | None, columns: str | None
) -> FeeOptions:
    if mapping is not None and not mapping.is_file():
        raise InputError(f"--map {mapping}: no such file")
    return FeeOptions(
        rounding=rounding,  # type: ignore[arg-type]
        carry_missing=carry,
        due_days=due_days,
        mapping=mapping,
        columns=parse_columns(columns) or None,
    )


def _warn(warnings: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for w in dict.fromkeys(warnings):
        err.print(f"{w.level}: {w.message}", markup=False)


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _rows(table: pa.Table) -> list[dict[str, object]]:
    return [{k: _plain(v) for k, v in row.items()} for row in table.to_pylist()]


def _month_numbers(value: str) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in value.strip().split("-"))
        month_period_of(year, month)  # a real month
    except ValueError:
        raise InputError(f"--month {value!r}: expected YYYY-MM") from None
    return year, month


def _month(value: str) -> tuple[date, date]:
    return month_period_of(*_month_numbers(value))


def _money_table(title: str, table: pa.Table, columns: list[str]) -> Table:
    view = Table(*columns, title=title)
    for row in table.to_pylist():
        view.add_row(*("" if row.get(c) is None else str(_plain(row.get(c))) for c in columns))
    return view


def _print_totals(result: dict[str, Any], reimbursement: bool) -> None:
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


@fees_app.command("accrue")
def accrue_cmd(
    ctx: typer.Context,
    nav: NavOpt,
    out_path: Annotated[Path, typer.Option("--out", help="Daily rows: FILE.csv or FILE.parquet.")],
    from_: Annotated[str | None, typer.Option("--from", help="First day accrued.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="First day NOT accrued (exclusive).")] = None,
    month: Annotated[
        str | None, typer.Option("--month", help="A whole month, YYYY-MM (instead of --from/--to).")
    ] = None,
    known_at: KnownAtOpt = None,
    plan: PlanOpt = None,
    engine: EngineOpt = "duckdb",
    spark_master: MasterOpt = "local[*]",
    rounding: RoundingOpt = "daily-cents-half-even",
    carry_missing: CarryOpt = False,
    mapping: MapOpt = None,
    columns: ColumnsOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Daily accruals for [--from, --to) (--to is the first day NOT accrued) or --month, written
    by the engine to --out (one row per fund-class and calendar day: date, plan, registrant,
    fund, share_class, nav_date, net_assets, rates, days_in_year, accruals by component,
    instrument)."""
    start, end = _accrual_range(from_, to, month)
    opts = _options(rounding, carry_missing, 10, mapping, columns)
    cov, meta = _coverage(ctx, plan, known_at)
    with _running(engine, spark_master, json_) as (eng, progress):
        result = accrue(cov, nav, start, end, out_path, engine=eng, options=opts, progress=progress)
    _warn(result.warnings)
    summary = {
        **meta,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "last_day": (end - timedelta(days=1)).isoformat(),
        "days": (end - start).days,
        "rounding": rounding,
        "out": str(out_path),
        "rows": result.rows_written,
        "total": str(sum((r["fee"] for r in result.table.to_pylist()), Decimal("0.00"))),
        "warnings": [w.message for w in result.warnings],
    }
    if json_:
        echo_json(json.dumps(summary, indent=2))
        return
    out.print(
        f"accrued {start} through {end - timedelta(days=1)} ({summary['days']} days; {end} not included): "
        f"wrote {result.rows_written} daily rows to {out_path} (accrued {summary['total']})"
    )


def _accrual_range(from_: str | None, to: str | None, month: str | None) -> tuple[date, date]:
    if month is not None:
        if from_ is not None or to is not None:
            raise InputError("give either --month or --from/--to, not both")
        return _month(month)
    if from_ is None or to is None:
        raise InputError("give --month YYYY-MM, or --from and --to (--to is the first day NOT accrued)")
    start, end = parse_date(from_, "--from"), parse_date(to, "--to")
    if end <= start:
        raise InputError(f"--to {end} must be after --from {start} (--to is the first day NOT accrued)")
    return start, end


@fees_app.command("payables")
def payables_cmd(
    ctx: typer.Context,
    nav: NavOpt,
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM.")],
    known_at: KnownAtOpt = None,
    plan: PlanOpt = None,
    engine: EngineOpt = "duckdb",
    spark_master: MasterOpt = "local[*]",
    rounding: RoundingOpt = "daily-cents-half-even",
    carry_missing: CarryOpt = False,
    mapping: MapOpt = None,
    columns: ColumnsOpt = None,
    due_days: DueOpt = 10,
    plan_type: Annotated[
        str,
        typer.Option("--plan-type", help="compensation (pay the fee) or reimbursement (the fee is a cap)."),
    ] = "compensation",
    expenses: Annotated[
        Path | None,
        typer.Option("--expenses", help="Reimbursement: CSV month,fund,share_class,category,amount."),
    ] = None,
    carry_in: Annotated[
        Path | None,
        typer.Option("--carry-in", help="Reimbursement: CSV fund,share_class,amount brought forward."),
    ] = None,
    no_carry_forward: Annotated[
        bool, typer.Option("--no-carry-forward", help="Reimbursement: unreimbursed expenses are forfeited.")
    ] = False,
    out_path: Annotated[
        Path | None, typer.Option("--out", help="Write the payable rows to FILE.csv|.parquet.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Monthly payables per fund-class (days, average daily net assets, fees by component,
    due date), with totals per registrant and plan."""
    year, month_no = _month_numbers(month)
    if plan_type not in ("compensation", "reimbursement"):
        raise InputError(f"--plan-type {plan_type!r}: expected compensation or reimbursement")
    if plan_type == "reimbursement" and expenses is None:
        raise InputError("--plan-type reimbursement needs --expenses FILE")
    opts = _options(rounding, carry_missing, due_days, mapping, columns)  # the flags, checked first
    with workspace(ctx) as ws, _progress(engine, json_) as progress:
        settings = FeeSettings(
            engine=engine,
            spark_master=spark_master,
            mapping=opts.mapping,
            columns=opts.columns,
            due_days=due_days,
            carry_in=carry_in,
            carry_forward=not no_carry_forward,
            progress=progress,
        )
        view = ws.payables(
            plan,
            nav,
            year,
            month_no,
            known_at=parse_known_at(known_at),
            rounding=rounding,
            carry_missing=carry_missing,
            plan_type=plan_type,
            expenses=expenses,
            settings=settings,
        )
    _warn(view.warnings)
    if out_path is not None:
        write_table(view.table, out_path)
    if json_:
        echo_json(json.dumps(view.to_json(), indent=2, ensure_ascii=False))
        return
    shown = [
        "fund",
        "share_class",
        "registrant",
        "days",
        "average_net_assets",
        "fee_distribution",
        "fee_service",
        "fee",
    ]
    if plan_type == "reimbursement":
        shown += ["expenses", "carry_in", "paid", "carry_out"]
    out.print(_money_table(f"payables {month} (due {_due(view.table)})", view.table, shown))
    _print_totals(totals(view.table), plan_type == "reimbursement")


def _due(table: pa.Table) -> str:
    dues = sorted({str(d) for d in table["due_date"].to_pylist()}) if table.num_rows else []
    return ", ".join(dues) or "-"


@fees_app.command("true-up")
def true_up_cmd(
    ctx: typer.Context,
    nav: NavOpt,
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM.")],
    from_known_at: Annotated[str, typer.Option("--from-known-at", help="A: entry SEQ or ISO timestamp.")],
    to_known_at: Annotated[str, typer.Option("--to-known-at", help="B: entry SEQ or ISO timestamp.")],
    plan: PlanOpt = None,
    engine: EngineOpt = "duckdb",
    spark_master: MasterOpt = "local[*]",
    rounding: RoundingOpt = "daily-cents-half-even",
    carry_missing: CarryOpt = False,
    mapping: MapOpt = None,
    columns: ColumnsOpt = None,
    out_path: Annotated[
        Path | None, typer.Option("--out", help="Write the rows to FILE.csv|.parquet.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """What a month owed as the ledger knew the plan at A and at B, and the adjustment (B - A)."""
    start, end = _month(month)
    opts = _options(rounding, carry_missing, 10, mapping, columns)
    cov_a, meta_a = _coverage(ctx, plan, from_known_at)
    cov_b, meta_b = _coverage(ctx, plan, to_known_at)
    with _running(engine, spark_master, json_) as (eng, progress):
        result: FeeResult = true_up(
            cov_a, cov_b, nav, start, end, engine=eng, options=opts, progress=progress
        )
    _warn(result.warnings)
    if out_path is not None:
        write_table(result.table, out_path)
    total = sum((r["adjustment"] for r in result.table.to_pylist()), Decimal("0.00"))
    if json_:
        echo_json(
            json.dumps(
                {
                    "plan": meta_b["plan"],
                    "month": month,
                    "from_known_at": meta_a["known_at"],
                    "to_known_at": meta_b["known_at"],
                    "rows": _rows(result.table),
                    "adjustment": str(total),
                    "warnings": [w.message for w in result.warnings],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    cols = ["fund", "share_class", "days_a", "days_b", "fee_a", "fee_b", "adjustment"]
    out.print(_money_table(f"true-up {month}: known at {from_known_at} -> {to_known_at}", result.table, cols))
    out.print(f"net adjustment: {total}")


@app.command("sample-data")
def sample_data(
    ctx: typer.Context,
    from_: Annotated[str, typer.Option("--from", help="First day.")],
    to: Annotated[str, typer.Option("--to", help="First day NOT included (half-open).")],
    out_path: Annotated[Path, typer.Option("--out", help="FILE.csv or FILE.parquet.")],
    known_at: KnownAtOpt = None,
    plan: PlanOpt = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same numbers).")] = 12,
    json_: JsonOpt = False,
) -> None:
    """Synthetic net assets (a seeded random walk with flows) for every fund-class the plan
    covers in [--from, --to), on the NYSE sessions its accruals use (from the last session on or
    before --from: a month's first days accrue on it): deterministic, for demos and first steps."""
    start, end = parse_date(from_, "--from"), parse_date(to, "--to")
    if end <= start:
        raise InputError(f"--to {end} must be after --from {start} (the end is exclusive)")
    cov, meta = _coverage(ctx, plan, known_at)
    table = sample_nav(cov, start, end, seed)
    if table.num_rows == 0:
        raise InputError(f"the plan covers no fund-class between {start} and {end}")
    write_table(table, out_path)
    classes = len(set(zip(table["fund"].to_pylist(), table["share_class"].to_pylist(), strict=True)))
    if json_:
        echo_json(json.dumps({**meta, "out": str(out_path), "rows": table.num_rows, "fund_classes": classes}))
        return
    days = table["date"].to_pylist()
    out.print(
        f"wrote {table.num_rows} NAV rows for {classes} fund-classes, sessions {min(days)} to {max(days)}, "
        f"to {out_path}"
    )


from distplan.cli import trails as _trails  # noqa: E402,F401  (registers `fees trails`)
