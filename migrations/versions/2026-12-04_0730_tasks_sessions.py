"""tasks: sessions (one per sign-in) with rotated refresh tokens stored hashed, and a per-user token version that
ends every session's access tokens at once

Revision ID: 4b9e7d2c6a18
Revises: 1f6c8e3a5b27
Create Date: 2026-12-05 10:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "4b9e7d2c6a18"
down_revision: str | None = "1f6c8e3a5b27"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "user_account", sa.Column("token_version", sa.Integer(), server_default="0", nullable=False), schema="tasks"
    )
    op.create_table(
        "auth_session",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_from", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["tasks.user_account.id"],
            name=op.f("fk_auth_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_auth_session")),
        schema="tasks",
    )
    op.create_index(op.f("ix_auth_session_user_id"), "auth_session", ["user_id"], unique=False, schema="tasks")
    op.create_table(
        "refresh_token",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["tasks.auth_session.id"],
            name=op.f("fk_refresh_token_session_id_auth_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_refresh_token")),
        schema="tasks",
    )
    op.create_index(op.f("ix_refresh_token_session_id"), "refresh_token", ["session_id"], unique=False, schema="tasks")


def downgrade() -> None:
    op.drop_index(op.f("ix_refresh_token_session_id"), table_name="refresh_token", schema="tasks")
    op.drop_table("refresh_token", schema="tasks")
    op.drop_index(op.f("ix_auth_session_user_id"), table_name="auth_session", schema="tasks")
    op.drop_table("auth_session", schema="tasks")
    op.drop_column("user_account", "token_version", schema="tasks")
