"""The ledger: plans and append-only, hash-chained entries.

Revision ID: 0001
Revises:
Create Date: 2024-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_PG_GUARD = """
CREATE OR REPLACE FUNCTION distplan_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'distplan ledger entries are append-only (no UPDATE or DELETE)';
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("share_class", sa.Text, nullable=True),
        sa.Column("key", sa.Text, nullable=False, unique=True),
    )
    op.create_table(
        "entries",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("plans.id"), nullable=True),
        sa.Column("effective_date", sa.Date, nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("payload_sha256", sa.String(64), nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=True),
        sa.Column("source_text", sa.Text, nullable=True),
        sa.Column("target_seq", sa.Integer, nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_entries_plan_seq", "entries", ["plan_id", "seq"])
    op.create_index("ix_entries_source_sha256", "entries", ["source_sha256"])
    op.create_index("ix_entries_payload_sha256", "entries", ["payload_sha256"])
    op.create_index("ix_entries_target_seq", "entries", ["target_seq"])
    # Defence in depth: the database itself refuses UPDATE and DELETE on entries.
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER entries_no_{action.lower()} BEFORE {action} ON entries "
                "BEGIN SELECT RAISE(ABORT, 'distplan ledger entries are append-only'); END"
            )
    elif dialect == "postgresql":
        op.execute(_PG_GUARD)
        op.execute(
            "CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries "
            "FOR EACH ROW EXECUTE FUNCTION distplan_append_only()"
        )


def downgrade() -> None:
    op.drop_table("entries")
    op.drop_table("plans")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS distplan_append_only()")
