"""notify's tables, all in the `notify` schema. Units, users and plans live in tasks-api and are referred
to by id only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from luoshi.audit import audit_table
from luoshi.db import Timestamps, declarative_base
from luoshi.jobs import job_table

Base = declarative_base("notify")
AuditLog = audit_table(Base.metadata)
Job = job_table(Base.metadata)


class RuleSet(Timestamps, Base):
    """A plan's reminder, urging and escalation rules (plan_id 0: the defaults for plans without their own)."""

    __tablename__ = "rule_set"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    plan_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    rules: Mapped[dict[str, Any]] = mapped_column(JSONB)
    unit_daily_cap: Mapped[int] = mapped_column(Integer, server_default="20")
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Preference(Timestamps, Base):
    """A user's channels, quiet hours, digest and language."""

    __tablename__ = "preference"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    prefs: Mapped[dict[str, Any]] = mapped_column(JSONB)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Channel(Timestamps, Base):
    """A configured way out: the SMTP server, a webhook, a group robot, an SMS gateway."""

    __tablename__ = "channel"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    config: Mapped[dict[str, Any]] = mapped_column(JSONB)
    enabled: Mapped[bool] = mapped_column(Boolean, server_default="true")
    # Which notifications it carries: {"plan_ids": [...], "kinds": [...]}; empty: all.
    scope: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Notification(Base):
    """One message to one recipient over one channel, stored before it is sent. `key` is deterministic
    (rule, occurrence, recipient, channel), so planning it twice — by two processes, or after a crash — is
    one row."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_due", "send_after", postgresql_where=text("status = 'pending'")),
        Index("ix_notification_lease", "lease_until", postgresql_where=text("status = 'sending'")),
        Index("ix_notification_recipient", "recipient_user_id", "id"),
        # today's messages per unit, for the daily cap, read once per sweep; BRIN: rows arrive in time order,
        # so it costs next to nothing to keep up
        Index("ix_notification_created", "created_at", postgresql_using="brin"),
        Index(
            "ix_notification_subject_trgm",
            "subject",
            postgresql_using="gin",
            postgresql_ops={"subject": "gin_trgm_ops"},
        ),
        Index("ix_notification_body_trgm", "body", postgresql_using="gin", postgresql_ops={"body": "gin_trgm_ops"}),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    rule: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(40))
    plan_id: Mapped[int | None] = mapped_column(BigInteger)
    task_id: Mapped[int | None] = mapped_column(BigInteger)
    assignment_id: Mapped[int | None] = mapped_column(BigInteger)
    unit_id: Mapped[int | None] = mapped_column(BigInteger)
    recipient_user_id: Mapped[int | None] = mapped_column(BigInteger)
    address: Mapped[str | None] = mapped_column(String(300))
    channel: Mapped[str] = mapped_column(String(100))
    lang: Mapped[str] = mapped_column(String(5), server_default="zh")
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    markdown: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    status: Mapped[str] = mapped_column(String(20), server_default="pending")
    send_after: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    digest_key: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class DeliveryAttempt(Base):
    __tablename__ = "delivery_attempt"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notification.id", ondelete="CASCADE"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    ok: Mapped[bool] = mapped_column(Boolean)
    retryable: Mapped[bool] = mapped_column(Boolean)
    detail: Mapped[str] = mapped_column(Text)
    worker: Mapped[str | None] = mapped_column(String(100))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class InboxItem(Base):
    """The in-app inbox: what a user sees in the front end, read or not."""

    __tablename__ = "inbox_item"
    __table_args__ = (Index("ix_inbox_user_unread", "user_id", "id", postgresql_where=text("read_at IS NULL")),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    notification_id: Mapped[int | None] = mapped_column(ForeignKey("notification.id", ondelete="SET NULL"), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    link: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Bulletin(Base):
    """月度通报: after a reporting deadline, who reported late or not at all, and what is overdue."""

    __tablename__ = "bulletin"
    __table_args__ = (UniqueConstraint("plan_id", "period_due_on"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    plan_id: Mapped[int] = mapped_column(BigInteger)
    period_due_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class FeedToken(Base):
    """The secret in an .ics URL; stored hashed, revocable."""

    __tablename__ = "feed_token"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    subject: Mapped[str] = mapped_column(String(50), index=True)  # "unit:12" or "user:5"
    unit_id: Mapped[int | None] = mapped_column(BigInteger)  # whose deadlines a user's feed shows
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # who made it: a link ends when its maker's account is deactivated or its API key revoked
    maker_user_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    maker_key_id: Mapped[int | None] = mapped_column(BigInteger, index=True)


class Cursor(Base):
    """How far notify has read another service's event outbox; "sweep": the last day the sweep finished, as a
    date ordinal."""

    __tablename__ = "cursor"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
