"""An event outbox per service: events are written in the transaction of the change they report, and other
services read them over HTTP after the last id they handled — nothing is lost while a reader is down."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import BigInteger, Column, DateTime, MetaData, String, Table, func, insert, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.context import request_id_var


def event_table(metadata: MetaData) -> Table:
    return Table(
        "event",
        metadata,
        Column("id", BigInteger, primary_key=True),
        Column("kind", String(100), nullable=False),
        Column("subject", String(200), nullable=False),
        Column("payload", JSONB, nullable=False),
        Column("request_id", String(100)),
        Column("created_at", DateTime(timezone=True), server_default=func.now(), nullable=False),
    )


class EventRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str = Field(examples=["report.returned"])
    subject: str
    payload: dict[str, Any]
    request_id: str | None
    created_at: datetime


async def emit(session: AsyncSession, table: Table, kind: str, subject: str, payload: dict[str, Any]) -> None:
    await session.execute(
        insert(table).values(kind=kind, subject=subject, payload=payload, request_id=request_id_var.get())
    )


async def read_events(
    session: AsyncSession, table: Table, *, after_id: int | None, kind: str | None, limit: int
) -> list[Any]:
    q = select(table).order_by(table.c.id).limit(limit + 1)
    if after_id is not None:
        q = q.where(table.c.id > after_id)
    if kind:
        q = q.where(table.c.kind == kind)
    return list((await session.execute(q)).all())
