import asyncio

import asyncpg

from luoshi.migrate import downgrade, head_revision, upgrade
from tests.support import fresh_database


async def _tables(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch(
            "SELECT table_schema || '.' || table_name AS t FROM information_schema.tables "
            "WHERE table_schema IN ('tasks', 'scoring', 'notify')"
        )
        return {r["t"] for r in rows}
    finally:
        await conn.close()


def test_upgrade_downgrade_upgrade_on_an_empty_database():
    url = fresh_database("luoshi_test_migrations")
    upgrade(url)
    after_first = asyncio.run(_tables(url))
    assert {
        "tasks.user_account",
        "tasks.unit",
        "tasks.role",
        "tasks.audit_log",
        "tasks.job",
        "scoring.job",
        "notify.audit_log",
    } <= after_first
    downgrade(url, "base")
    assert asyncio.run(_tables(url)) == set()
    upgrade(url)
    assert asyncio.run(_tables(url)) == after_first
    assert asyncio.run(_scalar(url, "SELECT version_num FROM alembic_version")) == head_revision()
    roles = asyncio.run(_scalar(url, "SELECT array_agg(name ORDER BY name) FROM tasks.role"))
    assert roles == ["admin", "leader", "office", "unit"]


async def _scalar(url: str, sql: str):
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval(sql)
    finally:
        await conn.close()


def test_the_migrations_build_exactly_what_the_models_declare(database_url, tasks_app):
    """A model changed without a migration (or a hand-written migration that drifted) fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy.ext.asyncio import create_async_engine

    from luoshi_notify.models import Base as NotifyBase
    from luoshi_scoring.models import Base as ScoringBase
    from luoshi_tasks.models import Base as TasksBase

    def ours(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
        schema = (
            getattr(obj, "schema", None) if type_ == "table" else getattr(getattr(obj, "table", None), "schema", None)
        )
        return type_ != "table" or schema in ("tasks", "scoring", "notify")

    async def diff() -> list:
        engine = create_async_engine(database_url.replace("postgresql://", "postgresql+asyncpg://", 1))
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(
                    lambda sync: compare_metadata(
                        MigrationContext.configure(sync, opts={"include_schemas": True, "include_object": ours}),
                        [TasksBase.metadata, ScoringBase.metadata, NotifyBase.metadata],
                    )
                )
        finally:
            await engine.dispose()

    changes = asyncio.run(diff())
    assert changes == [], changes
