"""CLI commands: the plan history (init, record, plans, terms set, schedule, diff, timeline,
history, void, verify) and the global `--db` option.

This is the only layer that reads the clock: it passes `recorded_at` and `as_of` down.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
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
from distplan.ledger.identity import decode_source
from distplan.ledger.recordable import forced_warnings
from distplan.ledger.store import check_pending
from distplan.model import instrument_from_json
from distplan.validation import check_date, check_json_strings
from distplan.validation import parse_date as _parse_date
from distplan.validation import parse_rate as _parse_rate

_TEXT_SUFFIXES = (".txt", ".htm", ".html")


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
PlanOpt = Annotated[
    str | None, typer.Option("--plan", help="Plan id or a unique part of its name (omit with one plan).")
]
RecordedAtOpt = Annotated[
    str | None,
    typer.Option(
        "--recorded-at",
        help="Recording time (ISO timestamp; a bare date is 00:00 UTC); default: now. Never in "
        "the future, never before the last entry's.",
    ),
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


def open_ledger(ctx: typer.Context, *, create: bool = False) -> Ledger:
    """The ledger this invocation works on (other command modules use this too). Only `init`
    and `record` may create it: a read of a missing (or mistyped) ledger is an error."""
    return Ledger.open(ledger_url(ctx), create=create)


def now() -> datetime:
    return datetime.now(UTC)


# --- argument parsing -----------------------------------------------------------------------


def parse_date(value: str, option: str) -> date:
    """A date option: ISO, and plausible (1970..2200)."""
    return _parse_date(value, option)


def parse_recorded_at(value: str | None, clock: datetime) -> tuple[datetime, bool]:
    """The recording time and whether the user chose it: never ahead of the clock (a future
    time would stamp every later entry); a bare date is that day's start, UTC."""
    if value is None:
        return clock, False
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            f"--recorded-at {value!r}: not an ISO timestamp (e.g. 2003-12-01T12:00:00Z)"
        ) from None
    moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    check_date(moment.astimezone(UTC).date(), "--recorded-at")
    if moment > clock:
        raise InputError(
            f"--recorded-at {value!r}: in the future (the clock says {clock.isoformat(timespec='seconds')}); "
            "recording time is never ahead of the clock"
        )
    return moment.astimezone(UTC), True


def parse_known_at(value: str | None) -> datetime | int | None:
    """An entry seq (digits) or a timestamp; a bare date means the end of that day (UTC).
    The app layer's parser, its error worded for the flag."""
    from distplan.app.errors import Invalid
    from distplan.app.values import parse_known_at as parse

    if value is None:
        return None
    try:
        point = parse(value)
    except Invalid:
        point = None
    if point is None:  # unparsable, or blank (the app layer reads blank as "not given")
        raise InputError(f"--known-at {value!r}: expected an entry number or an ISO timestamp")
    return point


def known_at_json(known_at: datetime | int | None) -> str | int | None:
    return known_at.isoformat() if isinstance(known_at, datetime) else known_at


def parse_rate(value: str | None, option: str) -> Decimal | None:
    """A percentage a year: 0 to 100, plain digits, at most four decimals."""
    return None if value is None else _parse_rate(value, option)


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


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _read_text(path: Path) -> str:
    return decode_source(_read_bytes(path))


def load_instruments(path: Path) -> list[Pending]:
    """Extract a filed exhibit (or each Rule 12b-1 exhibit of a full EDGAR submission), or read
    an instrument in `distplan extract` JSON. The bytes are kept as they are (the ledger stores
    them exactly): a submission's exhibit stores its own text, never the prospectus around it."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in _TEXT_SUFFIXES:
        from distplan.documents import submission

        if submission.is_submission_file(path):
            return [
                Pending(
                    submission.extract_exhibit(path, exhibit),
                    decode_source(exhibit.text),
                    str(path),
                    exhibit.text,
                )
                for exhibit in submission.exhibits_of(path)
            ]
    if suffix == ".json":
        data = _read_bytes(path)
        text = decode_source(data)
        try:
            decoded = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from None
        except RecursionError:
            raise InputError(f"{path}: JSON nested too deeply") from None
        check_json_strings(decoded, str(path))
        return [Pending(instrument_from_json(decoded, where=str(path)), text, str(path), data)]
    if suffix in _TEXT_SUFFIXES:
        from distplan.documents.extract import extract_path

        data = _read_bytes(path)
        return [Pending(extract_path(path), decode_source(data), str(path), data)]
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
    with open_ledger(ctx, create=True) as ledger:
        head, digest = ledger.head()
        if json_:
            emit_json(
                {"url": display_url(ledger.url), "entries": head, "head": digest, "created": ledger.created}
            )
        else:
            made = "created" if ledger.created else "ready"
            out.print(f"ledger {made}: {display_url(ledger.url)} ({head} entries)", markup=False)


def head_json(ledger: Ledger) -> dict[str, Any]:
    seq, digest = ledger.head()
    return {"seq": seq, "hash": digest}


def show_head(head: dict[str, Any]) -> None:
    """After every write: the head hash, to keep outside the database (docs/history.md)."""
    err.print(
        f"ledger head: entry {head['seq']} {head['hash']} (keep it elsewhere; "
        "distplan verify --expect-head HASH checks it)",
        markup=False,
    )


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
    files: Annotated[
        list[Path], typer.Argument(help="Exhibits (.txt/.htm/.html), instrument JSON, governance YAML/JSON.")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Record despite extraction errors or low confidence.")
    ] = False,
    plan_ref: PlanOpt = None,
    recorded_at: RecordedAtOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Extract and record instruments and governance files, all in ONE transaction
    (idempotent: a document already recorded adds nothing)."""
    at, chosen_time = parse_recorded_at(recorded_at, now())
    governance = [f for f in files if _is_governance_file(f)]
    files = [f for f in files if f not in governance]
    loaded = _load_governance(governance)  # everything is read and checked before any write
    with _progress(len(files)) as progress:
        task = progress.add_task("extracting", total=len(files))
        pending = []
        for path in files:
            pending.extend(load_instruments(path))
            progress.advance(task)
        check_pending(pending, force=force)  # refused before a new ledger is even made
        progress.update(task, description="recording", completed=0)
        with open_ledger(ctx, create=True) as ledger, ledger.transaction(exact_time=chosen_time):
            plan = _record_plan(ledger, plan_ref) if pending else None
            results = ledger.record_many(
                pending, recorded_at=at, force=force, plan=plan, progress=lambda n: progress.advance(task, n)
            )
            gov = _record_governance_files(ledger, plan_ref, at, loaded)
            report = _record_report(ledger, results, pending if force else [])
            report["governance"] = [
                {"path": p, "plan": t.to_json(), "entry": e.to_json() if e else None} for p, t, e in gov
            ]
            written = any(r["seq"] for r in report["recorded"]) or any(e for _, _, e in gov)
            head = head_json(ledger) if written else None
            created = ledger.created
            url = display_url(ledger.url)
    if created:
        err.print(f"created a new ledger: {url}", markup=False)
    show_warnings(report["warnings"])
    if json_:
        emit_json({**report, "head": head})
        return
    _print_record_report(report)
    if head is not None:
        show_head(head)


def _record_plan(ledger: Ledger, plan_ref: str | None) -> Plan | None:
    """`record --plan P`: every instrument must belong to P (an unknown P is refused)."""
    if plan_ref is None:
        return None
    if not ledger.plans():
        raise InputError(f"--plan {plan_ref}: the ledger has no plans yet; leave out --plan")
    return ledger.resolve_plan(plan_ref)


def _record_report(ledger: Ledger, results: list[Any], forced: list[Pending]) -> dict[str, Any]:
    """What `record` says about the instruments; computed inside the transaction, so a
    failure here leaves nothing written."""
    entries = ledger.entries()
    recorded: list[dict[str, Any]] = []
    unchanged: list[dict[str, Any]] = []
    warnings: list[str] = []
    for doubtful in forced:
        warnings.extend(forced_warnings(doubtful.instrument, doubtful.where))
    for plan in {r.plan.id: r.plan for r in results}.values():
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
    return {"recorded": recorded, "unchanged": unchanged, "warnings": list(dict.fromkeys(warnings))}


def _print_record_report(report: dict[str, Any]) -> None:
    for item in report["recorded"]:
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
            f"in plan {item['plan']['id']} {item['plan']['title']}{note}{summary}",
            markup=False,
        )
    for item in report["unchanged"]:
        seq, why = item["duplicate_of"], item["reason"]
        out.print(f"unchanged: {item['path']} is already recorded as entry {seq} ({why})", markup=False)
    for gov in report["governance"]:
        entry, target = gov["entry"], gov["plan"]
        if entry is None:
            out.print(f"unchanged: {gov['path']} is already recorded (governance)", markup=False)
        else:
            out.print(
                f"recorded entry {entry['seq']}: governance facts from {gov['path']} for plan "
                f"{target['id']} {target['title']}",
                markup=False,
            )


def _is_governance_file(path: Path) -> bool:
    if path.suffix.lower() in (".yaml", ".yml"):
        return True
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    from distplan.compliance.loader import is_governance_document

    try:
        return is_governance_document(json.loads(path.read_text(encoding="utf-8-sig")))
    except (ValueError, OSError, RecursionError):
        return False  # the instrument loader reports the problem with the file


def _load_governance(paths: list[Path]) -> list[tuple[Path, Any, str]]:
    """Governance files through the compliance loader: all valid before any write."""
    if not paths:
        return []
    from distplan.compliance.loader import load_governance

    return [(path, load_governance(path), _read_text(path)) for path in paths]


def _record_governance_files(
    ledger: Ledger, plan_ref: str | None, at: datetime, loaded: list[tuple[Path, Any, str]]
) -> list[tuple[str, Plan, Entry | None]]:
    """Inside the command's transaction, after its instruments (a file may name them)."""
    from distplan.compliance.sources import check_governance_names, record_governance

    targets = [ledger.resolve_plan(plan_ref or (f.plan.ref if f.plan else None)) for _, f, _ in loaded]
    for (_, facts, _), target in zip(loaded, targets, strict=True):
        check_governance_names(ledger, target, facts)  # every file, before any is recorded
    return [
        (str(path), target, record_governance(ledger, target, facts, text, path=str(path), recorded_at=at))
        for (path, facts, text), target in zip(loaded, targets, strict=True)
    ]


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
    recorded_at: RecordedAtOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Record plan terms a schedule does not state (a row's own rates still win)."""
    at, chosen_time = parse_recorded_at(recorded_at, now())
    payload = H.terms_payload(
        distribution=parse_rate(distribution, "--distribution"),
        service=parse_rate(service, "--service"),
        aggregate=parse_rate(aggregate, "--aggregate"),
        source=source,
        fund=fund,
        share_class=share_class,
    )
    day = parse_date(effective, "--effective")
    with open_ledger(ctx) as ledger, ledger.transaction(exact_time=chosen_time):
        chosen = ledger.resolve_plan(plan)
        entry = ledger.append(
            KIND_TERMS, chosen.id, payload, recorded_at=at, effective_date=day, source_text=source
        )
        named = H.named_funds(ledger.entries(kinds=["instrument"], plan_id=chosen.id))
        head = head_json(ledger)
    if fund is not None and H.fold(fund) not in named:
        show_warnings([f"--fund {fund!r}: no recorded instrument of plan {chosen.id} names it (yet)"])
    if json_:
        emit_json({**entry.to_json(), "payload": entry.payload, "plan": chosen.to_json(), "head": head})
        return
    rates = ", ".join(f"{k.split('_')[0]} {v}%" for k, v in payload["rates"].items())
    scope = " ".join(x for x in (fund, f"class {share_class}" if share_class else None) if x) or "every row"
    out.print(
        f"recorded entry {entry.seq}: terms for {scope} of plan {chosen.id} from {day}: {rates}", markup=False
    )
    show_head(head)


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
    entry: Annotated[
        int, typer.Argument(help="The seq of the entry to void.", metavar="SEQ", min=1, max=2**63 - 1)
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept in the ledger).")],
    recorded_at: RecordedAtOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Void an entry: a new entry; the old one stays, marked void from now on."""
    at, chosen_time = parse_recorded_at(recorded_at, now())
    with open_ledger(ctx) as ledger, ledger.transaction(exact_time=chosen_time):
        made = ledger.void(entry, reason, recorded_at=at)
        head = head_json(ledger)
    if json_:
        emit_json({**made.to_json(), "payload": made.payload, "head": head})
        return
    out.print(f"recorded entry {made.seq}: entry {entry} is void ({reason.strip()})", markup=False)
    show_head(head)


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
