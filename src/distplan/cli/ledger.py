"""CLI commands: the plan history (init, record, plans, terms set, schedule, diff, timeline,
history, void, verify) and the global `--db` option.

This is the only layer that reads the clock: it passes `recorded_at` and `as_of` down.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from distplan import history as H
from distplan.cli.app import DB_META as _DB_META
from distplan.cli.app import app, terms_app
from distplan.cli.output import echo_json, err, error_line, out
from distplan.errors import InputError
from distplan.ledger import KIND_TERMS, Entry, Ledger, Pending, Plan
from distplan.ledger.engine import display_url
from distplan.model import instrument_from_json

_TEXT_SUFFIXES = (".txt", ".htm", ".html")


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
PlanOpt = Annotated[
    str | None, typer.Option("--plan", help="Plan id or a unique part of its name (omit with one plan).")
]
KnownAtOpt = Annotated[
    str | None,
    typer.Option(
        "--known-at",
        help="What the ledger knew: at entry SEQ, or at an ISO TIMESTAMP (a bare date: that day's end, UTC).",
    ),
]


def ledger_url(ctx: typer.Context) -> str | None:
    """The `--db` URL given to this invocation (None: $DISTPLAN_DATABASE_URL or the default)."""
    value = ctx.meta.get(_DB_META)
    return value if isinstance(value, str) else None


def open_ledger(ctx: typer.Context) -> Ledger:
    """The ledger this invocation works on (other command modules use this too)."""
    return Ledger.open(ledger_url(ctx))


def now() -> datetime:
    return datetime.now(UTC)


# --- argument parsing -----------------------------------------------------------------------


def parse_date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"{option} {value!r}: not a date (YYYY-MM-DD)") from None


def parse_known_at(value: str | None) -> datetime | int | None:
    """An entry seq (digits) or a timestamp; a bare date means the end of that day (UTC)."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return int(text)
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1, microseconds=-1)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--known-at {value!r}: expected an entry number or an ISO timestamp") from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def known_at_json(known_at: datetime | int | None) -> str | int | None:
    return known_at.isoformat() if isinstance(known_at, datetime) else known_at


def parse_rate(value: str | None, option: str) -> Decimal | None:
    if value is None:
        return None
    try:
        rate = Decimal(value.strip().rstrip("%"))
    except InvalidOperation:
        raise InputError(f"{option} {value!r}: not a percentage such as 0.25") from None
    if not rate.is_finite() or rate < 0:
        raise InputError(f"{option} {value!r}: not a non-negative percentage")
    return rate


def emit_json(data: dict[str, Any] | Any, *, row_lists: tuple[str, ...] = ()) -> None:
    """Indented JSON. The lists named in `row_lists` (top-level keys) get one compact row per
    line: the same JSON, but encoded by the C encoder (indent=2 of 11,000 schedule rows took
    ~2 s in the pure-Python one)."""
    if not row_lists or not isinstance(data, dict):
        echo_json(json.dumps(data, indent=2, ensure_ascii=False))
        return
    parts = []
    for key, value in data.items():
        head = f"  {json.dumps(key, ensure_ascii=False)}: "
        if key in row_lists and isinstance(value, list) and value:
            rows = ",\n".join(f"    {json.dumps(row, ensure_ascii=False)}" for row in value)
            parts.append(f"{head}[\n{rows}\n  ]")
        else:
            parts.append(head + json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  "))
    echo_json("{\n" + ",\n".join(parts) + "\n}" if parts else "{}")


def show_warnings(lines: list[str]) -> None:
    for line in dict.fromkeys(lines):
        err.print(f"warning: {line}")


# --- reading input files --------------------------------------------------------------------


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # old EDGAR filings


def load_instrument(path: Path) -> Pending:
    """Extract a filed exhibit, or read an instrument in `distplan extract` JSON."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".json":
        text = _read_text(path)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
        return Pending(instrument_from_json(data, where=str(path)), text, str(path))
    if suffix in _TEXT_SUFFIXES:
        from distplan.documents.extract import extract_path

        return Pending(extract_path(path), _read_text(path), str(path))
    raise InputError(
        f"{path}: unsupported file type {suffix or '(none)'} (expected .txt, .htm, .html or .json)"
    )


def _progress(total: int) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=total < 2 or not err.is_terminal,
    )


# --- commands -------------------------------------------------------------------------------


@app.command()
def init(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Create (or migrate) the ledger database."""
    with open_ledger(ctx) as ledger:
        head = ledger.head_seq()
        if json_:
            emit_json({"url": display_url(ledger.url), "entries": head})
        else:
            out.print(f"ledger ready: {display_url(ledger.url)} ({head} entries)")


@dataclass
class _Change:
    added: int
    removed: int
    changed: int


def _change_summary(entries: list[Entry], plan: Plan, day: date) -> _Change:
    d = H.diff(entries, plan, day - timedelta(days=1), day)
    return _Change(len(d["added"]), len(d["removed"]), len(d["changed"]))


@app.command()
def record(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="Exhibits (.txt/.htm/.html) or instrument JSON.")],
    force: Annotated[bool, typer.Option("--force", help="Record despite extraction errors.")] = False,
    plan_ref: PlanOpt = None,
    recorded_at: Annotated[
        str | None, typer.Option("--recorded-at", help="Recording time (ISO); default: now, UTC.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Extract and record instruments (idempotent: a file already recorded adds nothing)."""
    at = now()
    if recorded_at is not None:
        parsed = parse_known_at(recorded_at)
        if not isinstance(parsed, datetime):
            raise InputError(f"--recorded-at {recorded_at!r}: expected an ISO timestamp")
        at = parsed
    governance = [f for f in files if _is_governance_file(f)]
    if governance:
        # Governance facts (board votes, reports, agreements) go to the compliance loader.
        _record_governance(ctx, governance, plan_ref, at, json_)
        files = [f for f in files if f not in governance]
        if not files:
            return
    with _progress(len(files)) as progress:
        task = progress.add_task("extracting", total=len(files))
        pending = []
        for path in files:
            pending.append(load_instrument(path))
            progress.advance(task)
        progress.update(task, description="recording", completed=0)
        with open_ledger(ctx) as ledger:
            results = ledger.record_many(
                pending, recorded_at=at, force=force, progress=lambda n: progress.advance(task, n)
            )
            entries = ledger.entries()
    recorded, unchanged, warnings = [], [], []
    plans = {r.plan.id: r.plan for r in results}
    for plan in plans.values():
        warnings.extend(H.warnings(entries, plan))
    for result in results:
        entry = result.entry
        if entry is None:
            unchanged.append(
                {"path": result.path, "duplicate_of": result.duplicate_of, "reason": result.duplicate_reason}
            )
            continue
        label = H.instrument_label(entry)
        later = [
            e
            for e in entries
            if e.kind == "instrument"
            and e.plan_id == entry.plan_id
            and e.seq < entry.seq
            and e.effective_date is not None
            and entry.effective_date is not None
            and e.effective_date > entry.effective_date
        ]
        if later:
            warnings.append(
                f"{label} is retroactive: effective {entry.effective_date}, before "
                f"{H.instrument_label(later[-1])}; --known-at {entry.seq - 1} shows the state before it"
            )
        item: dict[str, Any] = {
            **entry.to_json(),
            "path": result.path,
            "instrument": label,
            "plan": result.plan.to_json(),
            "plan_created": result.plan_created,
        }
        if entry.effective_date is not None:
            change = _change_summary(entries, result.plan, entry.effective_date)
            item["changes"] = {"added": change.added, "removed": change.removed, "changed": change.changed}
        recorded.append(item)
    show_warnings(warnings)
    if json_:
        emit_json({"recorded": recorded, "unchanged": unchanged, "warnings": list(dict.fromkeys(warnings))})
        return
    for item in recorded:
        note = " (new plan)" if item["plan_created"] else ""
        changes = item.get("changes")
        summary = (
            f": {changes['added']} {'row' if changes['added'] == 1 else 'rows'} added, "
            f"{changes['removed']} removed, {changes['changed']} changed"
            if changes
            else ""
        )
        out.print(
            f"recorded entry {item['seq']}: {item['instrument']} effective {item['effective_date']} "
            f"in plan {item['plan']['id']} {item['plan']['title']}{note}{summary}"
        )
    for item in unchanged:
        seq, why = item["duplicate_of"], item["reason"]
        out.print(f"unchanged: {item['path']} is already recorded as entry {seq} ({why})")


def _is_governance_file(path: Path) -> bool:
    if path.suffix.lower() in (".yaml", ".yml"):
        return True
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    from distplan.compliance.loader import is_governance_document

    try:
        return is_governance_document(json.loads(path.read_text(encoding="utf-8-sig")))
    except (ValueError, OSError):
        return False  # the instrument loader reports the problem with the file


def _record_governance(
    ctx: typer.Context, paths: list[Path], plan_ref: str | None, at: datetime, json_: bool
) -> None:
    from distplan.compliance.loader import load_governance
    from distplan.compliance.sources import check_governance_names, record_governance

    loaded = [(path, load_governance(path), _read_text(path)) for path in paths]  # all valid before any write
    results = []
    with open_ledger(ctx) as ledger:
        targets = [ledger.resolve_plan(plan_ref or (f.plan.ref if f.plan else None)) for _, f, _ in loaded]
        for (_, facts, _), target in zip(loaded, targets, strict=True):
            check_governance_names(ledger, target, facts)  # every file, before any is recorded
        for (path, facts, text), target in zip(loaded, targets, strict=True):
            entry = record_governance(ledger, target, facts, text, path=str(path), recorded_at=at)
            results.append((path, target, entry))
    if json_:
        emit_json(
            {
                "governance": [
                    {"path": str(p), "plan": t.to_json(), "entry": e.to_json() if e else None}
                    for p, t, e in results
                ]
            }
        )
        return
    for path, target, entry in results:
        if entry is None:
            out.print(f"unchanged: {path} is already recorded (governance)", markup=False)
        else:
            out.print(
                f"recorded entry {entry.seq}: governance facts from {path} for plan {target.id} {target.title}",
                markup=False,
            )


@app.command()
def plans(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """List the plans in the ledger."""
    with open_ledger(ctx) as ledger:
        found = ledger.plans()
        entries = ledger.entries(kinds=["instrument"])
    counts = {p.id: sum(1 for e in entries if e.plan_id == p.id) for p in found}
    if json_:
        emit_json({"plans": [{**p.to_json(), "instruments": counts[p.id]} for p in found]})
        return
    if not found:
        out.print("no plans yet: record an instrument (distplan record FILE)")
        return
    table = Table("id", "title", "share class", "instruments")
    for p in found:
        table.add_row(str(p.id), p.title, p.share_class or "", str(counts[p.id]))
    out.print(table)


@terms_app.command("set")
def terms_set(
    ctx: typer.Context,
    effective: Annotated[str, typer.Option("--effective", help="Effective date of these terms.")],
    source: Annotated[str, typer.Option("--source", help="Where the terms are written (provenance).")],
    distribution: Annotated[str | None, typer.Option("--distribution", help="Asset-based % a year.")] = None,
    service: Annotated[str | None, typer.Option("--service", help="Service fee % a year.")] = None,
    aggregate: Annotated[str | None, typer.Option("--aggregate", help="Aggregate cap % a year.")] = None,
    fund: Annotated[str | None, typer.Option("--fund", help="Only this fund.")] = None,
    share_class: Annotated[str | None, typer.Option("--class", help="Only this share class.")] = None,
    plan: PlanOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Record plan terms a schedule does not state (a row's own rates still win)."""
    payload = H.terms_payload(
        distribution=parse_rate(distribution, "--distribution"),
        service=parse_rate(service, "--service"),
        aggregate=parse_rate(aggregate, "--aggregate"),
        source=source,
        fund=fund,
        share_class=share_class,
    )
    day = parse_date(effective, "--effective")
    with open_ledger(ctx) as ledger:
        chosen = ledger.resolve_plan(plan)
        entry = ledger.append(
            KIND_TERMS, chosen.id, payload, recorded_at=now(), effective_date=day, source_text=source
        )
        named = H.named_funds(ledger.entries(kinds=["instrument"], plan_id=chosen.id))
    if fund is not None and H.fold(fund) not in named:
        show_warnings([f"--fund {fund!r}: no recorded instrument of plan {chosen.id} names it (yet)"])
    if json_:
        emit_json({**entry.to_json(), "payload": entry.payload, "plan": chosen.to_json()})
        return
    rates = ", ".join(f"{k.split('_')[0]} {v}%" for k, v in payload["rates"].items())
    scope = " ".join(x for x in (fund, f"class {share_class}" if share_class else None) if x) or "every row"
    out.print(f"recorded entry {entry.seq}: terms for {scope} of plan {chosen.id} from {day}: {rates}")


def _read(
    ctx: typer.Context, plan: str | None, known_at: str | None
) -> tuple[list[Entry], Plan, datetime | int | None]:
    point = parse_known_at(known_at)
    with open_ledger(ctx) as ledger:
        chosen = ledger.resolve_plan(plan)
        entries = ledger.entries(known_at=point)
    return entries, chosen, point


def _rate(value: str | None) -> str:
    return "" if value is None else f"{value}%"


@app.command()
def schedule(
    ctx: typer.Context,
    as_of: Annotated[str, typer.Option("--as-of", help="The day (valid time).")],
    known_at: KnownAtOpt = None,
    plan: PlanOpt = None,
    json_: JsonOpt = False,
) -> None:
    """The schedule in force on a day, with rates and the instrument behind each row."""
    day = parse_date(as_of, "--as-of")
    entries, chosen, point = _read(ctx, plan, known_at)
    state = H.plan_state(entries, chosen, day, known_at=point)
    if json_:
        emit_json(
            {
                "as_of": day.isoformat(),
                "known_at": known_at_json(point),
                "plan": chosen.to_json(),
                "message": state.message(),
                "instruments": list(state.instruments),
                "warnings": list(state.warnings),
                "rows": [line.to_json() for line in state.rows],
            },
            row_lists=("rows",),
        )
        return
    show_warnings(list(state.warnings))
    out.print(f"{chosen.label}: {state.message()}")
    if not state.rows:
        return
    table = Table(
        "registrant", "fund", "class", "distribution", "service", "aggregate", "since", "instrument"
    )
    for line in state.rows:
        r = line.rates()
        table.add_row(
            line.registrant or "",
            line.fund,
            line.share_class or "",
            _rate(r["distribution_fee"]),
            _rate(r["service_fee"]),
            _rate(r["aggregate_fee"]),
            line.since.isoformat(),
            line.instrument,
        )
    out.print(table)


@app.command()
def diff(
    ctx: typer.Context,
    from_: Annotated[str, typer.Option("--from", help="Earlier day.")],
    to: Annotated[str, typer.Option("--to", help="Later day.")],
    known_at: KnownAtOpt = None,
    plan: PlanOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Rows added, removed and changed between two days."""
    start, end = parse_date(from_, "--from"), parse_date(to, "--to")
    entries, chosen, point = _read(ctx, plan, known_at)
    result = H.diff(entries, chosen, start, end)
    if json_:
        emit_json({**result, "known_at": known_at_json(point), "plan": chosen.to_json()})
        return
    out.print(
        f"{chosen.label}, {start} -> {end}: {len(result['added'])} added, "
        f"{len(result['removed'])} removed, {len(result['changed'])} changed"
    )
    for row in result["added"]:
        out.print(
            f"  + {row['fund']} ({row['share_class'] or '-'}), {row['registrant']}  [{row['instrument']}]"
        )
    for row in result["removed"]:
        out.print(f"  - {row['fund']} ({row['share_class'] or '-'}), {row['registrant']}")
    for ch in result["changed"]:
        parts = "; ".join(f"{f}: {ch['from'][f]} -> {ch['to'][f]}" for f in ch["fields"])
        out.print(f"  ~ {ch['fund']} ({ch['share_class'] or '-'}): {parts}  [{ch['instrument']}]")


@app.command()
def timeline(
    ctx: typer.Context,
    fund: Annotated[str, typer.Argument(help="Fund name (case and punctuation ignored).")],
    share_class: Annotated[str | None, typer.Option("--class", help="Only this share class.")] = None,
    known_at: KnownAtOpt = None,
    plan: PlanOpt = None,
    json_: JsonOpt = False,
) -> None:
    """A fund's coverage by the plan over time, split wherever anything about it changed."""
    entries, chosen, point = _read(ctx, plan, known_at)
    result = H.timeline(entries, chosen, fund, share_class)
    if json_:
        emit_json({**result, "known_at": known_at_json(point)})
        return
    spans = ", ".join(f"[{c['start']}, {c['end'] or '...'})" for c in result["coverage"]) or "never covered"
    out.print(f"{result['fund']} under {chosen.label}: covered {spans}")
    table = Table("start", "end", "registrant", "class", "distribution", "service", "aggregate", "instrument")
    for p in result["periods"]:
        table.add_row(
            p["start"],
            p["end"] or "",
            p["registrant"] or "",
            p["share_class"] or "",
            _rate(p["rates"]["distribution_fee"]),
            _rate(p["rates"]["service_fee"]),
            _rate(p["rates"]["aggregate_fee"]),
            p["instrument"],
        )
    out.print(table)


@app.command("history")
def history_cmd(
    ctx: typer.Context,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Status as of this day (default today).")
    ] = None,
    known_at: KnownAtOpt = None,
    plan: PlanOpt = None,
    json_: JsonOpt = False,
) -> None:
    """The plan's instruments and terms in effective order, with their status."""
    day = parse_date(as_of, "--as-of") if as_of else now().date()
    entries, chosen, point = _read(ctx, plan, known_at)
    items = H.history(entries, chosen, day)
    warnings = H.warnings(entries, chosen)
    if json_:
        emit_json(
            {
                "plan": chosen.to_json(),
                "as_of": day.isoformat(),
                "known_at": known_at_json(point),
                "warnings": warnings,
                "entries": [it.to_json() for it in items],
            }
        )
        return
    show_warnings(warnings)
    table = Table("seq", "effective", "instrument", "recorded at", "status")
    for it in items:
        status = it.status + (f" ({it.note})" if it.note else "")
        table.add_row(
            str(it.seq),
            it.effective_date.isoformat() if it.effective_date else "",
            it.label,
            it.recorded_at,
            status,
        )
    out.print(f"{chosen.label}, status as of {day}:")
    out.print(table)


@app.command()
def void(
    ctx: typer.Context,
    entry: Annotated[int, typer.Argument(help="The seq of the entry to void.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the ledger).")],
    json_: JsonOpt = False,
) -> None:
    """Void an entry: a new entry; the old one stays, marked void from now on."""
    with open_ledger(ctx) as ledger:
        made = ledger.void(entry, reason, recorded_at=now())
    if json_:
        emit_json({**made.to_json(), "payload": made.payload})
        return
    out.print(f"recorded entry {made.seq}: entry {entry} is void ({reason.strip()})")


@app.command()
def verify(
    ctx: typer.Context,
    expect_head: Annotated[
        str | None,
        typer.Option(
            "--expect-head", help="A head hash noted earlier; fail if it is no longer in the chain."
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Recompute the hash chain; exit 1 naming the first broken entry."""
    with open_ledger(ctx) as ledger:
        report = ledger.verify(expect_head=expect_head.strip().lower() if expect_head else None)
    if json_:
        emit_json(report.to_json())
    elif report.ok:
        out.print(f"ok: {report.entries} entries, chain intact (head {report.head})")
    else:
        where = f"entry {report.first_broken}" if report.first_broken is not None else "the ledger"
        error_line(f"chain broken at {where}: {report.problem}")
    if not report.ok:
        raise typer.Exit(code=1)
