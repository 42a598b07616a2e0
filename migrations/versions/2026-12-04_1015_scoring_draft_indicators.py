"""scoring: indicators have a status, `draft` for those a plan draft handed over until the office completes them

Revision ID: 3b7e9d2a1f40
Revises: 3e7a9c1d5b20
Create Date: 2026-12-04 10:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b7e9d2a1f40"
down_revision: str | None = "3e7a9c1d5b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "indicator",
        sa.Column("status", sa.String(length=20), server_default="active", nullable=False),
        schema="scoring",
    )
    op.create_check_constraint(
        op.f("ck_indicator_status"), "indicator", "status IN ('draft', 'active')", schema="scoring"
    )


def downgrade() -> None:
    op.execute("DELETE FROM scoring.indicator WHERE status = 'draft'")
    op.drop_constraint(op.f("ck_indicator_status"), "indicator", schema="scoring")
    op.drop_column("indicator", "status", schema="scoring")
