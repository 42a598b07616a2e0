import asyncio
import os
import subprocess
import sys

import asyncpg
import httpx

from luoshi.migrate import head_revision
from luoshi_ops.migrate import downgrade, upgrade
from tests.conftest import TEST_DB
from tests.support import REPO, fresh_database


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


def test_two_migrators_at_once_on_an_empty_database():
    """Two pods starting together both run `luoshi migrate`: the advisory lock makes one wait for the other,
    and both succeed."""
    url = fresh_database(f"{TEST_DB}_race")
    env = {**os.environ, "DATABASE_URL": url}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "luoshi_ops.cli", "migrate"],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for _ in range(2)
    ]
    outputs = [proc.communicate(timeout=180)[0].decode() for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    assert asyncio.run(_scalar(url, "SELECT version_num FROM alembic_version")) == head_revision()
    assert asyncio.run(_scalar(url, "SELECT count(*) FROM tasks.role")) == 4


async def test_not_ready_while_the_schema_is_behind_and_still_ready_when_it_is_ahead(tmp_path):
    from luoshi_tasks.main import build_app
    from luoshi_tasks.settings import TasksSettings

    url = await asyncio.to_thread(fresh_database, f"{TEST_DB}_behind")
    settings = TasksSettings(
        database_url=url, environment="test", jobs_in_process=False, jwt_private_key_file=tmp_path / "jwt.pem"
    )
    app = build_app(settings)
    async with app.router.lifespan_context(app):
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://tasks")
        never = await client.get("/readyz")
        assert never.status_code == 503 and never.headers["retry-after"]
        assert "never migrated" in never.json()["detail"] and "luoshi migrate" in never.json()["detail"]

        await asyncio.to_thread(upgrade, url)
        await asyncio.to_thread(downgrade, url, "-1")
        behind = await client.get("/readyz")
        assert behind.status_code == 503
        assert behind.headers["content-type"].startswith("application/problem+json")
        assert head_revision() in behind.json()["detail"] and "luoshi migrate" in behind.json()["detail"]
        assert "luoshi migrate" in behind.json()["detail_zh"]
        assert (await client.get("/healthz")).status_code == 200

        await asyncio.to_thread(upgrade, url)
        ready = await client.get("/readyz")
        assert ready.status_code == 200 and ready.json()["schema"] == head_revision()

        # a newer release migrated the database (rolling upgrade): this older one keeps serving until replaced
        await _scalar(url, "UPDATE alembic_version SET version_num = 'f00000000new'")
        ahead = await client.get("/readyz")
        assert ahead.status_code == 200, ahead.text
        assert ahead.json()["release_schema"] == head_revision()
