"""tasks: wrong sign-ins counted per client address in a window, whatever usernames they tried

Revision ID: 7a4d2b9e1c03
Revises: 5b7d2e9c4a18
Create Date: 2026-12-04 07:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7a4d2b9e1c03"
down_revision: str | None = "5b7d2e9c4a18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signin_address",
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("window_started", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("address", name=op.f("pk_signin_address")),
        schema="tasks",
    )
    op.create_index(
        op.f("ix_signin_address_window_started"), "signin_address", ["window_started"], unique=False, schema="tasks"
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_signin_address_window_started"), table_name="signin_address", schema="tasks")
    op.drop_table("signin_address", schema="tasks")
