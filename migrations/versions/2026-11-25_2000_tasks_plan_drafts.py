"""tasks: plan drafts read from policy documents

Revision ID: 3c1f7a2d9b10
Revises: f526d9d1d18e
Create Date: 2026-11-25 20:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "3c1f7a2d9b10"
down_revision: str | None = "f526d9d1d18e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "plan_draft",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("source_name", sa.String(length=300), nullable=True),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("draft", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("status", sa.String(length=20), server_default="open", nullable=False),
        sa.Column("plan_id", sa.BigInteger(), nullable=True),
        sa.Column("unit_id", sa.BigInteger(), nullable=True),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["tasks.user_account.id"],
            name=op.f("fk_plan_draft_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["tasks.plan.id"], name=op.f("fk_plan_draft_plan_id_plan"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["tasks.unit.id"], name=op.f("fk_plan_draft_unit_id_unit"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_draft")),
        schema="tasks",
    )


def downgrade() -> None:
    op.drop_table("plan_draft", schema="tasks")
