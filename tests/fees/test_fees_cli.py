"""The fee commands end to end: ledger -> sample NAV -> payables / accrue / true-up, and errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from fees_aim import AMENDMENTS

from aim_inputs import gold_instrument_json as aim_instrument_json


def run(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISTPLAN_DATABASE_URL": f"sqlite:///{tmp / 'ledger.db'}"}
    return subprocess.run(
        [sys.executable, "-m", "distplan", *args], capture_output=True, text=True, env=env, cwd=tmp
    )


def test_cli_aim_november(tmp_path: Path) -> None:
    for name, _ in AMENDMENTS:
        (tmp_path / f"{name}.json").write_text(json.dumps(aim_instrument_json(name)))
    assert run(tmp_path, "record", *(f"{n}.json" for n, _ in AMENDMENTS)).returncode == 0
    terms = ("terms", "set", "--effective", "2003-07-01", "--source", "plan terms")
    assert run(tmp_path, *terms, "--distribution", "0.00", "--service", "0.25").returncode == 0
    done = run(tmp_path, "sample-data", "--from", "2003-11-01", "--to", "2004-01-01", "--out", "nav.parquet")
    assert done.returncode == 0, done.stderr
    again = run(
        tmp_path, "sample-data", "--from", "2003-11-01", "--to", "2004-01-01", "--out", "nav2.parquet"
    )
    assert (
        again.returncode == 0
        and (tmp_path / "nav.parquet").read_bytes() == (tmp_path / "nav2.parquet").read_bytes()
    )

    done = run(
        tmp_path, "fees", "payables", "--nav", "nav.parquet", "--month", "2003-11", "--json", "--out", "p.csv"
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    leisure = next(r for r in data["payables"] if r["fund"] == "INVESCO Leisure Fund")
    assert (leisure["days"], leisure["due_date"]) == (28, "2003-12-10")
    assert {t["registrant"] for t in data["totals"]["registrants"]} >= {"AIM Sector Funds"}
    assert (tmp_path / "p.csv").read_text().splitlines()[0].startswith('"month","plan","registrant","fund"')

    done = run(tmp_path, "fees", "accrue", "--nav", "nav.parquet", "--from", "2003-11-01", "--to", "2003-12-01",
               "--out", "daily.csv", "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["rows"] == 476

    # A rate cut recorded late (entry 5, effective 11-17): the true-up from entry 4 to 5.
    cut = ("terms", "set", "--effective", "2003-11-17", "--source", "late cut")
    assert run(tmp_path, *cut, "--distribution", "0.00", "--service", "0.20").returncode == 0
    done = run(tmp_path, "fees", "true-up", "--nav", "nav.parquet", "--month", "2003-11",
               "--from-known-at", "4", "--to-known-at", "5", "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["rows"]
    leisure = next(r for r in rows if r["fund"] == "INVESCO Leisure Fund")
    assert Decimal(leisure["fee_b"]) < Decimal(leisure["fee_a"])
    assert Decimal(leisure["adjustment"]) == Decimal(leisure["fee_b"]) - Decimal(leisure["fee_a"])

    # A month the NAV does not cover: one line, exit 2, nothing written.
    done = run(tmp_path, "fees", "accrue", "--nav", "nav.parquet", "--from", "2004-01-01", "--to", "2004-02-01",
               "--out", "jan.csv")  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("distplan: nav.parquet: no NAV for") and done.stderr.count("\n") == 1
    assert not (tmp_path / "jan.csv").exists()
