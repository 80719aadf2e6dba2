"""CLI commands that write the ledger: init, record, terms set, void. Thin adapters over the
Workspace (distplan.app): read the files and flags, call it, print what it says.

Reading the files named on the command line is the CLI's part (a full EDGAR submission's
exhibits, each file's own bytes kept, messages naming the path); what is recorded, and how,
is the application layer's (`app.recording`), the same path the web app's uploads take.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from distplan import history as H
from distplan.app.recording import Governance, Recording, check
from distplan.cli.app import app, terms_app
from distplan.cli.options import (
    CLI_NAMES,
    JsonOpt,
    PlanOpt,
    RecordedAtOpt,
    cli_user,
    emit_json,
    head_json,
    now,
    parse_date,
    parse_rate,
    parse_recorded_at,
    show_head,
    show_warnings,
    workspace,
)
from distplan.cli.output import err, out
from distplan.errors import InputError
from distplan.ledger import Pending
from distplan.ledger.identity import decode_source
from distplan.model import instrument_from_json
from distplan.validation import check_json_strings

_TEXT_SUFFIXES = (".txt", ".htm", ".html")


# --- reading the files named ----------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None


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


def _load_governance(paths: list[Path]) -> list[Governance]:
    """Governance files through the compliance loader: all valid before any write."""
    if not paths:
        return []
    from distplan.compliance.loader import load_governance

    return [Governance(str(path), load_governance(path), decode_source(_read_bytes(path))) for path in paths]


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
    with workspace(ctx, create=True) as ws:
        head, digest = ws.head()
        if json_:
            emit_json({"url": ws.url, "entries": head, "head": digest, "created": ws.created})
        else:
            made = "created" if ws.created else "ready"
            out.print(f"ledger {made}: {ws.url} ({head} entries)", markup=False)


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
    facts = _load_governance(governance)  # everything is read and checked before any write
    how = Recording(at, cli_user(), plan_ref, force, chosen_time, CLI_NAMES)
    with _progress(len(files)) as progress:
        task = progress.add_task("extracting", total=len(files))
        pending = []
        for path in files:
            pending.extend(load_instruments(path))
            progress.advance(task)
        check(pending, force=force)  # refused before a new ledger is even made
        progress.update(task, description="recording", completed=0)
        with workspace(ctx, create=True) as ws:
            outcome = ws.record_read(pending, facts, how, progress=lambda n: progress.advance(task, n))
            written = any(r["seq"] for r in outcome.recorded) or any(g["entry"] for g in outcome.governance)
            head = head_json(ws.head()) if written else None
            created, url = ws.created, ws.url
    if created:
        err.print(f"created a new ledger: {url}", markup=False)
    show_warnings(outcome.warnings)
    report = {**outcome.to_json(), "governance": outcome.governance}
    if json_:
        emit_json({**report, "head": head})
        return
    _print_record_report(report)
    if head is not None:
        show_head((head["seq"], head["hash"]))


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
    rates = {
        "distribution": parse_rate(distribution, "--distribution"),
        "service": parse_rate(service, "--service"),
        "aggregate": parse_rate(aggregate, "--aggregate"),
    }
    # The terms checked before the ledger is opened, the messages naming the flags.
    payload = H.terms_payload(**rates, source=source, fund=fund, share_class=share_class)
    day = parse_date(effective, "--effective")
    with workspace(ctx) as ws:
        entry, chosen, warnings = ws.set_terms(
            plan,
            effective=day,
            source=source,
            rates=rates,
            fund=fund,
            share_class=share_class,
            recorded_at=at,
            recorded_by=cli_user(),
            exact_time=chosen_time,
        )
        head = ws.head()
    show_warnings(warnings)
    if json_:
        emit_json(
            {**entry.to_json(), "payload": entry.payload, "plan": chosen.to_json(), "head": head_json(head)}
        )
        return
    shown = ", ".join(f"{k.split('_')[0]} {v}%" for k, v in payload["rates"].items())
    scope = " ".join(x for x in (fund, f"class {share_class}" if share_class else None) if x) or "every row"
    out.print(
        f"recorded entry {entry.seq}: terms for {scope} of plan {chosen.id} from {day}: {shown}", markup=False
    )
    show_head(head)


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
    with workspace(ctx) as ws:
        made = ws.void(entry, reason, recorded_at=at, recorded_by=cli_user(), exact_time=chosen_time)
        head = ws.head()
    if json_:
        emit_json({**made.to_json(), "payload": made.payload, "head": head_json(head)})
        return
    out.print(f"recorded entry {made.seq}: entry {entry} is void ({reason.strip()})", markup=False)
    show_head(head)
