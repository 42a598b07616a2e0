"""The audit log: every change records who, when, what (before and after) and the request id.

Each service keeps its own `audit_log` table in its own schema, written in the same transaction as
the change it describes, so a change and its audit line are committed together or not at all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import BigInteger, Column, DateTime, Index, MetaData, String, Table, func, insert
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.auth import Principal
from luoshi.context import request_id_var


def audit_table(metadata: MetaData) -> Table:
    return Table(
        "audit_log",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("actor", String(200), nullable=False),
        Column("actor_user_id", BigInteger),
        Column("action", String(100), nullable=False),
        Column("entity", String(100), nullable=False),
        Column("entity_id", String(100), nullable=False),
        Column("before", JSONB),
        Column("after", JSONB),
        Column("request_id", String(128)),
        Index(None, "entity", "entity_id", "id"),
    )


class AuditEntry(BaseModel):
    id: int
    at: datetime
    actor: str
    actor_user_id: int | None
    action: str
    entity: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None


async def record(
    session: AsyncSession,
    table: Table,
    principal: Principal | None,
    action: str,
    entity: str,
    entity_id: Any,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    await session.execute(
        insert(table).values(
            actor=principal.actor if principal else "system",
            actor_user_id=principal.user_id if principal else None,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=before,
            after=after,
            request_id=request_id_var.get(),
        )
    )
