"""CLI commands: `distplan fees retention` (what the distributor keeps of a month's fees after
the dealers' trails) and `distplan fees remaining` (the FINRA Rule 2341(d) remaining amount).

Registered on the `fees` group (cli/trails.py imports this module). The plan's coverage and the
dealer agreements come from the ledger as known at `--known-at` (default: now).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import pyarrow as pa
import typer
from rich.table import Table

from distplan.app.distributor import Run
from distplan.cli.app import fees_app
from distplan.cli.fee_options import FeeRun, JsonOpt, MonthOpt, NavOpt, OutOpt, PositionsOpt, fee_run
from distplan.cli.fee_views import month_range as _month
from distplan.cli.fee_views import options as _options
from distplan.cli.fee_views import plain as _plain
from distplan.cli.fee_views import running as _running
from distplan.cli.fee_views import warn as _warn
from distplan.cli.options import workspace
from distplan.cli.output import echo_json, out
from distplan.cli.trails import json_row, plan_meta, read_csv_positions
from distplan.model import Diagnostic


@fees_app.command("retention")
@fee_run(nav=True)
def retention_cmd(
    ctx: typer.Context,
    nav: NavOpt,
    positions: PositionsOpt,
    month: MonthOpt,
    run: FeeRun,
    out_path: OutOpt = None,
    json_: JsonOpt = False,
) -> None:
    """What the distributor keeps: per fund-class, the month's distribution and service fees
    (the payables) minus the trails every dealer accrued on it that month. A warning when the
    trails exceed the fund's fee. Forfeited trails (settled per payment period) are not
    deducted: `fees trails` reports them."""
    from distplan.fees.retention import COLUMNS
    from distplan.fees.sample import write_table

    start, end = _month(month)
    held = read_csv_positions(positions)
    opts = _options(run.rounding, run.carry_missing, 10, None, None)
    with workspace(ctx) as ws:
        meta = plan_meta(ws, run.plan, run.known_at)
        with _running(run.engine, run.spark_master, json_) as (eng, _progress):
            asked = Run(meta.pop("point"), eng, opts)
            result = ws.retention(run.plan, nav, held if held is not None else positions, start, end, asked)
    _warn(result.warnings)
    if out_path is not None:
        write_table(pa.Table.from_pylist([{c: r[c] for c in COLUMNS} for r in result.rows]), out_path)
    if json_:
        body = {
            **meta,
            "month": month,
            "rounding": run.rounding,
            "retention": [json_row(r) for r in result.rows],
            "total": json_row(result.total),
            "warnings": [w.message for w in result.warnings],
        }
        echo_json(json.dumps(body, indent=2, ensure_ascii=False))
        return
    shown = [c for c in COLUMNS if c not in ("month", "plan", "registrant")]
    view = Table(*shown, title=f"retention {month}")
    for r in result.rows:
        view.add_row(*(str(_plain(r[c])) for c in shown))
    t = result.total
    view.add_row(
        "(total)", "", *(str(t[c]) for c in shown[2:5]), str(t["trails_accrued"]), "", str(t["retained"])
    )
    out.print(view)


@fees_app.command("remaining")
@fee_run(nav=True)
def remaining_cmd(
    ctx: typer.Context,
    sales: Annotated[
        Path,
        typer.Option(
            "--sales",
            help="CSV or Parquet: date, fund, share_class, gross_sales, front_end_loads_retained, cdsc_collected.",
        ),
    ],
    nav: NavOpt,
    prime: Annotated[
        Path,
        typer.Option("--prime", help="Prime rates, date,rate (bundled: examples/dealers/prime-rate.csv)."),
    ],
    as_of: Annotated[str, typer.Option("--as-of", help="The last day computed.")],
    run: FeeRun,
    json_: JsonOpt = False,
) -> None:
    """The FINRA Rule 2341(d) remaining amount per fund-class with an asset-based sales charge,
    from the first sale to --as-of: 6.25% (7.25% without a service fee) of new gross sales plus
    interest at prime + 1%, less asset-based accruals, front-end loads retained and CDSCs. A
    finding citing the rule when it goes below zero; exit status 1 then."""
    from distplan.cli.ledger import parse_date
    from distplan.fees.prime import read_prime
    from distplan.fees.remaining import MONEY, POLICY
    from distplan.fees.sales import read_sales

    day = parse_date(as_of, "--as-of")
    sold = read_sales(sales)  # the user's files first: their problems before the ledger's
    rates = read_prime(prime)
    opts = _options(run.rounding, run.carry_missing, 10, None, None)
    with workspace(ctx) as ws:
        meta = plan_meta(ws, run.plan, run.known_at)
        with _running(run.engine, run.spark_master, json_) as (eng, _progress):
            found = ws.remaining(run.plan, nav, sold, rates, day, Run(meta.pop("point"), eng, opts))
    result, findings = found.result, found.findings
    _warn([Diagnostic("warning", w) for w in result.warnings])
    if json_:
        body = {
            **meta,
            "as_of": day.isoformat(),
            "from": result.start.isoformat(),
            "policy": POLICY,
            "remaining": [json_row(r) for r in result.rows],
            "findings": [f.to_json() for f in findings],
            "warnings": result.warnings,
        }
        echo_json(json.dumps(body, indent=2, ensure_ascii=False))
    else:
        view = Table("fund", "share_class", *MONEY, "first_negative", title=f"remaining amount as of {day}")
        for r in result.rows:
            view.add_row(
                r["fund"],
                r["share_class"],
                *(str(r[m]) for m in MONEY),
                str(_plain(r["first_negative"]) or ""),
            )
        out.print(view)
        out.print(f"from {result.start} ({POLICY})", markup=False)
        for f in findings:
            out.print(f"{f.severity}: {f.citation}: {f.subject.name}: {f.message}", markup=False)
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(1)
