"""Hash scheme 2 (every column in the entry hash), source bytes, TRUNCATE refused.

Existing entries keep hash scheme 1 and stay verifiable; entries written from now on use
scheme 2, which also covers payload_sha256, recorded_by and the source bytes. PostgreSQL's TRUNCATE fires
no row trigger, so a statement trigger refuses it (on plans too: TRUNCATE plans CASCADE would
empty entries).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_PG_NO_TRUNCATE = """
CREATE OR REPLACE FUNCTION distplan_no_truncate() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'distplan ledger tables cannot be truncated (the ledger is append-only)';
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.add_column("entries", sa.Column("source_bytes", sa.LargeBinary, nullable=True))
    op.add_column("entries", sa.Column("hash_scheme", sa.Integer, nullable=False, server_default="1"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_NO_TRUNCATE)
        for table in ("entries", "plans"):
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION distplan_no_truncate()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("entries", "plans"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS distplan_no_truncate()")
    with op.batch_alter_table("entries") as batch:
        batch.drop_column("hash_scheme")
        batch.drop_column("source_bytes")
