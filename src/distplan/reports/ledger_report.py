"""The ledger report an auditor files: the plan's instruments and terms with their status on a
day, the schedule in force (rates and the instrument behind each row), every ledger entry
(instruments, terms, voids, governance facts, dealer agreements) with who recorded it and its
hash, and the result of recomputing the hash chain. All from the Workspace (history,
schedule, ledger_rows, verify)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from distplan.reports.common import Scope, ledger_facts, moment
from distplan.reports.document import Cell, Column, Report, Section
from distplan.reports.sources import instruments_section


def _rate(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _schedule(scope: Scope, day: date) -> Section:
    view = scope.workspace.schedule(scope.plan, day, scope.known_at)
    rows: list[tuple[Cell, ...]] = []
    for line in view.state.rows:
        j = line.to_json()
        rows.append(
            (
                j["registrant"] or "",
                j["fund"],
                j["share_class"] or "",
                _rate(j["distribution_fee"]),
                _rate(j["service_fee"]),
                _rate(j["aggregate_fee"]),
                date.fromisoformat(j["since"]) if j.get("since") else None,
                j["instrument"],
            )
        )
    return Section(
        f"Schedule in force on {day.isoformat()}",
        (
            Column("Registrant"),
            Column("Fund"),
            Column("Class"),
            Column("Distribution", "rate"),
            Column("Service", "rate"),
            Column("Aggregate", "rate"),
            Column("Since", "date"),
            Column("Instrument"),
        ),
        tuple(rows),
        notes=(view.state.message(), *view.state.warnings),
        sheet="Schedule",
    )


def _entries(scope: Scope, day: date) -> Section:
    rows = scope.workspace.ledger_rows(day)
    return Section(
        "Ledger entries",
        (
            Column("Seq", "int"),
            Column("Kind"),
            Column("Entry"),
            Column("Effective", "date"),
            Column("Recorded"),
            Column("By"),
            Column("Status"),
            Column("Hash", "hash"),
        ),
        tuple(
            (
                r.entry.seq,
                r.entry.kind,
                r.label,
                r.entry.effective_date,
                moment(r.entry.recorded_at),
                r.recorded_by or "",
                r.status or "",
                r.entry.hash,
            )
            for r in sorted(rows, key=lambda r: r.entry.seq)
        ),
        notes=("Every entry of the ledger in order; each hash chains the previous one.",),
        sheet="Entries",
    )


def ledger_report(scope: Scope, as_of: date, *, generated_at: datetime) -> Report:
    ws = scope.workspace
    plan = ws.plan(scope.plan)
    chain = ws.verify()
    verdict = (
        f"the hash chain of {chain.entries} entries recomputes: head {chain.head}"
        if chain.ok
        else f"BROKEN at entry {chain.first_broken}: {chain.problem}"
    )
    return Report(
        "ledger",
        "Ledger report: instruments, terms and governance in force",
        plan.label,
        f"as of {as_of.isoformat()}",
        generated_at,
        (
            Section("Verification", notes=(f"distplan verify: {verdict}.",), sheet="Verify"),
            instruments_section(scope, as_of, every=True),
            _schedule(scope, as_of),
            _entries(scope, as_of),
        ),
        facts=(*ledger_facts(scope), ("Verify", "ok" if chain.ok else "BROKEN")),
    )
