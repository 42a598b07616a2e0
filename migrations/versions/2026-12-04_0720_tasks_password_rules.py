"""tasks: when a user's password was last set, and whether it must be changed at the next sign-in

Revision ID: 1f6c8e3a5b27
Revises: 7a4d2b9e1c03
Create Date: 2026-12-05 09:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "1f6c8e3a5b27"
down_revision: str | None = "7a4d2b9e1c03"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # existing passwords count as set now: PASSWORD_MAX_AGE_DAYS runs from the upgrade
    op.add_column(
        "user_account",
        sa.Column("password_changed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        schema="tasks",
    )
    op.add_column(
        "user_account",
        sa.Column("must_change_password", sa.Boolean(), server_default="false", nullable=False),
        schema="tasks",
    )


def downgrade() -> None:
    op.drop_column("user_account", "must_change_password", schema="tasks")
    op.drop_column("user_account", "password_changed_at", schema="tasks")
