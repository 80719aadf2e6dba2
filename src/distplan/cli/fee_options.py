"""The command-line options the fees commands share, defined once: each as a Typer
annotation (`NavOpt`, `EngineOpt`, ...), and the run options every distributor command takes
(plan, known-at, engine, Spark master; rounding and missing NAV where NAV is read) as one
value, `FeeRun`, added to a command by `@fee_run(...)`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated, Any

import typer

from distplan.cli.options import KnownAtOpt, PlanOpt
from distplan.fees.engine import ENGINES
from distplan.fees.expressions import ROUNDINGS


class NavLocation(str):
    """A NAV file's path or URL, as typed: not a Path, which would fold a URL's '//'."""

    __slots__ = ()


NavOpt = Annotated[
    NavLocation,
    typer.Option(
        "--nav",
        parser=NavLocation,
        metavar="FILE|URL",  # a custom type would otherwise show as NAV (tests/cli/test_help.py)
        help="Net assets: CSV or Parquet (fund, share_class, date, net_assets); Parquet also as a URL"
        " (file://; hdfs://, s3a://... with --engine spark).",
    ),
]
EngineOpt = Annotated[str, typer.Option("--engine", help=f"Execution engine: {' or '.join(ENGINES)}.")]
MasterOpt = Annotated[str, typer.Option("--spark-master", help="Spark master URL (with --engine spark).")]
RoundingOpt = Annotated[str, typer.Option("--rounding", help=f"Rounding policy: {', '.join(ROUNDINGS)}.")]
CarryOpt = Annotated[
    bool,
    typer.Option(
        "--carry-missing", help="Carry the last NAV over missing NYSE days (a warning, not an error)."
    ),
]
MapOpt = Annotated[
    Path | None,
    typer.Option("--map", help="CSV key,fund,share_class: NAV rows keyed by ticker/CUSIP in `fund`."),
]
ColumnsOpt = Annotated[
    str | None,
    typer.Option(
        "--columns",
        metavar="FIELD=COLUMN,...",
        help="The NAV file's column names, e.g. fund=Portfolio,share_class=Class,date=As Of,net_assets=TNA.",
    ),
]
DueOpt = Annotated[int, typer.Option("--due-days", help="Payment due this many days after month end.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
MonthOpt = Annotated[str, typer.Option("--month", help="The month, YYYY-MM.")]
PositionsOpt = Annotated[
    Path,
    typer.Option(
        "--positions", help="CSV or Parquet: date, dealer, fund, share_class, purchase_month, net_assets."
    ),
]
OutOpt = Annotated[Path | None, typer.Option("--out", help="Write the rows to FILE.csv|.parquet.")]

DEFAULT_ROUNDING = "daily-cents-half-even"


@dataclass(frozen=True)
class FeeRun:
    """The run options of a distributor command, as typed (checked where they are used)."""

    known_at: str | None = None
    plan: str | None = None
    engine: str = "duckdb"
    spark_master: str = "local[*]"
    rounding: str = DEFAULT_ROUNDING
    carry_missing: bool = False


_OPTION = {
    "known_at": KnownAtOpt,
    "plan": PlanOpt,
    "engine": EngineOpt,
    "spark_master": MasterOpt,
    "rounding": RoundingOpt,
    "carry_missing": CarryOpt,
}
_NAV_ONLY = ("rounding", "carry_missing")


def fee_run(*, nav: bool) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Give a Typer command, whose function takes `run: FeeRun`, the run options in its place
    (with `nav`, also --rounding and --carry-missing). Typer reads the command's options from
    its signature: the signature shown to it lists the options, and the call packs them."""
    names = [f.name for f in fields(FeeRun) if nav or f.name not in _NAV_ONLY]

    def wrap(fn: Callable[..., None]) -> Callable[..., None]:
        shown = [p for p in inspect.signature(fn, eval_str=True).parameters.values() if p.name != "run"]
        added = [
            inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=_default(n), annotation=_OPTION[n])
            for n in names
        ]

        @functools.wraps(fn)
        def command(*args: Any, **kwargs: Any) -> None:
            fn(*args, run=FeeRun(**{n: kwargs.pop(n) for n in names}), **kwargs)

        params = [*shown, *added]
        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        return command

    return wrap


def _default(name: str) -> object:
    return next(f.default for f in fields(FeeRun) if f.name == name)
