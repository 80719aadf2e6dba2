"""CLI command: `distplan fees trails`, what the distributor owes each dealer for a period.

Registered on the `fees` group (cli/fees.py imports this module). The plan's coverage and the
dealer agreements come from the ledger as known at `--known-at` (default: now).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pyarrow as pa
import typer
from rich.table import Table

from distplan.app.distributor import Run
from distplan.cli.app import fees_app
from distplan.cli.fee_options import DueOpt, FeeRun, JsonOpt, OutOpt, PositionsOpt, fee_run
from distplan.cli.fee_views import plain as _plain
from distplan.cli.fee_views import running as _running
from distplan.cli.fee_views import warn as _warn
from distplan.cli.ledger import parse_known_at
from distplan.cli.options import workspace
from distplan.cli.output import echo_json, out
from distplan.model import Diagnostic

if TYPE_CHECKING:
    from distplan.app import Workspace


def read_csv_positions(path: Path) -> pa.Table | None:
    """A CSV positions file, read now (before the ledger: its problems are named first); a
    Parquet one is left to the engine to scan (the Workspace does, given the path), as large
    as it may be."""
    from distplan.fees.positions import read_positions

    return None if path.suffix.lower() in (".parquet", ".pq") else read_positions(path)


def plan_meta(ws: Workspace, plan: str | None, known_at: str | None) -> dict[str, Any]:
    """The plan and the moment a distributor command answers for (as its JSON prints them);
    "point" is the parsed --known-at, to pass on (pop it before printing)."""
    from distplan.app.values import known_at_json

    point = parse_known_at(known_at)
    return {"plan": ws.plan(plan).to_json(), "known_at": known_at_json(point), "point": point}


@fees_app.command("trails")
@fee_run(nav=False)
def trails_cmd(
    ctx: typer.Context,
    positions: PositionsOpt,
    period: Annotated[str, typer.Option("--period", help="A quarter (2004-Q1) or a month (2004-01).")],
    run: FeeRun,
    due_days: DueOpt = 10,
    out_path: OutOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Dealer trails for one payment period: accrued, carried in, paid, carried out and
    forfeited per dealer and fund-class, with totals per dealer. Carries are computed from the
    agreements' first period, so one period gives the figures of running every period in turn."""
    from distplan.fees.sample import write_table
    from distplan.fees.trails import COLUMNS
    from distplan.fees.trailterms import parse_period

    frequency, chosen = parse_period(period)
    held = read_csv_positions(positions)
    with workspace(ctx) as ws:
        meta = plan_meta(ws, run.plan, run.known_at)
        with _running(run.engine, run.spark_master, json_) as (eng, _progress):
            asked = Run(meta.pop("point"), eng)
            result = ws.trails(
                run.plan, held if held is not None else positions, period, asked, due_days=due_days
            )
    _warn([Diagnostic("warning", w) for w in result.warnings])
    if out_path is not None:
        write_table(pa.Table.from_pylist([{c: r[c] for c in COLUMNS} for r in result.rows]), out_path)
    if json_:
        echo_json(
            json.dumps(
                {
                    **meta,
                    "period": chosen.label,
                    "frequency": frequency,
                    "trails": [json_row(r) for r in result.rows],
                    "totals": [json_row(t) for t in result.totals],
                    "warnings": result.warnings,
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    view = Table(*COLUMNS[1:], title=f"trails {chosen.label} ({frequency})")
    for r in result.rows:
        view.add_row(*(str(_plain(r[c])) for c in COLUMNS[1:]))
    out.print(view)
    money = ("accrued", "carried_in", "paid", "carried_out", "forfeited")
    sums = Table("dealer", "dealer_name", *money, title="totals per dealer")
    for t in result.totals:
        sums.add_row(t["dealer"], t["dealer_name"], *(str(t[m]) for m in money))
    out.print(sums)


def json_row(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in row.items()}


from distplan.cli import retention as _retention  # noqa: E402,F401  (registers retention, remaining)
