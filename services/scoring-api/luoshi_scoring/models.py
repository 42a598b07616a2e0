"""scoring-api's tables, all in the `scoring` schema. Plans, tasks and units live in tasks-api and are
referred to by id only (no foreign keys across services)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
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
)
from sqlalchemy.dialects.postgresql import ARRAY, JSON, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from luoshi.audit import audit_table
from luoshi.db import Timestamps, declarative_base
from luoshi.jobs import job_table
from luoshi.outbox import event_table

Base = declarative_base("scoring")
AuditLog = audit_table(Base.metadata)
Job = job_table(Base.metadata)
# Outbox of events for notify, written in the transaction of the change (luoshi.outbox).
Event = event_table(Base.metadata)


class Indicator(Timestamps, Base):
    """指标: what a plan measures, its target, how it scores, and which units report it."""

    __tablename__ = "indicator"
    __table_args__ = (CheckConstraint("status IN ('draft', 'active')", name="status"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    plan_id: Mapped[int] = mapped_column(BigInteger, index=True)
    task_id: Mapped[int | None] = mapped_column(BigInteger)
    office_unit_id: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str | None] = mapped_column(String(50))
    comparator: Mapped[str] = mapped_column(String(10))
    target: Mapped[float | None] = mapped_column(Float)
    target_high: Mapped[float | None] = mapped_column(Float)
    benchmark_name: Mapped[str | None] = mapped_column(String(200))
    baseline: Mapped[float | None] = mapped_column(Float)
    period: Mapped[str] = mapped_column(String(20))
    target_year: Mapped[int | None] = mapped_column(Integer)
    weight: Mapped[float] = mapped_column(Float)
    rule: Mapped[dict[str, Any]] = mapped_column(JSONB)
    unit_ids: Mapped[list[int]] = mapped_column(ARRAY(BigInteger), server_default="{}")
    # draft: handed over from a plan draft (its name, comparator, target as the document wrote them), not yet
    # scored nor reported; the office completes it (rule, weight, period …) and makes it active
    status: Mapped[str] = mapped_column(String(20), server_default="active")
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class IndicatorValue(Timestamps, Base):
    """A unit's value of an indicator for one period, with its evidence; every revision is kept."""

    __tablename__ = "indicator_value"
    __table_args__ = (UniqueConstraint("indicator_id", "unit_id", "period"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(BigInteger)
    period: Mapped[str] = mapped_column(String(10))
    value: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), server_default="entered")
    entered_by: Mapped[str | None] = mapped_column(String(200))
    verified_by: Mapped[str | None] = mapped_column(String(200))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revision: Mapped[int] = mapped_column(Integer, server_default="1")
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class ValueRevision(Base):
    """Each value as it was entered, never changed afterwards."""

    __tablename__ = "value_revision"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    value_id: Mapped[int] = mapped_column(ForeignKey("indicator_value.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))
    by: Mapped[str | None] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ValueAttachment(Base):
    """Evidence files of a value, kept in the database so one backup holds them."""

    __tablename__ = "value_attachment"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    value_id: Mapped[int] = mapped_column(ForeignKey("indicator_value.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Benchmark(Timestamps, Base):
    """The comparison value of an indicator for a period (全省平均), entered or imported by the office."""

    __tablename__ = "benchmark"
    __table_args__ = (UniqueConstraint("indicator_id", "period"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str | None] = mapped_column(String(300))
    entered_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Scheme(Timestamps, Base):
    """考核方案: weighted indicators, task performance, deductions, bonuses, grade bands and the tie rule."""

    __tablename__ = "scheme"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    plan_id: Mapped[int] = mapped_column(BigInteger, index=True)
    office_unit_id: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(300))
    config: Mapped[dict[str, Any]] = mapped_column(JSONB)
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Adjustment(Timestamps, Base):
    """A deduction (通报批评) or bonus (新获中国名牌) for a unit in a scheme's period, with evidence."""

    __tablename__ = "adjustment"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scheme.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(BigInteger)
    period: Mapped[str] = mapped_column(String(10))
    item: Mapped[str] = mapped_column(String(100))
    points: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str | None] = mapped_column(Text)
    entered_by: Mapped[str | None] = mapped_column(String(200))


class Assessment(Timestamps, Base):
    """One run of a scheme for a period. Reruns are new versions; a published one is final."""

    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("scheme_id", "period", "run_version"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scheme.id", ondelete="RESTRICT"))
    plan_id: Mapped[int] = mapped_column(BigInteger)
    period: Mapped[str] = mapped_column(String(10))
    run_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), server_default="queued")
    job_id: Mapped[int | None] = mapped_column(BigInteger)
    inputs: Mapped[dict[str, Any] | None] = mapped_column(JSONB, deferred=True)
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_by: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[bool] = mapped_column(Boolean, server_default="false")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, server_default="1")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Scorecard(Base):
    """A unit's result in one assessment: total, rank, grade, and every line with where its points came from."""

    __tablename__ = "scorecard"
    __table_args__ = (
        UniqueConstraint("assessment_id", "unit_id"),
        Index("ix_scorecard_assessment_rank", "assessment_id", "rank", "unit_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(BigInteger)
    unit_name: Mapped[str | None] = mapped_column(String(300))
    total: Mapped[float] = mapped_column(Float)
    max_total: Mapped[float] = mapped_column(Float)
    percent: Mapped[float] = mapped_column(Float)
    rank: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(20))
    # json, not jsonb: written once with COPY and read whole, so the binary form only costs (3× slower COPY).
    lines: Mapped[list[Any]] = mapped_column(JSON)
