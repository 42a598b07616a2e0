"""One Alembic history for the three services; each owns one Postgres schema."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import pool, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from luoshi.migrate import MIGRATION_LOCK_ID
from luoshi.settings import BaseServiceSettings
from luoshi_notify.models import Base as NotifyBase
from luoshi_scoring.models import Base as ScoringBase
from luoshi_tasks.models import Base as TasksBase

config = context.config
target_metadata = [TasksBase.metadata, ScoringBase.metadata, NotifyBase.metadata]
SCHEMAS = ("tasks", "scoring", "notify")


def _url() -> str:
    url = config.attributes.get("database_url") or os.environ.get("DATABASE_URL") or ""
    settings = BaseServiceSettings(database_url=url)
    return settings.sqlalchemy_url


def _include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    if type_ == "schema":
        return name in SCHEMAS
    return True


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_schemas=True,
        include_name=_include_name,
        version_table_schema="public",
        compare_type=True,
        transaction_per_migration=False,
    )
    with context.begin_transaction():
        # Serialise concurrent migrators (two pods starting at once); released at commit.
        connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_ID})"))
        context.run_migrations()


async def _run_online() -> None:
    engine = create_async_engine(_url(), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True, include_schemas=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
