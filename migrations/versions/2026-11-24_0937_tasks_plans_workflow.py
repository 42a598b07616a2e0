"""tasks: plans, phases, leading group, tasks, assignments, reports, attachments, extensions, calendar

Revision ID: f526d9d1d18e
Revises: b46c321f40db
Create Date: 2026-11-24 09:37:50.885816+00:00
"""

from collections.abc import Sequence
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "f526d9d1d18e"
down_revision: str | None = "b46c321f40db"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workday",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_workday", sa.Boolean(), nullable=False),
        sa.Column("workday_index", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_workday")),
        schema="tasks",
    )
    op.create_table(
        "plan",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("doc_number", sa.String(length=100), nullable=True),
        sa.Column("issuer_unit_id", sa.BigInteger(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), server_default="draft", nullable=False),
        sa.Column("office_unit_id", sa.BigInteger(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("report_schedule", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("yellow_workdays", sa.Integer(), server_default="5", nullable=False),
        sa.Column("yellow_progress_margin", sa.Integer(), server_default="20", nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["tasks.user_account.id"], name=op.f("fk_plan_created_by_user_account"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["issuer_unit_id"], ["tasks.unit.id"], name=op.f("fk_plan_issuer_unit_id_unit"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["office_unit_id"], ["tasks.unit.id"], name=op.f("fk_plan_office_unit_id_unit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
        schema="tasks",
    )
    op.create_table(
        "plan_group_member",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("plan_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("unit_id", sa.BigInteger(), nullable=True),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["tasks.plan.id"], name=op.f("fk_plan_group_member_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["tasks.unit.id"], name=op.f("fk_plan_group_member_unit_id_unit"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["tasks.user_account.id"],
            name=op.f("fk_plan_group_member_user_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_group_member")),
        schema="tasks",
    )
    op.create_index(
        op.f("ix_plan_group_member_plan_id"), "plan_group_member", ["plan_id"], unique=False, schema="tasks"
    )
    op.create_table(
        "plan_phase",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("plan_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("repeat", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["tasks.plan.id"], name=op.f("fk_plan_phase_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_phase")),
        schema="tasks",
    )
    op.create_index(op.f("ix_plan_phase_plan_id"), "plan_phase", ["plan_id"], unique=False, schema="tasks")
    op.create_table(
        "task",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("plan_id", sa.BigInteger(), nullable=False),
        sa.Column("parent_id", sa.BigInteger(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=50), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=True),
        sa.Column("person_in_charge", sa.String(length=200), nullable=True),
        sa.Column("weight", sa.Float(), server_default="1", nullable=False),
        sa.Column("deadline", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("deadline_text", sa.String(length=200), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["tasks.task.id"], name=op.f("fk_task_parent_id_task"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["tasks.plan.id"], name=op.f("fk_task_plan_id_plan"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
        schema="tasks",
    )
    op.create_index(op.f("ix_task_parent_id"), "task", ["parent_id"], unique=False, schema="tasks")
    op.create_index(op.f("ix_task_plan_id_position"), "task", ["plan_id", "position"], unique=False, schema="tasks")
    op.create_table(
        "assignment",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("task_id", sa.BigInteger(), nullable=False),
        sa.Column("plan_id", sa.BigInteger(), nullable=False),
        sa.Column("unit_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=30), server_default="assigned", nullable=False),
        sa.Column("progress", sa.Integer(), server_default="0", nullable=False),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("original_due_on", sa.Date(), nullable=True),
        sa.Column("state_changed_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["tasks.plan.id"], name=op.f("fk_assignment_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.task.id"], name=op.f("fk_assignment_task_id_task"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["tasks.unit.id"], name=op.f("fk_assignment_unit_id_unit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
        sa.UniqueConstraint("task_id", "unit_id", name=op.f("uq_assignment_task_id_unit_id")),
        schema="tasks",
    )
    op.create_index(
        "ix_assignment_due_open",
        "assignment",
        ["due_on", "id"],
        unique=False,
        schema="tasks",
        postgresql_where=sa.text("state <> 'closed'"),
    )
    op.create_index(
        "ix_assignment_one_lead",
        "assignment",
        ["task_id"],
        unique=True,
        schema="tasks",
        postgresql_where=sa.text("role = 'lead'"),
    )
    op.create_index(op.f("ix_assignment_plan_id"), "assignment", ["plan_id"], unique=False, schema="tasks")
    op.create_index(op.f("ix_assignment_task_id"), "assignment", ["task_id"], unique=False, schema="tasks")
    op.create_index("ix_assignment_unit_due", "assignment", ["unit_id", "due_on", "id"], unique=False, schema="tasks")
    op.create_table(
        "extension",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("assignment_id", sa.BigInteger(), nullable=False),
        sa.Column("current_due_on", sa.Date(), nullable=True),
        sa.Column("requested_due_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), server_default="requested", nullable=False),
        sa.Column("requested_by", sa.BigInteger(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("decided_by", sa.BigInteger(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_comment", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["tasks.assignment.id"],
            name=op.f("fk_extension_assignment_id_assignment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["tasks.user_account.id"],
            name=op.f("fk_extension_decided_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["tasks.user_account.id"],
            name=op.f("fk_extension_requested_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extension")),
        schema="tasks",
    )
    op.create_index(op.f("ix_extension_assignment_id"), "extension", ["assignment_id"], unique=False, schema="tasks")
    op.create_table(
        "report",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("assignment_id", sa.BigInteger(), nullable=False),
        sa.Column("period_due_on", sa.Date(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=20), server_default="submitted", nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("submitted_by", sa.BigInteger(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("reviewed_by", sa.BigInteger(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("review_comment", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["tasks.assignment.id"],
            name=op.f("fk_report_assignment_id_assignment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"],
            ["tasks.user_account.id"],
            name=op.f("fk_report_reviewed_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["tasks.user_account.id"],
            name=op.f("fk_report_submitted_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        schema="tasks",
    )
    op.create_index(
        op.f("ix_report_assignment_id_period_due_on_id"),
        "report",
        ["assignment_id", "period_due_on", "id"],
        unique=False,
        schema="tasks",
    )
    op.create_table(
        "attachment",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("report_id", sa.BigInteger(), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["tasks.report.id"], name=op.f("fk_attachment_report_id_report"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
        schema="tasks",
    )
    op.create_index(op.f("ix_attachment_report_id"), "attachment", ["report_id"], unique=False, schema="tasks")
    op.create_table(
        "upload",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("content_type", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["tasks.user_account.id"],
            name=op.f("fk_upload_created_by_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_upload")),
        schema="tasks",
    )
    # Monday to Friday, 2000–2060; the official years are loaded by the calendar migration (2026-12-03) from
    # migrations/seed, so this migration depends on no package's holiday data.
    workday = sa.table(
        "workday",
        sa.column("day", sa.Date),
        sa.column("is_workday", sa.Boolean),
        sa.column("workday_index", sa.Integer),
        schema="tasks",
    )
    op.bulk_insert(workday, _weekday_rows())


def _weekday_rows() -> list[dict[str, object]]:
    rows, index, day = [], 0, date(2000, 1, 1)
    while day <= date(2060, 12, 31):
        workday = day.weekday() < 5
        index += workday
        rows.append({"day": day, "is_workday": workday, "workday_index": index})
        day += timedelta(days=1)
    return rows


def downgrade() -> None:
    op.drop_table("upload", schema="tasks")
    op.drop_index(op.f("ix_attachment_report_id"), table_name="attachment", schema="tasks")
    op.drop_table("attachment", schema="tasks")
    op.drop_index(op.f("ix_report_assignment_id_period_due_on_id"), table_name="report", schema="tasks")
    op.drop_table("report", schema="tasks")
    op.drop_index(op.f("ix_extension_assignment_id"), table_name="extension", schema="tasks")
    op.drop_table("extension", schema="tasks")
    op.drop_index("ix_assignment_unit_due", table_name="assignment", schema="tasks")
    op.drop_index(op.f("ix_assignment_task_id"), table_name="assignment", schema="tasks")
    op.drop_index(op.f("ix_assignment_plan_id"), table_name="assignment", schema="tasks")
    op.drop_index(
        "ix_assignment_one_lead", table_name="assignment", schema="tasks", postgresql_where=sa.text("role = 'lead'")
    )
    op.drop_index(
        "ix_assignment_due_open", table_name="assignment", schema="tasks", postgresql_where=sa.text("state <> 'closed'")
    )
    op.drop_table("assignment", schema="tasks")
    op.drop_index(op.f("ix_task_plan_id_position"), table_name="task", schema="tasks")
    op.drop_index(op.f("ix_task_parent_id"), table_name="task", schema="tasks")
    op.drop_table("task", schema="tasks")
    op.drop_index(op.f("ix_plan_phase_plan_id"), table_name="plan_phase", schema="tasks")
    op.drop_table("plan_phase", schema="tasks")
    op.drop_index(op.f("ix_plan_group_member_plan_id"), table_name="plan_group_member", schema="tasks")
    op.drop_table("plan_group_member", schema="tasks")
    op.drop_table("plan", schema="tasks")
    op.drop_table("workday", schema="tasks")
