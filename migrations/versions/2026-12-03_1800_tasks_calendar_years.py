"""tasks: the working-day calendar becomes data an office edits: day names, and one row per loaded year

Revision ID: 5b1c7e0a9d42
Revises: 83fe05ccd815
Create Date: 2026-12-03 18:00:00+00:00
"""

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision: str = "5b1c7e0a9d42"
down_revision: str | None = "83fe05ccd815"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEED = Path(__file__).resolve().parent.parent / "seed" / "official_workdays_2004_2026.json"

# The running count of working days, recomputed after any change of is_workday (only changed rows written).
REINDEX = """
UPDATE tasks.workday w SET workday_index = s.idx
FROM (SELECT day, sum(is_workday::int) OVER (ORDER BY day)::int AS idx FROM tasks.workday) s
WHERE w.day = s.day AND w.workday_index <> s.idx
"""


def upgrade() -> None:
    op.add_column("workday", sa.Column("name", sa.String(60), nullable=True), schema="tasks")
    op.create_table(
        "calendar_year",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("source", sa.String(200), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=True),
        sa.CheckConstraint("status IN ('official', 'provisional')", name=op.f("ck_calendar_year_status")),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_calendar_year")),
        schema="tasks",
    )
    doc = json.loads(SEED.read_text(encoding="utf-8"))
    bind = op.get_bind()
    for year, days in doc["years"].items():
        y = int(year)
        bind.execute(
            sa.text(
                "UPDATE tasks.workday SET is_workday = extract(isodow FROM day) < 6, name = NULL "
                "WHERE day BETWEEN :first AND :last"
            ),
            {"first": date(y, 1, 1), "last": date(y, 12, 31)},
        )
        bind.execute(
            sa.text("UPDATE tasks.workday SET is_workday = :w, name = :n WHERE day = :d"),
            [{"d": date.fromisoformat(d), "w": w, "n": n} for d, w, n in days],
        )
        bind.execute(
            sa.text(
                "INSERT INTO tasks.calendar_year (year, status, version, source, updated_by) "
                "VALUES (:y, 'official', 1, :source, 'migration')"
            ),
            {"y": y, "source": f"国务院办公厅关于{y}年部分节假日安排的通知 (chinese-calendar 1.11 seed)"},
        )
    bind.execute(sa.text(REINDEX))


def downgrade() -> None:
    op.drop_table("calendar_year", schema="tasks")
    op.drop_column("workday", "name", schema="tasks")
