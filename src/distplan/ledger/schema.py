"""Table definitions (SQLAlchemy Core). The Alembic migrations create them; keep in step."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("title", Text, nullable=False),
    Column("share_class", Text, nullable=True),
    Column("key", Text, nullable=False, unique=True),
)

entries = Table(
    "entries",
    metadata,
    # Assigned by the store under a lock: gapless 1..n, never from a sequence.
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(32), nullable=False),
    Column("plan_id", Integer, ForeignKey("plans.id"), nullable=True),
    Column("effective_date", Date, nullable=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("payload", Text, nullable=False),
    # Instrument identity (ledger/identity.py) for duplicate detection; for other kinds the
    # sha256 of the canonical payload.
    Column("payload_sha256", String(64), nullable=False),
    Column("source_sha256", String(64), nullable=True),
    # Scheme-1 entries kept the source as text; later ones keep its bytes (a NUL byte is not
    # valid in a PostgreSQL text value). At most one of the two is set.
    Column("source_text", Text, nullable=True),
    Column("source_bytes", LargeBinary, nullable=True),
    Column("target_seq", Integer, nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # The user who recorded the entry (the CLI: the OS user); NULL before users were kept.
    Column("recorded_by", Text, nullable=True),
    # Which entry-hash scheme (chain.py) this entry's hash follows.
    Column("hash_scheme", Integer, nullable=False, server_default="1"),
)
Index("ix_entries_plan_seq", entries.c.plan_id, entries.c.seq)
Index("ix_entries_source_sha256", entries.c.source_sha256)
Index("ix_entries_payload_sha256", entries.c.payload_sha256)
Index("ix_entries_target_seq", entries.c.target_seq)

# Users of the web app and API (not ledger entries: a role can change, a token be revoked).
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", Text, nullable=False, unique=True),
    Column("role", String(32), nullable=False),
    Column("password_hash", Text, nullable=True),  # argon2
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("token_sha256", String(64), nullable=False, unique=True),  # the token itself is never kept
    Column("created_at", DateTime(timezone=True), nullable=False),
)
