"""tasks: an index of each plan's open assignments by due date, for the board's overdue list and the leader's
overview (they filtered a plan's rows out of every open assignment in the database by due date)

Revision ID: 5c2d8e7f1a93
Revises: 3b7e1d9a5c42
Create Date: 2026-12-04 11:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5c2d8e7f1a93"
down_revision: str | None = "3b7e1d9a5c42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_assignment_plan_due_open",
        "assignment",
        ["plan_id", "due_on", "id"],
        schema="tasks",
        postgresql_where=sa.text("state <> 'closed'"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_assignment_plan_due_open",
        table_name="assignment",
        schema="tasks",
        postgresql_where=sa.text("state <> 'closed'"),
    )
