"""CLI commands: `distplan report statement|board|ledger|sai|dealer`, reports to sign and hand
out, written atomically to -o OUT in the format --to names.

The figures come from the application layer (distplan.app.Workspace) through the builders in
distplan.reports; this module parses flags, reads the clock once (`--generated-at`, default
now) and writes the file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from distplan.cli.app import app
from distplan.cli.ledger import KnownAtOpt, PlanOpt, ledger_url, now
from distplan.cli.output import err, out
from distplan.errors import InputError

T = TypeVar("T")

report_app = typer.Typer(
    help="Reports to sign and hand out: statements, the board's quarterly report, the SAI table.",
    no_args_is_help=True,
)
app.add_typer(report_app, name="report")

ExpensesOpt = Annotated[
    Path | None,
    typer.Option("--expenses", help="A reimbursement plan's expenses by N-1A category (CSV: month, fund, "
                 "share_class, category, amount)."),
]  # fmt: skip
CarryInOpt = Annotated[
    Path | None,
    typer.Option(
        "--carry-in", help="Unreimbursed balances brought into the period (CSV: fund, share_class, amount)."
    ),
]


NavOpt = Annotated[
    Path, typer.Option("--nav", help="Net assets: CSV or Parquet (fund, share_class, date, net_assets).")
]
OutOpt = Annotated[Path, typer.Option("-o", "--output", metavar="OUT", help="The file to write.")]
GeneratedOpt = Annotated[
    str | None,
    typer.Option(
        "--generated-at", help="The generated-at stamp printed on the report (ISO timestamp; default now)."
    ),
]


def _stamp(value: str | None) -> datetime:
    if value is None or not value.strip():
        return now().replace(microsecond=0)
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--generated-at {value!r}: not an ISO timestamp") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _format(fmt: str, allowed: tuple[str, ...], command: str) -> str:
    if fmt not in allowed:
        raise InputError(f"report {command} --to {fmt!r}: expected one of {', '.join(allowed)}")
    return fmt


def _emit(ctx: typer.Context, build: Callable[..., object], fmt: str, output: Path, **kwargs: object) -> None:
    """Build the report, write it in `fmt` to `output` atomically, say what was written."""
    from distplan.app import Workspace
    from distplan.outputs import write_atomic
    from distplan.reports import Report, write
    from distplan.reports.common import Scope

    if output.is_dir():
        raise InputError(f"{output}: is a directory; give a file name to write")
    with Workspace.open(ledger_url(ctx)) as ws:
        scope = Scope(ws, kwargs.pop("plan"), kwargs.pop("known_at"))  # type: ignore[arg-type]
        report = build(scope, **kwargs)
        assert isinstance(report, Report)
        data, warnings = write(report, fmt)
    for w in warnings:
        err.print(f"warning: {w}", markup=False)
    write_atomic(output, data)
    out.print(f"wrote {output} ({fmt}, {len(data):,} bytes): {report.title}, {report.period}", markup=False)


def flag(flag: str, parse: Callable[[str, str], T], value: str) -> T:
    """A value parsed by the app layer, its error naming the flag."""
    from distplan.app.errors import AppError

    try:
        return parse(value, flag)
    except AppError as exc:
        raise InputError(f"{flag}: {exc}") from None


def _known(value: str | None) -> object:
    from distplan.app.values import parse_known_at

    return None if value is None else flag("--known-at", parse_known_at, value)


@report_app.command("statement")
def statement_cmd(
    ctx: typer.Context,
    nav: NavOpt,
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM.")],
    output: OutOpt,
    to: Annotated[str, typer.Option("--to", help="Output format: pdf, xlsx, csv or html.")] = "pdf",
    known_at: KnownAtOpt = None,
    plan: PlanOpt = None,
    generated_at: GeneratedOpt = None,
) -> None:
    """The distributor's statement for a month: per registrant, fund and class, the days,
    average daily net assets, fees by component and the due date, with totals."""
    from distplan.app.values import parse_month
    from distplan.reports.statement import statement

    fmt = _format(to, ("pdf", "xlsx", "csv", "html"), "statement")
    year, mon = flag("--month", parse_month, month)
    stamp = _stamp(generated_at)
    _emit(
        ctx, statement, fmt, output, plan=plan, known_at=_known(known_at), nav=nav, year=year, month=mon,
        generated_at=stamp,
    )  # fmt: skip


PositionsOpt = Annotated[
    Path | None,
    typer.Option("--positions", help="Dealer positions (CSV or Parquet): adds the dealer trails."),
]


@report_app.command("board")
def board_cmd(
    ctx: typer.Context,
    quarter: Annotated[str, typer.Option("--quarter", help="The quarter, 2003Q4 or 2003-Q4.")],
    nav: NavOpt,
    output: OutOpt,
    positions: PositionsOpt = None,
    sales: Annotated[
        Path | None,
        typer.Option(
            "--sales", help="Daily sales (CSV or Parquet), with --prime: adds the FINRA remaining amount."
        ),
    ] = None,
    prime: Annotated[
        Path | None,
        typer.Option("--prime", help="Prime rates, date,rate (bundled: examples/dealers/prime-rate.csv)."),
    ] = None,
    expenses: ExpensesOpt = None,
    carry_in: CarryInOpt = None,
    to: Annotated[str, typer.Option("--to", help="Output format: pdf, docx, xlsx or html.")] = "pdf",
    plan: PlanOpt = None,
    known_at: KnownAtOpt = None,
    generated_at: GeneratedOpt = None,
) -> None:
    """The board's quarterly 12b-1 report: fees per fund and class and by month, paid to the
    distributor (due dates), plan totals, dealer trails and the distributor's retention (with
    --positions), the FINRA Rule 2341(d) remaining amount on the quarter's last day (with --sales
    and --prime), the findings open on the quarter's last day, the next quarter's deadlines and
    the instruments in force; with --expenses (a reimbursement plan), the spending by N-1A
    category and the unreimbursed amounts carried over."""
    from distplan.reports.board import Quarter, board

    fmt = _format(to, ("pdf", "docx", "xlsx", "html"), "board")
    chosen = Quarter.parse(quarter)
    if (sales is None) != (prime is None):
        raise InputError("--sales FILE and --prime FILE go together")
    stamp = _stamp(generated_at)
    _emit(
        ctx, board, fmt, output, plan=plan, known_at=_known(known_at), nav=nav, quarter=chosen,
        generated_at=stamp, positions=positions, sales=sales, prime=prime, expenses=expenses,
        carry_in=carry_in,
    )  # fmt: skip


@report_app.command("ledger")
def ledger_cmd(
    ctx: typer.Context,
    as_of: Annotated[str, typer.Option("--as-of", help="The day, YYYY-MM-DD.")],
    output: OutOpt,
    generated_at: GeneratedOpt = None,
    to: Annotated[str, typer.Option("--to", help="Output format: pdf, xlsx or html.")] = "pdf",
    plan: PlanOpt = None,
    known_at: KnownAtOpt = None,
) -> None:
    """The ledger report an auditor files: instruments, terms, voids and governance facts with
    their status on the day, the schedule in force, every entry's hash, the verify result."""
    from distplan.app.values import parse_date
    from distplan.reports.ledger_report import ledger_report

    fmt = _format(to, ("pdf", "xlsx", "html"), "ledger")
    day = flag("--as-of", parse_date, as_of)
    _emit(ctx, ledger_report, fmt, output, plan=plan, known_at=_known(known_at), as_of=day,
          generated_at=_stamp(generated_at))  # fmt: skip


@report_app.command("sai")
def sai_cmd(
    ctx: typer.Context,
    fiscal_year_end: Annotated[str, typer.Option("--fiscal-year-end", help="The fiscal year's last day.")],
    nav: NavOpt,
    output: OutOpt,
    to: Annotated[str, typer.Option("--to", help="Output format: docx, xlsx, pdf or html.")] = "docx",
    plan_type: Annotated[
        str, typer.Option("--plan-type", help="compensation, or reimbursement (needs --expenses).")
    ] = "compensation",
    expenses: ExpensesOpt = None,
    carry_in: CarryInOpt = None,
    known_at: KnownAtOpt = None,
    plan: PlanOpt = None,
    generated_at: GeneratedOpt = None,
) -> None:
    """The SAI's Form N-1A Item 19(g) table for a fiscal year: dollars by category (i)-(vii)
    and in total per fund and class, the plan type, and unreimbursed amounts carried over in
    dollars and as a % of net assets on the year's last day."""
    from distplan.app.values import parse_date
    from distplan.reports.sai import sai

    fmt = _format(to, ("docx", "xlsx", "pdf", "html"), "sai")
    day = flag("--fiscal-year-end", parse_date, fiscal_year_end)
    if plan_type not in ("compensation", "reimbursement"):
        raise InputError(f"--plan-type {plan_type!r}: expected compensation or reimbursement")
    if (plan_type == "reimbursement") != (expenses is not None):
        raise InputError("--plan-type reimbursement and --expenses FILE go together")
    _emit(ctx, sai, fmt, output, plan=plan, known_at=_known(known_at), nav=nav, year_end=day,
          generated_at=_stamp(generated_at), expenses=expenses, carry_in=carry_in)  # fmt: skip


@report_app.command("dealer")
def dealer_cmd(
    ctx: typer.Context,
    dealer: Annotated[str, typer.Option("--dealer", help="The dealer's id, as recorded.")],
    output: OutOpt,
    period: Annotated[str, typer.Option("--period", help="A quarter (2004-Q1) or a month (2004-01).")],
    positions: Annotated[Path, typer.Option("--positions", help="Dealer positions, CSV or Parquet.")],
    generated_at: GeneratedOpt = None,
    known_at: KnownAtOpt = None,
    to: Annotated[str, typer.Option("--to", help="Output format: pdf, xlsx or html.")] = "pdf",
    plan: PlanOpt = None,
) -> None:
    """A dealer's trail statement for a payment period (the figures of `distplan fees trails`)."""
    from distplan.reports.dealer import dealer_statement

    fmt = _format(to, ("pdf", "xlsx", "html"), "dealer")
    _emit(ctx, dealer_statement, fmt, output, plan=plan, known_at=_known(known_at), positions=positions,
          period=period, dealer=dealer, generated_at=_stamp(generated_at))  # fmt: skip
