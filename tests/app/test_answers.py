"""The workspace keeps its answers while the ledger's head stays: asked again, nothing is
worked out; a write by anyone (this workspace, another one on the same ledger as another
process would, the CLI) is seen by the next call."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from aim_inputs import record_aim, run_cli
from distplan.app import Workspace
from distplan.compliance.governance import GovernanceFacts

AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
DAY = date(2003, 11, 25)


@pytest.fixture
def url(tmp_path: Path) -> str:
    made = f"sqlite:///{tmp_path / 'distplan.db'}"
    record_aim(made)
    return made


def test_an_unchanged_ledger_answers_from_what_is_kept(url: str) -> None:
    with Workspace.open(url, create=False) as ws:
        first = ws.schedule(1, DAY)
        made = ws.answers.made
        assert ws.schedule(1, DAY) is first and ws.schedule(1, DAY, None) is first
        pages = [ws.schedule(1, DAY, offset=o, limit=5) for o in (0, 5, 10, 15)]
        assert [line for p in pages for line in p.rows] == list(first.rows)
        assert ws.schedule(1, DAY, fund="telecom").rows == tuple(r for r in first.rows if "Telecom" in r.fund)
        for ask in (ws.plans, ws.entry_labels, lambda: ws.ledger_rows(DAY), lambda: ws.history(1, DAY)):
            assert ask() is ask()
        assert ws.answers.made == made + 4  # the pages and the filter are the kept state's
        assert ws.schedule(1, date(2003, 11, 21)).state is not first.state  # another day


def test_a_write_elsewhere_is_seen_by_the_next_call(url: str) -> None:
    with Workspace.open(url, create=False) as ws, Workspace.open(url, create=False) as other:
        before = ws.schedule(1, DAY)
        labels, rows, history = ws.entry_labels(), ws.ledger_rows(DAY), ws.history(1, DAY)
        assert "Amendment No. 4" in before.state.instruments[-1]
        other.void(3, "filed in error", recorded_at=AT, recorded_by="counsel")  # another Ledger
        after = ws.schedule(1, DAY)
        assert after.to_json() == other.schedule(1, DAY).to_json()  # as a fresh workspace sees it
        assert "Amendment No. 4" not in after.state.instruments[-1]
        assert len(ws.entry_labels()) == len(labels) + 1
        assert len(ws.ledger_rows(DAY)) == len(rows) + 1 and ws.ledger_rows(DAY)[0].entry.kind == "void"
        assert ws.history(1, DAY).to_json() != history.to_json()
        assert run_cli("--db", url, "void", "2", "--reason", "also in error").code == 0  # the CLI
        assert ws.head_seq() == 5 and ws.schedule(1, DAY).to_json() == other.schedule(1, DAY).to_json()
        assert ws.schedule(1, DAY).to_json() != after.to_json()


def test_a_what_if_is_not_kept(url: str) -> None:
    with Workspace.open(url, create=False) as ws:
        ws.findings(1, DAY)
        made = ws.answers.made
        assert ws.findings(1, DAY) is ws.findings(1, DAY) and ws.answers.made == made
        what_if = ws.findings(1, DAY, extra=GovernanceFacts())
        assert what_if is not ws.findings(1, DAY, extra=GovernanceFacts()) and ws.answers.made == made
