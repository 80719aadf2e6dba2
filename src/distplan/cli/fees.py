"""CLI commands: fees (accrue, payables, true-up) and sample-data.

The plan's coverage comes from the ledger as known at `--known-at` (default: now); dates are
half-open (`--to` is the first day NOT included). This layer reads the clock, nothing below it.
The runs are the Workspace's (app/money.py, app/fees.py): here the flags are checked first,
then the results printed (fee_views.py: spinner, warnings, money tables).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

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
from distplan.cli.fee_views import (
    accrual_range,
    due_dates,
    money_table,
    month_numbers,
    options,
    print_totals,
    progress,
    warn,
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
from distplan.cli.output import echo_json, out
from distplan.errors import InputError
from distplan.fees import FeeOptions, totals
from distplan.fees.sample import sample_nav, write_table


def _coverage(
    ctx: typer.Context, plan: str | None, known_at: str | None
) -> tuple[list[H.CoveragePeriod], dict[str, Any]]:
    point = parse_known_at(known_at)
    with open_ledger(ctx) as ledger:
        chosen = ledger.resolve_plan(plan)
        entries = ledger.entries(known_at=point)
    return H.coverage(entries, chosen), {"plan": chosen.to_json(), "known_at": known_at_json(point)}


def _settings(engine: str, master: str, opts: FeeOptions, step: Any, **more: Any) -> FeeSettings:
    return FeeSettings(
        engine=engine, spark_master=master, mapping=opts.mapping, columns=opts.columns, progress=step, **more
    )


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
    start, end = accrual_range(from_, to, month)
    opts = options(rounding, carry_missing, 10, mapping, columns)  # the flags, checked first
    point = parse_known_at(known_at)
    with workspace(ctx) as ws, progress(engine, json_) as step:
        view = ws.accrue(
            plan,
            nav,
            start,
            end,
            out_path,
            known_at=point,
            rounding=rounding,
            carry_missing=carry_missing,
            settings=_settings(engine, spark_master, opts, step),
        )
    warn(view.warnings)
    if json_:
        echo_json(json.dumps(view.to_json(), indent=2))
        return
    out.print(
        f"accrued {start} through {end - timedelta(days=1)} ({(end - start).days} days; {end} not included): "
        f"wrote {view.rows} daily rows to {out_path} (accrued {view.total})"
    )


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
    year, month_no = month_numbers(month)
    if plan_type not in ("compensation", "reimbursement"):
        raise InputError(f"--plan-type {plan_type!r}: expected compensation or reimbursement")
    if plan_type == "reimbursement" and expenses is None:
        raise InputError("--plan-type reimbursement needs --expenses FILE")
    opts = options(rounding, carry_missing, due_days, mapping, columns)  # the flags, checked first
    with workspace(ctx) as ws, progress(engine, json_) as step:
        settings = _settings(
            engine,
            spark_master,
            opts,
            step,
            due_days=due_days,
            carry_in=carry_in,
            carry_forward=not no_carry_forward,
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
    warn(view.warnings)
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
    out.print(money_table(f"payables {month} (due {due_dates(view.table)})", view.table, shown))
    print_totals(totals(view.table), plan_type == "reimbursement")


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
    year, month_no = month_numbers(month)
    opts = options(rounding, carry_missing, 10, mapping, columns)  # the flags, checked first
    points = (parse_known_at(from_known_at), parse_known_at(to_known_at))
    with workspace(ctx) as ws, progress(engine, json_) as step:
        view = ws.true_up(
            plan,
            nav,
            year,
            month_no,
            known_at=points,
            rounding=rounding,
            carry_missing=carry_missing,
            settings=_settings(engine, spark_master, opts, step),
        )
    warn(view.warnings)
    if out_path is not None:
        write_table(view.table, out_path)
    if json_:
        echo_json(json.dumps(view.to_json(), indent=2, ensure_ascii=False))
        return
    cols = ["fund", "share_class", "days_a", "days_b", "fee_a", "fee_b", "adjustment"]
    out.print(money_table(f"true-up {month}: known at {from_known_at} -> {to_known_at}", view.table, cols))
    out.print(f"net adjustment: {view.adjustment}")


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
