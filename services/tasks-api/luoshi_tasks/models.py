"""tasks-api's tables, all in the `tasks` schema: identity, units, plans, tasks and their workflow."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from luoshi.audit import audit_table
from luoshi.db import Timestamps, declarative_base
from luoshi.jobs import job_table
from luoshi.outbox import event_table

Base = declarative_base("tasks")
AuditLog = audit_table(Base.metadata)
Job = job_table(Base.metadata)
Event = event_table(Base.metadata)


class Unit(Timestamps, Base):
    """单位: a government, department, zone committee, enterprise or association."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    short_name: Mapped[str | None] = mapped_column(String(100))
    aliases: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    kind: Mapped[str] = mapped_column(String(30))
    level: Mapped[str | None] = mapped_column(String(20))
    contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    # the office user who added it may maintain it; units loaded by an operator (None) are the admin's
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Role(Base):
    __tablename__ = "role"

    name: Mapped[str] = mapped_column(String(30), primary_key=True)
    title_zh: Mapped[str] = mapped_column(String(50))
    title_en: Mapped[str] = mapped_column(String(50))


class User(Timestamps, Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50))
    is_active: Mapped[bool] = mapped_column(Boolean, server_default="true")
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    # wrong passwords in a row, and when the lockout they caused ends (SIGNIN_MAX_FAILURES, SIGNIN_LOCKOUT_SECONDS)
    failed_signins: Mapped[int] = mapped_column(Integer, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # PASSWORD_MAX_AGE_DAYS counts from here; after an admin's reset the temporary password must be changed
    password_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    must_change_password: Mapped[bool] = mapped_column(Boolean, server_default="false")
    # in every access token (`ver`); raised when all the user's sessions end, so their access tokens stop working
    token_version: Mapped[int] = mapped_column(Integer, server_default="0")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class SigninAddress(Base):
    """Wrong sign-ins from one client address in the current window (SIGNIN_ADDRESS_MAX_FAILURES,
    SIGNIN_ADDRESS_WINDOW_SECONDS), whatever usernames they tried."""

    __tablename__ = "signin_address"

    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, server_default="0")
    window_started: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)


class AuthSession(Base):
    """One sign-in: its access tokens carry its id (`sid`); its refresh tokens rotate on every use."""

    __tablename__ = "auth_session"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # SESSION_MAX_HOURS after sign-in
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_from: Mapped[str | None] = mapped_column(String(64))


class RefreshToken(Base):
    """A refresh token, as its SHA-256. Used once: a second use (of a token already rotated) ends the session."""

    __tablename__ = "refresh_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_id: Mapped[str] = mapped_column(ForeignKey("auth_session.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class UserRole(Base):
    __tablename__ = "user_role"

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(ForeignKey("role.name"), primary_key=True)


class ApiKey(Base):
    """A key for another government system: shown once, stored as a SHA-256 hash, scoped, revocable."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


Index("ix_unit_aliases", Unit.aliases, postgresql_using="gin")


class Workday(Base):
    """The working-day calendar every service counts on, one row a day 2000–2060: `workday_index` counts
    working days (with make-up working days), so "within N working days" is a subtraction in SQL. `name`
    is the holiday a day off or a 调休 working day belongs to. Edited a year at a time (`/v1/calendar`)."""

    __tablename__ = "workday"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(Boolean)
    workday_index: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(60))


class CalendarYear(Base):
    """A year whose holidays were loaded: `official` from the State Council's notice. A year without a row
    is provisional (Monday to Friday)."""

    __tablename__ = "calendar_year"
    __table_args__ = (CheckConstraint("status IN ('official', 'provisional')", name="status"),)

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, server_default="1")
    source: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_by: Mapped[str | None] = mapped_column(String(200))


class Plan(Timestamps, Base):
    """实施方案: a policy plan with its document number, phases, leading group and office."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    doc_number: Mapped[str | None] = mapped_column(String(100))
    issuer_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    issued_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), server_default="draft")
    office_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    summary: Mapped[str | None] = mapped_column(Text)
    report_schedule: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    yellow_workdays: Mapped[int] = mapped_column(Integer, server_default="5")
    yellow_progress_margin: Mapped[int] = mapped_column(Integer, server_default="20")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PlanPhase(Base):
    """实施步骤: a phase with its date window, possibly repeating (考核评价 each September)."""

    __tablename__ = "plan_phase"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)
    repeat: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class GroupMember(Base):
    """领导小组 member: 组长, 副组长, 成员, or the office's 主任."""

    __tablename__ = "plan_group_member"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(100))
    title: Mapped[str | None] = mapped_column(String(200))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # 分管单位: the units this member is in charge of; escalations about them reach the member's account.
    in_charge_unit_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), server_default="{}")


class Task(Timestamps, Base):
    """One row of the breakdown table (任务分解表), in the document's numbering tree."""

    __tablename__ = "task"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    person_in_charge: Mapped[str | None] = mapped_column(String(200))
    weight: Mapped[float] = mapped_column(Float, server_default="1")
    deadline: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    deadline_text: Mapped[str | None] = mapped_column(String(200))
    start_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    remarks: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index(None, "plan_id", "position"),
        # Search (`?q=`) by any part of the Chinese text: trigram GIN indexes serve LIKE '%…%'.
        Index("ix_task_title_trgm", "title", postgresql_using="gin", postgresql_ops={"title": "gin_trgm_ops"}),
        Index("ix_task_measures_trgm", "measures", postgresql_using="gin", postgresql_ops={"measures": "gin_trgm_ops"}),
    )


class Assignment(Timestamps, Base):
    """交办: one unit's share of one task, with its own state, deadline and progress."""

    __tablename__ = "assignment"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(30), server_default="assigned")
    progress: Mapped[int] = mapped_column(Integer, server_default="0")
    start_on: Mapped[date | None] = mapped_column(Date)
    due_on: Mapped[date | None] = mapped_column(Date)
    original_due_on: Mapped[date | None] = mapped_column(Date)
    state_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # 退回: when the office last returned the unit's completion request, and why (the unit reads it here)
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    return_reason: Mapped[str | None] = mapped_column(Text)
    # The day it was closed in the service's TIMEZONE, so the light tells a late closing in plain SQL.
    closed_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        UniqueConstraint("task_id", "unit_id"),
        # "My tasks": a unit's work by due date, keyset-paginated.
        Index("ix_assignment_unit_due", "unit_id", "due_on", "id"),
        Index("ix_assignment_due_open", "due_on", "id", postgresql_where=text("state <> 'closed'")),
        Index("ix_assignment_plan_due_open", "plan_id", "due_on", "id", postgresql_where=text("state <> 'closed'")),
        Index("ix_assignment_one_lead", "task_id", unique=True, postgresql_where=text("role = 'lead'")),
    )


class Report(Base):
    """反馈: a unit's progress report for one reporting period."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"))
    period_due_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    percent: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(20), server_default="submitted")
    late: Mapped[bool] = mapped_column(Boolean)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_comment: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
    __table_args__ = (
        Index(None, "assignment_id", "period_due_on", "id"),
        Index("ix_report_text_trgm", "text", postgresql_using="gin", postgresql_ops={"text": "gin_trgm_ops"}),
    )


class Attachment(Base):
    """A report's file, kept in the database so one backup holds everything."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Extension(Base):
    """延期申请: a unit asks for a later deadline; the office grants or refuses. The original stays."""

    __tablename__ = "extension"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignment.id", ondelete="CASCADE"), index=True)
    current_due_on: Mapped[date | None] = mapped_column(Date)
    requested_due_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), server_default="requested")
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_comment: Mapped[str | None] = mapped_column(Text)
    # Granted: the assignments of the task whose due date it moved (the asker's, and with a lead unit's, the
    # cooperating units' that shared its date). Empty until then.
    moved_assignment_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), server_default="{}")
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Upload(Base):
    """A file handed to a job (a breakdown table to import), kept until the job is done with it."""

    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PlanDraft(Timestamps, Base):
    """A plan read from its document: the office reviews and edits it, then accepts it into a plan."""

    __tablename__ = "plan_draft"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    title: Mapped[str | None] = mapped_column(String(300))
    source_name: Mapped[str | None] = mapped_column(String(300))
    source_text: Mapped[str] = mapped_column(Text, deferred=True)
    draft: Mapped[dict[str, Any]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(20), server_default="open")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id", ondelete="SET NULL"))
    # The office that owns the draft: its colleagues may edit and accept it.
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
