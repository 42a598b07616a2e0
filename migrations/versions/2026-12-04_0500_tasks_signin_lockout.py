"""tasks: failed sign-ins counted per account, and the time its lockout ends

Revision ID: 3e8a61c2d5f7
Revises: 9c2e4f1a7b30
Create Date: 2026-12-04 05:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3e8a61c2d5f7"
down_revision: str | None = "9c2e4f1a7b30"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "user_account",
        sa.Column("failed_signins", sa.Integer(), server_default="0", nullable=False),
        schema="tasks",
    )
    op.add_column("user_account", sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True), schema="tasks")


def downgrade() -> None:
    op.drop_column("user_account", "locked_until", schema="tasks")
    op.drop_column("user_account", "failed_signins", schema="tasks")
