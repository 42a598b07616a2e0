"""tasks: an assignment keeps why its completion request was last returned (and when), so the unit reads the
reason on the assignment itself, not only in the audit log

Revision ID: 3e7a9c1d5b20
Revises: 8d1f4a6c2e95
Create Date: 2026-12-04 10:10:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3e7a9c1d5b20"
down_revision: str | None = "8d1f4a6c2e95"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("assignment", sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True), schema="tasks")
    op.add_column("assignment", sa.Column("return_reason", sa.Text(), nullable=True), schema="tasks")


def downgrade() -> None:
    op.drop_column("assignment", "return_reason", schema="tasks")
    op.drop_column("assignment", "returned_at", schema="tasks")
