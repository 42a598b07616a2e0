"""Database plumbing: one async engine per process, one transaction per request.

Each service owns one Postgres schema (tasks, scoring, notify); its tables live there and only it
writes them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy import DateTime, MetaData, event, func
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from luoshi.jsonutil import dumps_str, loads
from luoshi.metrics import DB_CONNECTIONS_OPENED, DB_POOL
from luoshi.settings import BaseServiceSettings

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata(schema: str) -> MetaData:
    return MetaData(schema=schema, naming_convention=NAMING_CONVENTION)


def declarative_base(schema: str) -> type[DeclarativeBase]:
    metadata = make_metadata(schema)

    class Base(DeclarativeBase):
        pass

    Base.metadata = metadata
    return Base


class Timestamps:
    """`created_at` and `updated_at` of a row, set by the database: mix in before the service's Base
    (`class Plan(Timestamps, Base)`). `updated_at` moves on every ORM update."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


def create_engine(settings: BaseServiceSettings, **overrides: Any) -> AsyncEngine:
    options: dict[str, Any] = {
        # Every connection the pool opens is kept (no overflow): SQLAlchemy closes an overflow connection when
        # it is returned, so at a steady 16 connections a pool of 10 + 10 opened some 250 new PostgreSQL sessions
        # every 10 s. The most it holds is what it held before (2 x DATABASE_POOL_SIZE); it opens them lazily.
        "pool_size": 2 * settings.database_pool_size,
        "max_overflow": 0,
        "pool_timeout": settings.database_pool_timeout,
        # No ping per checkout (a round trip on every request); `_drop_closed` below catches the connections a
        # database restart cut, at no cost.
        "pool_pre_ping": False,
        # orjson: scorecards and audit rows carry large JSON documents; the stdlib codec is the slow part.
        "json_serializer": dumps_str,
        "json_deserializer": loads,
        "connect_args": {
            "timeout": settings.database_connect_timeout,
            "command_timeout": settings.database_statement_timeout_ms / 1000 + 5,
            "server_settings": {
                "application_name": settings.service_name,
                "statement_timeout": str(settings.database_statement_timeout_ms),
                "timezone": "UTC",
            },
        },
    }
    options.update(overrides)
    engine = create_async_engine(settings.sqlalchemy_url, **options)
    event.listen(engine.sync_engine, "checkout", _drop_closed)
    opened = DB_CONNECTIONS_OPENED.labels(settings.service_name, "orm")
    event.listen(engine.sync_engine, "connect", lambda *_: opened.inc())
    return engine


def _drop_closed(dbapi_connection: Any, record: Any, proxy: Any) -> None:
    """A pooled connection whose server went away (restart, failover) is replaced at checkout, so the first
    request after the database returns succeeds instead of failing on a dead connection. asyncpg notices the
    closed socket by itself; asking it costs nothing."""
    driver = getattr(dbapi_connection, "driver_connection", None)
    if driver is not None and driver.is_closed():
        raise DisconnectionError("connection closed by the server")


async def _init_raw_connection(conn: asyncpg.Connection) -> None:
    """Run by asyncpg once per new connection of the raw pool."""
    for name in ("json", "jsonb"):
        await conn.set_type_codec(name, encoder=dumps_str, decoder=loads, schema="pg_catalog")


async def _light_reset(conn: asyncpg.Connection) -> None:
    """The raw pool runs single read statements and never changes session state, so asyncpg's full
    reset (a server round trip on every release) is only needed if a transaction was left open."""
    if conn.is_in_transaction():
        await conn.execute("ROLLBACK")


@dataclass
class Database:
    """The process's engine and session factory, made in the app's lifespan.

    `pool` is a plain asyncpg pool for hot read paths (a unit by id, "my tasks"): SQLAlchemy's
    per-statement work costs more than the query itself there, and `make bench` shows it.
    """

    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    service: str
    settings: BaseServiceSettings
    _pool: asyncpg.Pool | None = None

    @classmethod
    def from_settings(cls, settings: BaseServiceSettings) -> Database:
        engine = create_engine(settings)
        return cls(
            engine=engine,
            sessionmaker=async_sessionmaker(engine, expire_on_commit=False, autoflush=False),
            service=settings.service_name,
            settings=settings,
        )

    def __post_init__(self) -> None:
        # Every session carries its Database, so a repository on the request's session can reach the raw pool
        # for its hot reads (`raw_pool`) without a service ever holding a second kind of handle.
        self.sessionmaker.configure(info={"database": self})

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("Database.open() was not awaited")
        return self._pool

    async def open(self) -> None:
        """Create the raw pool lazily (min_size=0), so a service starts while the database is away."""
        s = self.settings
        opened = DB_CONNECTIONS_OPENED.labels(s.service_name, "raw")

        async def init(conn: asyncpg.Connection) -> None:
            opened.inc()
            await _init_raw_connection(conn)

        self._pool = asyncpg.create_pool(
            s.asyncpg_dsn,
            min_size=0,
            max_size=s.database_pool_size,
            init=init,
            reset=_light_reset,
            timeout=s.database_connect_timeout,
            command_timeout=s.database_statement_timeout_ms / 1000 + 5,
            server_settings={
                "application_name": s.service_name,
                "timezone": "UTC",
                "statement_timeout": str(s.database_statement_timeout_ms),
            },
        )
        await self._pool

    async def session(self) -> AsyncIterator[AsyncSession]:
        """One transaction per request: committed before the response is sent, rolled back on error."""
        async with self.sessionmaker() as session:
            try:
                yield session
                if session.in_transaction():  # a request that never touched the database has nothing to commit
                    await session.commit()
            except BaseException:
                await session.rollback()
                raise

    async def read_connection(self) -> AsyncIterator[AsyncConnection]:
        """An autocommit connection for reads: no BEGIN/ROLLBACK round trips."""
        async with self.engine.connect() as conn:
            await conn.execution_options(isolation_level="AUTOCOMMIT")
            yield conn

    def observe_pool(self) -> None:
        pool: Any = self.engine.pool
        if hasattr(pool, "checkedout"):
            DB_POOL.labels(self.service, "in_use").set(pool.checkedout())
            DB_POOL.labels(self.service, "idle").set(pool.checkedin())
            DB_POOL.labels(self.service, "capacity").set(pool.size())
        if self._pool is not None:
            DB_POOL.labels(self.service, "raw_in_use").set(self._pool.get_size() - self._pool.get_idle_size())
            DB_POOL.labels(self.service, "raw_idle").set(self._pool.get_idle_size())

    async def dispose(self) -> None:
        if self._pool is not None:
            await self._pool.close()
        await self.engine.dispose()


def raw_pool(session: AsyncSession) -> asyncpg.Pool:
    """The raw pool of the Database that made `session`: for a repository's measured hot reads only."""
    return session.info["database"].pool


async def driver_connection(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under a session's transaction, for bulk work (COPY, unnest inserts, wide reads)
    where SQLAlchemy's per-row cost is many times the query's."""
    connection = await session.connection()
    return (await connection.get_raw_connection()).driver_connection  # type: ignore[return-value]
