"""tasks: who created a unit, so the office that created it may maintain it (and no other office may)

Revision ID: 9c2e4f1a7b30
Revises: 5b1c7e0a9d42
Create Date: 2026-12-04 04:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9c2e4f1a7b30"
down_revision: str | None = "5b1c7e0a9d42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("unit", sa.Column("created_by", sa.BigInteger(), nullable=True), schema="tasks")
    op.create_foreign_key(
        op.f("fk_unit_created_by_user_account"),
        "unit",
        "user_account",
        ["created_by"],
        ["id"],
        source_schema="tasks",
        referent_schema="tasks",
        ondelete="SET NULL",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("fk_unit_created_by_user_account"), "unit", schema="tasks", type_="foreignkey")
    op.drop_column("unit", "created_by", schema="tasks")
