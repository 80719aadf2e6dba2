"""A real Spark standalone cluster for the tests: one master and one small worker (1 core, 1 GB)
on 127.0.0.1, started with Spark's own launcher (`bin/spark-class ...deploy.master.Master` /
`...deploy.worker.Worker`) from the installed pyspark package, on free ports, with its work, log
and scratch folders under a temp dir. Registered from tests/conftest.py (`pytest_plugins`).

The pyspark wheel ships no `sbin/start-master.sh`, so the two JVMs run as our subprocesses, each
in a process group of its own: stopping kills the group (the worker's executors are in it too),
so no JVM outlives the session, also when a test or the start-up failed.

Executors are given a Python that refuses to run (PYSPARK_PYTHON, a script that exits 97): the
README promises that distplan sends no Python work to a cluster, and a test that did would fail.

With DISTPLAN_REQUIRE_SERVICES=1 (make test, CI) a cluster that cannot start FAILS the tests
that need it instead of skipping them.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from distplan.fees import Engine

REQUIRE_SERVICES = os.environ.get("DISTPLAN_REQUIRE_SERVICES") == "1"
START_TIMEOUT = 180.0  # seconds; JVM start-up on a loaded 2-core machine takes 10-30 s
WORKER_CORES, WORKER_MEMORY = 1, "1g"
NO_PYTHON = "#!/bin/sh\necho 'distplan sent Python work to a Spark executor' >&2\nexit 97\n"


def unavailable(what: str, why: str) -> None:
    """Skip, or fail when the run requires real services."""
    message = f"{what} is not available: {why}"
    if REQUIRE_SERVICES:
        pytest.fail(message + " (DISTPLAN_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(message)


def free_ports(n: int) -> list[int]:
    """`n` distinct free loopback ports (all held open until all are chosen)."""
    with ExitStack() as stack:
        socks = [stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) for _ in range(n)]
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [int(s.getsockname()[1]) for s in socks]


def spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).resolve().parent


@dataclass
class SparkCluster:
    """A standalone master and worker; `master_url` is what `--spark-master` takes."""

    home: Path
    base: Path
    port: int
    ui_port: int
    worker_port: int
    worker_ui_port: int
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def master_url(self) -> str:
        return f"spark://127.0.0.1:{self.port}"

    @property
    def no_python(self) -> Path:
        return self.base / "no-python"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "SPARK_HOME": str(self.home),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "SPARK_CONF_DIR": str(self.base / "conf"),
            "SPARK_LOG_DIR": str(self.base / "logs"),
            "SPARK_WORKER_DIR": str(self.base / "work"),
            "SPARK_LOCAL_DIRS": str(self.base / "local"),
            "SPARK_DAEMON_MEMORY": "256m",  # the master's and worker's own heaps
        }

    def status(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.ui_port}/json/", timeout=5) as answer:
            return dict(json.load(answer))

    def _launch(self, name: str, *args: str) -> None:
        log = (self.base / "logs" / f"{name}.out").open("wb")
        cmd = [str(self.home / "bin" / "spark-class"), *args]
        # A process group of its own: stop() kills the JVM and everything it started.
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, env=self.env(), start_new_session=True
        )
        log.close()
        self.procs.append(proc)

    def _wait(self, what: str, ready: Callable[[dict[str, Any]], bool]) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            for proc in self.procs:
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"a Spark daemon exited ({proc.returncode}) before {what}: {self.logs()}"
                    )
            try:
                if ready(self.status()):
                    return
            except (OSError, ValueError):
                pass  # not listening yet
            time.sleep(0.5)
        raise RuntimeError(f"no {what} after {START_TIMEOUT:.0f} s: {self.logs()}")

    def start(self) -> None:
        for sub in ("conf", "logs", "work", "local"):
            (self.base / sub).mkdir(exist_ok=True)
        self.no_python.write_text(NO_PYTHON)
        self.no_python.chmod(0o755)
        self._launch(
            "master",
            "org.apache.spark.deploy.master.Master",
            "--host", "127.0.0.1",
            "--port", str(self.port),
            "--webui-port", str(self.ui_port),
        )  # fmt: skip
        # The worker only after the master listens: a refused first registration backs off ~10 s.
        self._wait("master", lambda s: s.get("status") == "ALIVE")
        self._launch(
            "worker",
            "org.apache.spark.deploy.worker.Worker",
            "--host", "127.0.0.1",
            "--port", str(self.worker_port),
            "--webui-port", str(self.worker_ui_port),
            "--cores", str(WORKER_CORES),
            "--memory", WORKER_MEMORY,
            "--work-dir", str(self.base / "work"),
            self.master_url,
        )  # fmt: skip
        self._wait("registered worker", lambda s: int(s.get("aliveworkers", 0)) >= 1)

    def stop(self) -> None:
        for proc in reversed(self.procs):  # worker (and its executors) first, then the master
            _kill_group(proc)
        self.procs.clear()

    def logs(self, tail: int = 600) -> str:
        parts = []
        for path in sorted((self.base / "logs").glob("*.out")):
            text = path.read_text(errors="replace").strip()
            parts.append(f"[{path.name}] ...{text[-tail:]}")
        return " ".join(parts) or "(no logs)"

    def executor_logs(self) -> str:
        """Every executor's stderr so far (under the worker's work dir: app-*/N/stderr)."""
        return "\n".join(
            p.read_text(errors="replace") for p in sorted((self.base / "work").glob("app-*/*/stderr"))
        )


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):  # executors left after the worker exited
        os.killpg(proc.pid, signal.SIGKILL)


def _start_cluster() -> SparkCluster:
    """A started cluster, or RuntimeError/OSError (nothing left running, nothing left on disk)."""
    base = Path(tempfile.mkdtemp(prefix="distplan-spark-"))
    cluster = SparkCluster(spark_home(), base, *free_ports(4))
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)
        raise
    return cluster


class _Early:
    """The cluster starts in a thread as soon as collection shows a test needs it, while the
    tests before it run (its JVMs take 10-60 s to come up); the fixture then waits for it."""

    thread: threading.Thread | None = None
    cluster: SparkCluster | None = None
    error: BaseException | None = None

    @classmethod
    def begin(cls) -> None:
        def run() -> None:
            try:
                cls.cluster = _start_cluster()
            except BaseException as exc:
                cls.error = exc

        cls.thread = threading.Thread(target=run, name="spark-cluster-start", daemon=True)
        cls.thread.start()

    @classmethod
    def take(cls) -> SparkCluster:
        if cls.thread is None:
            return _start_cluster()
        cls.thread.join()
        cls.thread = None
        if cls.error is not None:
            raise cls.error
        assert cls.cluster is not None
        cluster, cls.cluster = cls.cluster, None
        return cluster


def _can_start() -> str | None:
    """Why no cluster can start here, or None."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "no Java runtime (java not on PATH, JAVA_HOME unset; scripts/system-deps.sh)"
    try:
        spark_home()
    except ImportError as exc:
        return f"pyspark is not installed ({exc})"
    return None


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.option.collectonly or _can_start() is not None:
        return
    if any("spark_cluster" in getattr(item, "fixturenames", ()) for item in session.items):
        _Early.begin()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A cluster started early that no test took (deselected, -x): stop it too."""
    if _Early.thread is not None:
        with contextlib.suppress(RuntimeError, OSError):
            cluster = _Early.take()
            cluster.stop()
            shutil.rmtree(cluster.base, ignore_errors=True)


@pytest.fixture(scope="session")
def spark_cluster() -> Iterator[SparkCluster]:
    why = _can_start()
    if why is not None:
        unavailable("Spark", why)
    try:
        cluster = _Early.take()
    except (RuntimeError, OSError) as exc:
        unavailable("a Spark standalone cluster", str(exc))
    yield cluster
    cluster.stop()
    shutil.rmtree(cluster.base, ignore_errors=True)


@pytest.fixture(scope="session")
def spark(spark_cluster: SparkCluster) -> Iterator[Engine]:
    """The test session's one Spark application, on the cluster (Spark starts slowly, and a
    process holds one SparkContext: `Engine.spark` refuses another master while it runs). The
    CLI run in-process (`aim_inputs.run_cli ... --spark-master URL`) reuses it."""
    saved = os.environ.get("PYSPARK_PYTHON")
    os.environ["PYSPARK_PYTHON"] = str(spark_cluster.no_python)  # read when the context starts
    try:
        engine = Engine.spark(spark_cluster.master_url)
        engine.session.range(1).count()  # really start it: an executor on the worker
    except Exception as exc:
        unavailable(
            "Spark on the cluster", f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        )
    yield engine
    engine.session.stop()
    if saved is None:
        os.environ.pop("PYSPARK_PYTHON", None)
    else:
        os.environ["PYSPARK_PYTHON"] = saved
