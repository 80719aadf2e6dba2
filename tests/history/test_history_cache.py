"""The HistoryCache: owned per ledger, shared by threads, following the ledger as it grows,
and no process-wide state (no module-level caches, no gc.freeze)."""

from __future__ import annotations

import copy
import gc
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_history_fold import PLAN, Book, books, row

import distplan.history
from aim_inputs import run_cli, text_paths
from distplan import history as H
from distplan.app import Workspace

DAYS = [date(2003, 11, 1) + timedelta(days=n) for n in range(0, 40, 3)]


def _answers(ws: Workspace, day: date, known_at: int | None) -> list[Any]:
    return [
        ws.schedule(None, day, known_at).to_json(),
        ws.diff(None, day - timedelta(days=7), day, known_at).to_json(),
        ws.history(None, day, known_at).to_json(),
        ws.timeline(None, "INVESCO Telecommunications Fund", known_at=known_at).to_json(),
    ]


def _in_threads(work: Callable[[int], None], n: int) -> None:
    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


@pytest.fixture(scope="module")
def aim_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cache') / 'distplan.db'}"
    for i, path in enumerate(text_paths(), start=1):
        done = run_cli("--db", url, "record", str(path), "--recorded-at", f"2003-12-0{i}T12:00:00Z")
        assert done.code == 0, done.err
    return url


def test_many_concurrent_readers_get_the_serial_answers(aim_url: str) -> None:
    queries = [(day, known) for day in DAYS for known in (None, 1, 2)]
    with Workspace.open(aim_url) as ws:
        serial = {q: _answers(ws, *q) for q in queries}
    results: dict[tuple[int, int], list[Any]] = {}
    errors: list[BaseException] = []
    with Workspace.open(aim_url) as shared:
        start = threading.Barrier(8)

        def reader(n: int) -> None:
            start.wait()
            try:
                for i in range(len(queries)):
                    j = (i * 5 + n * 11) % len(queries)  # each thread its own order (5 is coprime with 42)
                    results[(n, j)] = _answers(shared, *queries[j])
            except BaseException as exc:  # reported below, not lost in the thread
                errors.append(exc)

        _in_threads(reader, 8)
    assert not errors
    assert len(results) == 8 * len(queries)
    for (_, j), got in results.items():
        assert got == serial[queries[j]], queries[j]


def test_threads_on_one_cache_match_a_fresh_fold() -> None:
    """The warm paths (snapshots, checkpoints, line memos) grow as they are read: many
    threads reading one HistoryCache see what a cacheless query computes."""
    b = Book()
    b.instrument("2020-01-01", 1, {"op": "replace_schedule", "rows": [row(f"F{i}") for i in range(40)]})
    for n in range(2, 30):
        day = (date(2020, 1, 1) + timedelta(days=3 * n)).isoformat()
        if n % 7 == 0:
            rows = [row(f"F{i}", service_fee="0.25") for i in range(n, 40)]
            b.instrument(day, n, {"op": "replace_schedule", "rows": rows})
        else:
            b.instrument(day, n, {"op": "set_rates", "rows": [row(f"F{n}", distribution_fee="0.5")]})
    days = [date(2019, 12, 31) + timedelta(days=d) for d in range(0, 100, 2)]
    expected = {d: [line.to_json() for line in H.plan_state(b.entries, PLAN, d).rows] for d in days}
    cache = H.HistoryCache()
    bad: list[object] = []

    def reader(n: int) -> None:
        for d in days[n:] + days[:n]:
            if [line.to_json() for line in H.plan_state(b.entries, PLAN, d, cache=cache).rows] != expected[d]:
                bad.append(d)

    _in_threads(reader, 6)
    assert bad == []
    assert cache.builds == 1  # one entry set, worked out once


def test_a_workspace_sees_what_another_process_records(aim_url: str, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'distplan.db'}"
    first, second, third = text_paths()
    assert run_cli("--db", url, "record", str(first), str(second)).code == 0
    with Workspace.open(url) as ws:
        before = ws.schedule(None, date(2003, 11, 25))
        assert "Amendment No. 4" not in before.to_json()["instruments"][-1]
        done = subprocess.run(
            [sys.executable, "-m", "distplan", "--db", url, "record", str(third)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        after = ws.schedule(None, date(2003, 11, 25)).to_json()
        with Workspace.open(url) as fresh:
            assert after == fresh.schedule(None, date(2003, 11, 25)).to_json()
        assert after["instruments"][-1].startswith("Amendment No. 4")
        assert after != before.to_json()


def test_a_ledger_object_recording_is_seen_by_the_next_query(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'distplan.db'}"
    first, second, third = text_paths()
    assert run_cli("--db", url, "record", str(first)).code == 0
    with Workspace.open(url) as ws:
        assert len(ws.schedule(None, date(2003, 12, 1)).to_json()["instruments"]) == 1
        assert run_cli("--db", url, "record", str(second), str(third)).code == 0  # its own Ledger
        shown = ws.schedule(None, date(2003, 12, 1)).to_json()
        assert shown["instruments"][-1].startswith("Amendment No. 4")
        with Workspace.open(url) as fresh:
            assert shown == fresh.schedule(None, date(2003, 12, 1)).to_json()


@settings(max_examples=80, deadline=None)
@given(books(), st.integers(1, 6), st.lists(st.integers(-1, 44), min_size=1, max_size=8))
def test_a_grown_ledger_answers_as_if_folded_afresh(b: Book, cut: int, offsets: list[int]) -> None:
    """What the cache kept for the shorter ledger and carries over (snapshots, checkpoints)
    never changes an answer once more entries are recorded (earlier or later effective)."""
    cache = H.HistoryCache()
    days = [date(2020, 1, 1) + timedelta(days=o) for o in offsets]
    shorter = b.entries[: min(cut, len(b.entries))]
    for d in days:
        H.plan_state(shorter, PLAN, d, cache=cache)
    for d in days + days[::-1]:
        got = [line.to_json() for line in H.plan_state(b.entries, PLAN, d, cache=cache).rows]
        assert got == [line.to_json() for line in H.plan_state(b.entries, PLAN, d).rows], d
        assert H.diff(b.entries, PLAN, d - timedelta(days=5), d, cache=cache) == H.diff(
            b.entries, PLAN, d - timedelta(days=5), d
        )


def _module_state() -> dict[str, Any]:
    """Every module-level container in distplan.history, copied."""
    out: dict[str, Any] = {}
    for module in vars(distplan.history).values():
        if isinstance(module, ModuleType) and module.__name__.startswith("distplan.history."):
            for attr, value in vars(module).items():
                if isinstance(value, dict | list | set) and not attr.startswith("__"):
                    out[f"{module.__name__}.{attr}"] = copy.deepcopy(value)
    return out


def test_no_process_wide_state(aim_url: str) -> None:
    before = _module_state()
    assert before, "the scan found the package's modules"
    with Workspace.open(aim_url) as ws:
        for day in DAYS:
            _answers(ws, day, None)
        ws.coverage(None)
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()  # paused during a query, never left off
    assert _module_state() == before  # nothing kept at module level: the cache is the Workspace's
    with Workspace.open(aim_url) as a, Workspace.open(aim_url) as b:
        assert a.history_cache is not b.history_cache
