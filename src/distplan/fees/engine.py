"""The two execution engines behind one set of Ibis expressions: DuckDB (embedded, the default)
and PySpark (`local[*]` or a cluster). Only connection set-up and file output differ here;
everything computed is an Ibis expression in `expressions.py`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any, Literal

import ibis
import pyarrow as pa
from ibis.expr.types import Table

from distplan.errors import InputError
from distplan.outputs import OutputError, atomic_path

EngineName = Literal["duckdb", "spark"]
ENGINES: tuple[str, ...] = ("duckdb", "spark")


class Engine:
    """An Ibis backend plus the few operations that are engine-specific (file output)."""

    def __init__(self, name: EngineName, con: Any, session: Any = None) -> None:
        self.name = name
        self.con = con
        self.session = session
        self._links: Path | None = None  # see read_parquet
        self._read: dict[str, str] = {}  # link -> the user's file, for error messages
        self._kept = 0  # see keep
        self._frames: dict[str, Any] = {}  # Spark DataFrames kept, by view name

    @classmethod
    def duckdb(cls, *, threads: int | None = None, memory_limit: str | None = None) -> Engine:
        """An embedded DuckDB. Its buffer pool is capped (default 2GB, or
        $DISTPLAN_DUCKDB_MEMORY) so a run's memory does not grow with the input: DuckDB's
        default is 80% of RAM, used as cache; beyond the cap it spills to a temp directory.
        Settings go in as connection configuration, values never pasted into SQL ($TMPDIR and
        $DISTPLAN_DUCKDB_MEMORY are the user's environment)."""
        limit = memory_limit or os.environ.get("DISTPLAN_DUCKDB_MEMORY") or "2GB"
        if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", limit.strip(), re.IGNORECASE):
            raise InputError(f"DuckDB memory limit {limit!r}: expected a size such as 2GB")
        config: dict[str, object] = {
            # Insertion order is not needed (we sort where it matters); dropping it lets DuckDB stream.
            "preserve_insertion_order": False,
            "memory_limit": limit.strip(),
            "temp_directory": str(Path(tempfile.gettempdir()) / "distplan-duckdb"),
        }
        if threads:
            config["threads"] = int(threads)
        try:
            con = ibis.duckdb.connect(**config)
        except Exception as exc:  # duckdb rejects a setting: bad environment, one line
            raise InputError(f"DuckDB: {str(exc).splitlines()[0]}") from None
        return cls("duckdb", con)

    @classmethod
    def spark(cls, master: str = "local[*]") -> Engine:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:  # pragma: no cover - pyspark is a pinned extra
            raise InputError("--engine spark needs pyspark (pip install 'distplan[spark]')") from exc
        session = (
            SparkSession.builder.master(master)
            .appName("distplan-fees")
            # Exact decimals: never trade scale for precision; overflow is an error, not NULL.
            .config("spark.sql.decimalOperations.allowPrecisionLoss", "false")
            .config("spark.sql.ansi.enabled", "true")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "8")
            # Results come back as Arrow (toPandas), never as pickled rows. No silent fallback.
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.execution.arrow.pyspark.fallback.enabled", "false")
            .getOrCreate()
        )
        running = session.sparkContext.master
        if running != master:  # getOrCreate returns the process's session, whatever its master
            raise InputError(f"--spark-master {master}: this process already runs Spark on {running}")
        session.sparkContext.setLogLevel("ERROR")
        from distplan.fees.sparkarrow import connect  # in-memory tables as Arrow: no Python on executors

        return cls("spark", connect(session), session)

    @classmethod
    def open(cls, name: str, *, spark_master: str = "local[*]") -> Engine:
        if name == "duckdb":
            return cls.duckdb()
        if name == "spark":
            return cls.spark(spark_master)
        raise InputError(f"--engine: expected one of {', '.join(ENGINES)}, got {name!r}")

    def close(self) -> None:
        if self.name == "duckdb":
            self.con.disconnect()
        if self._links is not None:
            shutil.rmtree(self._links, ignore_errors=True)
            self._links = None
        # A Spark session is shared by the process (getOrCreate); whoever started it stops it.

    # --- input ---------------------------------------------------------------------------

    def read_parquet(self, path: Path) -> Table:
        """Exactly the file `path`: both engines expand globs (`*`, `?`, `[ab]`, `{a,b}`) in the
        paths they are given, so they are given a fixed name, a link to the file in a private
        temporary folder (removed by `close`), never the user's name."""
        if self._links is None:
            self._links = Path(tempfile.mkdtemp(prefix="distplan-nav-"))
        if any(c in str(self._links) for c in _GLOB):
            raise InputError(
                f"the temporary folder {self._links} has a glob character in its name (set TMPDIR)"
            )
        resolved = path.resolve()
        if self.name == "spark" and not any(c in _NOT_IN_SPARK_PATHS for c in str(resolved)):
            # A file: URL of the file itself: the executors read it, and on a cluster only a
            # path every node sees works (not our link in the driver's temp dir); without the
            # scheme Spark reads the cluster's default filesystem (HDFS on YARN).
            self._read[str(resolved)] = str(path)
            return self._spark_read_parquet(f"file:{resolved}")
        link = self._links / f"nav{len(list(self._links.iterdir()))}.parquet"
        link.symlink_to(resolved)
        self._read[str(link)] = str(path)
        if self.name == "spark":
            return self._spark_read_parquet(f"file:{link}")
        return self.con.read_parquet(str(link))

    def read_parquet_url(self, url: str) -> Table:
        """A Parquet file named by a URL of the cluster's filesystems (hdfs://, s3a://, ...),
        read by Spark's executors; the driver never opens it. Exactly that file: a URL with
        glob characters is refused."""
        if self.name != "spark":
            scheme = url.partition(":")[0]
            raise InputError(
                f"{url}: a {scheme}:// NAV file is read only with --engine spark"
                " (DuckDB reads local files: give a path or a file:// URL)"
            )
        if any(c in url for c in _GLOB):
            raise InputError(f"{url}: a NAV URL must name one file (no * ? [ ] {{ }} \\)")
        self._read[url] = url
        return self._spark_read_parquet(url)

    def _spark_read_parquet(self, url: str) -> Table:
        # As ibis's read_parquet does, but keeping the file: scheme (ibis strips "file://").
        name = ibis.util.gen_name("read_parquet")
        self.session.read.parquet(url).createOrReplaceTempView(name)
        return self.con.table(name)

    # --- intermediate results -----------------------------------------------------------

    def keep(self, expr: Table) -> Table:
        """`expr` computed once and kept by the engine (a DuckDB temp table, which spills to
        the temp directory beyond the memory limit; a persisted Spark DataFrame, memory and
        disk): later expressions over it do not recompute it. `drop` releases it."""
        self._kept += 1
        name = f"distplan_kept_{self._kept}"  # our own name: safe to quote into SQL
        try:
            if self.name == "duckdb":
                return self.con.create_table(name, expr, temp=True)
            self.con._run_pre_execute_hooks(expr)
            frame = self.session.sql(self.con.compile(expr)).persist()
            frame.createOrReplaceTempView(name)
            self._frames[name] = frame
            return self.con.table(name)
        except Exception as exc:
            self._raise_input_error(exc)
            raise

    def drop(self, table: Table) -> None:
        name = table.get_name().rsplit(".", 1)[-1]  # DuckDB's is qualified: temp.main.NAME
        if not name.startswith("distplan_kept_"):  # pragma: no cover - only what keep made
            raise ValueError(f"not a kept table: {name}")
        if self.name == "duckdb":
            self.con.raw_sql(f'DROP TABLE IF EXISTS temp.main."{name}"')
            return
        self.session.catalog.dropTempView(name)
        frame = self._frames.pop(name, None)
        if frame is not None:
            frame.unpersist()

    # --- output --------------------------------------------------------------------------

    def to_arrow(self, expr: Table) -> pa.Table:
        try:
            return self.con.to_pyarrow(expr)
        except Exception as exc:
            self._raise_input_error(exc)
            raise

    def _raise_input_error(self, exc: Exception) -> None:
        """An engine error while reading a NAV file (corrupt Parquet: engines read pages only
        when a query runs) is bad input: InputError naming the user's file, not our link."""
        text = str(exc)
        for link, original in self._read.items():
            if link in text:
                first = next((ln for ln in text.splitlines() if link in ln), text.splitlines()[0])
                raise InputError(
                    f"{original}: not a readable Parquet file: {first.replace(link, original).strip()}"
                ) from None
        # A corrupt data page (its row-group statistics still sane) fails inside the query with
        # an error that names no file: a data error of the engine, while user files were read.
        if self._read and type(exc).__name__ in _DATA_ERRORS:
            first = text.splitlines()[0] if text else type(exc).__name__
            files = ", ".join(sorted(set(self._read.values())))
            raise InputError(
                f"{files}: the data could not be read or is out of range ({first.strip()}); is the file corrupt?"
            ) from None

    def write(self, expr: Table, path: Path) -> None:
        """Write `expr` to one CSV or Parquet file with the engine itself, atomically: the rows
        go to a file in a private temporary folder beside `path` (`outputs.atomic_path`),
        renamed into place only when complete. A failed write (a full disk) is an OutputError
        naming `path`; nothing is left behind."""
        fmt = _format(path)
        with atomic_path(path) as tmp:
            try:
                if self.name == "duckdb":
                    if fmt == "parquet":
                        self.con.to_parquet(expr, tmp)
                    else:
                        self.con.to_csv(expr, tmp)
                else:
                    self._spark_write(expr, tmp, fmt)
            except Exception as exc:
                message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                if "No space left" in message or "Disk quota" in message:
                    raise OutputError(f"{path}: cannot write: the disk is full") from None
                if self.name == "duckdb" and type(exc).__name__ == "IOException":
                    raise OutputError(f"{path}: cannot write: {message}") from None
                self._raise_input_error(exc)
                raise

    def _spark_write(self, expr: Table, target: Path, fmt: str) -> None:
        # As ibis's own to_parquet does: register the in-memory tables, compile, run; but into
        # one partition, so there is one file to move into place.
        self.con._run_pre_execute_hooks(expr)
        outdir = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            frame = self.session.sql(self.con.compile(expr)).coalesce(1)
            writer = frame.write.mode("overwrite")
            url = f"file:{outdir.resolve()}"  # the local (shared) filesystem, never the default FS
            if fmt == "parquet":
                writer.parquet(url)
            else:
                writer.option("header", "true").csv(url)
            parts = sorted(outdir.glob("part-*"))
            if len(parts) != 1:
                raise RuntimeError(f"spark wrote {len(parts)} part files to {outdir}")
            parts[0].replace(target)
        finally:
            shutil.rmtree(outdir, ignore_errors=True)


_GLOB = frozenset("*?[]{}\\")
# Spark globs these, and Hadoop's Path parses ':' and '%' as URL syntax.
_NOT_IN_SPARK_PATHS = _GLOB | {":", "%"}


# DuckDB's error classes for bad data met while a query reads its inputs (not our SQL's errors:
# those are BinderException, ParserException, CatalogException...).
_DATA_ERRORS = frozenset({"Error", "InvalidInputException", "OutOfRangeException", "ConversionException"})


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return "parquet"
    if suffix == ".csv":
        return "csv"
    raise InputError(f"{path}: output must end in .csv or .parquet")
