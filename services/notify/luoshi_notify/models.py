"""notify's tables, all in the `notify` schema."""

from __future__ import annotations

from luoshi.audit import audit_table
from luoshi.db import declarative_base
from luoshi.jobs import job_table

Base = declarative_base("notify")
AuditLog = audit_table(Base.metadata)
Job = job_table(Base.metadata)
