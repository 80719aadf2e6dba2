"""Database connections: engines for SQLite and PostgreSQL, write locking, migrations.

Writers serialise on one lock so `seq` stays gapless and each entry's `prev_hash` is the
real head: SQLite takes the database write lock at BEGIN (BEGIN IMMEDIATE, with a busy
timeout so a second process waits instead of failing); PostgreSQL takes a transaction-scoped
advisory lock.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from distplan.errors import InputError

DEFAULT_URL = "sqlite:///./distplan.db"
ENV_URL = "DISTPLAN_DATABASE_URL"
_WRITE = "distplan_write"
_PG_LOCK_KEY = 0x12B1  # "12b-1": one advisory lock for every distplan writer
_MIGRATIONS = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 120


def resolve_url(url: str | None) -> str:
    return url or os.environ.get(ENV_URL) or DEFAULT_URL


def display_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL (None: not SQLite, in memory, or not a URL)."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError(f"--db {url!r}: not a database URL (e.g. sqlite:///./distplan.db)") from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise InputError(f"--db {display_url(url)}: only sqlite and postgresql databases are supported")
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(url, read_only)
        return create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise InputError(f"--db {display_url(url)}: {exc}") from None


def _sqlite_engine(url: str, read_only: bool) -> Engine:
    database = sqlite_file(url)
    if database is not None and not database.parent.exists():
        raise InputError(f"--db {url}: directory {database.parent} does not exist")
    if read_only and database is not None:
        # A file we may not write (an archived copy): SQLite cannot even create the WAL index
        # beside it, so open it immutable; nothing is written, nothing is locked.
        uri = f"{database.resolve().as_uri()}?mode=ro&immutable=1"
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
    else:
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

    # pysqlite's own transaction handling cannot BEGIN IMMEDIATE; take it over (SQLAlchemy's
    # documented recipe) and choose the BEGIN per connection.
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        if not read_only:
            _wal(cursor)  # readers never block the writer
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _wal(cursor: Any) -> None:
    """WAL mode, a property of the file. Converting needs exclusive access and SQLite does not
    run the busy handler for it, so two processes opening a new file at once could see "database
    is locked": the mode is read first (no lock once converted) and the switch retried with a
    back-off within the busy timeout."""
    wait, waited = 0.005, 0.0
    while True:
        if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
            return
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or waited >= SQLITE_BUSY_TIMEOUT_S:
                raise
        time.sleep(wait)
        waited += wait
        wait = min(wait * 2, 0.2)


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def connect(url: str, *, create: bool) -> tuple[Engine, bool]:
    """An engine on the ledger at `url`, migrated to the newest schema, and whether this call
    created the ledger. Without `create`, a missing ledger is an error: a mistyped --db must
    not leave an empty ledger behind that `verify` then calls intact."""
    shown = display_url(url)
    missing = f"--db {shown}: no ledger there (`distplan init` creates one; so does `distplan record FILE`)"
    path = sqlite_file(url)
    exists = path is None or (path.is_file() and path.stat().st_size > 0)
    if not exists and not create:
        raise InputError(missing)
    read_only = path is not None and exists and not _writable(path)
    engine = make_engine(url, read_only=read_only)
    try:
        with read_transaction(engine) as conn:
            # Tables first: a process creating the ledger meanwhile commits tables and
            # revision together, so "tables but no revision" is never a half-made ledger.
            tables = inspect(conn).get_table_names()
            revision = current_revision(conn)
        if revision is None and tables:
            raise InputError(
                f"--db {shown}: not a distplan ledger (it has other tables: {', '.join(tables[:5])})"
            )
        if revision is None and not create:
            raise InputError(missing)
        if revision not in (None, HEAD_REVISION) and revision not in known_revisions():
            raise InputError(f"--db {shown}: made by a newer distplan (schema {revision}); upgrade distplan")
        if revision != HEAD_REVISION:
            if read_only:
                raise InputError(
                    f"--db {shown}: schema {revision} is older than this distplan's and the file is "
                    "read-only; upgrade a writable copy with `distplan --db COPY init`"
                )
            migrate(engine)
    except InputError:
        engine.dispose()
        raise
    except DBAPIError as exc:
        engine.dispose()
        raise InputError(f"--db {shown}: cannot open the ledger: {first_line(exc)}") from None
    return engine, revision is None


def first_line(exc: DBAPIError) -> str:
    """The database's own message, without SQLAlchemy's statement dump."""
    text_ = str(exc.orig if exc.orig is not None else exc).strip()
    return text_.splitlines()[0] if text_ else type(exc).__name__


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction holding the writers' lock; commits on success, rolls back on error."""
    with engine.connect().execution_options(**{_WRITE: True}) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        yield conn


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn, conn.begin():
        yield conn


def _alembic_config(conn: Connection) -> Any:
    from alembic.config import Config

    cfg = Config(str(_MIGRATIONS / "alembic.ini"))
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    cfg.set_main_option("version_locations", str(_MIGRATIONS / "versions"))
    cfg.attributes["connection"] = conn
    return cfg


# The newest revision in migrations/versions (a test checks it is alembic's head): a ledger at
# it needs no migration, and nothing of alembic is loaded.
HEAD_REVISION = "0004"


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory(
        str(_MIGRATIONS), version_locations=[str(_MIGRATIONS / "versions")]
    ).get_current_head()
    assert head is not None
    return head


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(_MIGRATIONS), version_locations=[str(_MIGRATIONS / "versions")])
    return {rev.revision for rev in scripts.walk_revisions()}


def current_revision(conn: Connection) -> str | None:
    """The ledger's schema revision (alembic's version table; None for a new database), read
    with one query: opening a current ledger never imports alembic (a third of a second)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(rows) <= 1:
        return rows[0] if rows else None
    from alembic.runtime.migration import MigrationContext  # several heads: alembic's error

    return MigrationContext.configure(conn).get_current_revision()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op when it is already there. Runs under
    the writers' lock so two processes opening a new database do not both create it."""
    with read_transaction(engine) as conn:
        if current_revision(conn) == HEAD_REVISION:
            return
    from alembic import command

    with write_transaction(engine) as conn:
        if current_revision(conn) != HEAD_REVISION:
            command.upgrade(_alembic_config(conn), "head")
