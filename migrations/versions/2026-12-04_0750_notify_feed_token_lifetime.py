"""notify: calendar feed tokens expire and record who made them (a user or an API key), so deactivating the user
or revoking the key ends them

Revision ID: 8d1f4a6c2e95
Revises: 7c3f9a1e2b64
Create Date: 2026-12-04 07:50:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8d1f4a6c2e95"
down_revision: str | None = "7c3f9a1e2b64"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("feed_token", sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True), schema="notify")
    op.add_column("feed_token", sa.Column("maker_user_id", sa.BigInteger(), nullable=True), schema="notify")
    op.add_column("feed_token", sa.Column("maker_key_id", sa.BigInteger(), nullable=True), schema="notify")
    # links made before: half a year from when they were made, the default lifetime (FEED_TOKEN_DAYS)
    op.execute("UPDATE notify.feed_token SET expires_at = created_at + interval '180 days'")
    op.alter_column("feed_token", "expires_at", nullable=False, schema="notify")
    op.create_index(op.f("ix_feed_token_maker_user_id"), "feed_token", ["maker_user_id"], schema="notify")
    op.create_index(op.f("ix_feed_token_maker_key_id"), "feed_token", ["maker_key_id"], schema="notify")


def downgrade() -> None:
    op.drop_index(op.f("ix_feed_token_maker_key_id"), table_name="feed_token", schema="notify")
    op.drop_index(op.f("ix_feed_token_maker_user_id"), table_name="feed_token", schema="notify")
    op.drop_column("feed_token", "maker_key_id", schema="notify")
    op.drop_column("feed_token", "maker_user_id", schema="notify")
    op.drop_column("feed_token", "expires_at", schema="notify")
