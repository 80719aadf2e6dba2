"""Shared fixtures: a real, throwaway PostgreSQL server, and ledger URLs for both backends; a
real Spark standalone cluster (tests/spark_cluster.py).

The PostgreSQL cluster lives in a temp dir (initdb as the `postgres` user via runuser when run
as root), listens on a free loopback port and on a unix socket in that dir, and is removed at
the end of the session. With DISTPLAN_REQUIRE_SERVICES=1 (make test, CI) a server that cannot
start FAILS the tests that need it instead of skipping them.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REQUIRE_SERVICES = os.environ.get("DISTPLAN_REQUIRE_SERVICES") == "1"

# The Spark standalone cluster and the session's one Spark engine (`spark_cluster`, `spark`).
pytest_plugins = ("spark_cluster",)


def service_unavailable(what: str, why: str) -> None:
    """Skip, or fail when the run requires real services."""
    message = f"{what} is not available: {why}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (DISTPLAN_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    base: Path
    bindir: Path
    port: int
    as_postgres: bool

    @property
    def socket_dir(self) -> Path:
        return self.base / "sock"

    @property
    def data_dir(self) -> Path:
        return self.base / "data"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)

    def start(self) -> None:
        for sub in (self.data_dir, self.socket_dir):
            sub.mkdir()
            if self.as_postgres:
                shutil.chown(sub, "postgres", "postgres")
        init = self._run(
            "initdb", "-D", str(self.data_dir), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"
        )
        if init.returncode != 0:
            raise RuntimeError(f"initdb failed: {init.stderr.strip()[-500:]}")
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = self.socket_dir / "server.log"
        started = self._run("pg_ctl", "-D", str(self.data_dir), "-o", options, "-l", str(log), "-w", "start")
        if started.returncode != 0:
            detail = log.read_text()[-800:] if log.exists() else started.stderr
            raise RuntimeError(f"pg_ctl start failed: {detail.strip()}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def create_database(self) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(
            host=str(self.socket_dir), port=self.port, user="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    bindir = _pg_bin()
    if bindir is None:
        service_unavailable("PostgreSQL", "no initdb found (scripts/system-deps.sh installs it)")
    assert bindir is not None
    as_postgres = os.geteuid() == 0
    if as_postgres and shutil.which("runuser") is None:
        service_unavailable("PostgreSQL", "running as root but runuser is missing")
    # Not under pytest's private tmp dir: the postgres user must be able to reach it.
    base = Path(tempfile.mkdtemp(prefix="distplan-pg-"))
    base.chmod(0o755)
    server = PostgresServer(base, bindir, _free_port(), as_postgres)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        shutil.rmtree(base, ignore_errors=True)
        service_unavailable("PostgreSQL", str(exc))
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """A fresh, empty database on the session's server."""
    return postgres_server.create_database()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty ledger database URL, once on SQLite and once on a real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'distplan.db'}"
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return server.create_database()
