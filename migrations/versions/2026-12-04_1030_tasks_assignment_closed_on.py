"""tasks: an assignment's closing day (closed_on) for the late-closing light, and elapsed time counted from
when each assignment was made rather than the plan's issue date

Revision ID: 3b7e1d9a5c42
Revises: 3b7e9d2a1f40
Create Date: 2026-12-04 10:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3b7e1d9a5c42"
down_revision: str | None = "3b7e9d2a1f40"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("assignment", sa.Column("closed_on", sa.Date(), nullable=True), schema="tasks")
    # Closings before: their day in the default TIMEZONE (Asia/Shanghai).
    op.execute(
        "UPDATE tasks.assignment SET closed_on = CAST(closed_at AT TIME ZONE 'Asia/Shanghai' AS date) "
        "WHERE closed_at IS NOT NULL"
    )
    # Assignments that took the plan's issue date as their start (their task has none): the day they were made.
    op.execute(
        """
        UPDATE tasks.assignment a
           SET start_on = CAST(a.created_at AT TIME ZONE 'Asia/Shanghai' AS date)
          FROM tasks.task t, tasks.plan p
         WHERE t.id = a.task_id AND p.id = a.plan_id AND t.start_on IS NULL
           AND a.start_on IS NOT DISTINCT FROM p.issued_on
           AND CAST(a.created_at AT TIME ZONE 'Asia/Shanghai' AS date) > coalesce(p.issued_on, DATE '0001-01-01')
        """
    )


def downgrade() -> None:
    op.drop_column("assignment", "closed_on", schema="tasks")
