"""CLI commands of the plan history: importing this module registers them (init, record,
terms set, void in `recording`; plans, schedule, diff, timeline, history, verify in
`reading`). The shared options and helpers live in `options` and are re-exported here for
the other command modules."""

from __future__ import annotations

from distplan.cli import reading, recording
from distplan.cli.options import (
    CLI_NAMES,
    JsonOpt,
    KnownAtOpt,
    PlanOpt,
    RecordedAtOpt,
    cli_user,
    emit_json,
    head_json,
    known_at_json,
    ledger_url,
    now,
    open_ledger,
    parse_date,
    parse_known_at,
    parse_rate,
    parse_recorded_at,
    show_head,
    show_warnings,
    workspace,
)
from distplan.cli.recording import load_instruments

__all__ = [
    "CLI_NAMES",
    "JsonOpt",
    "KnownAtOpt",
    "PlanOpt",
    "RecordedAtOpt",
    "cli_user",
    "emit_json",
    "head_json",
    "known_at_json",
    "ledger_url",
    "load_instruments",
    "now",
    "open_ledger",
    "parse_date",
    "parse_known_at",
    "parse_rate",
    "parse_recorded_at",
    "reading",
    "recording",
    "show_head",
    "show_warnings",
    "workspace",
]
