"""`luoshi backup` / `luoshi restore` as an operator runs them: backup, drop, restore gives the same data,
attachments included. Runs against the test server, whichever it is (embedded PostgreSQL 18, or
DATABASE_URL's, e.g. a distribution's 15): the tools are chosen to match it."""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from luoshi.migrate import head_revision
from luoshi_ops import devdb
from luoshi_ops.migrate import upgrade
from tests.conftest import TEST_DB
from tests.support import REPO, fresh_database, server_admin_url

DB_NAME = f"{TEST_DB}_backup"
PASSWORD = "Correct horse battery 9"
EVIDENCE = "抽查报告：全县 12 家企业".encode() * 500 + bytes(range(256))


async def _snapshot(url: str) -> dict[str, Any]:
    """Row count and a digest of every row of every table, and every sequence's position."""
    conn = await asyncpg.connect(url)
    try:
        tables = await conn.fetch(
            "SELECT schemaname, tablename FROM pg_tables"
            " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"
        )
        result: dict[str, Any] = {}
        for row in tables:
            name = f'"{row["schemaname"]}"."{row["tablename"]}"'
            result[name] = tuple(
                await conn.fetchrow(
                    f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {name} t"
                )
            )
        for seq in await conn.fetch("SELECT schemaname, sequencename, last_value FROM pg_sequences"):
            result[f"seq {seq['schemaname']}.{seq['sequencename']}"] = seq["last_value"]
        return result
    finally:
        await conn.close()


def _tasks_app(url: str, key_file: Path) -> Any:
    from luoshi_tasks.main import build_app
    from luoshi_tasks.settings import TasksSettings

    settings = TasksSettings(database_url=url, environment="test", jwt_private_key_file=key_file, jobs_in_process=False)
    return build_app(settings)


async def _sign_in(client: httpx.AsyncClient, app: Any, role: str, unit_id: int | None = None) -> dict[str, str]:
    from luoshi_tasks.identity.schemas import UserCreate
    from luoshi_tasks.identity.service import IdentityService

    username = f"backup-{role}"
    async with app.state.db.sessionmaker() as session:
        service = IdentityService(session, app.state.settings, app.state.keys)
        await service.create_user(UserCreate(username=username, password=PASSWORD, roles=[role], unit_id=unit_id), None)
        await session.commit()
    response = await client.post("/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _fill(url: str, key_file: Path) -> dict[str, Any]:
    """A unit, a plan with a task, a report with an attachment: written through tasks-api, as users do."""
    app = _tasks_app(url, key_file)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://tasks") as client:
            office = await _sign_in(client, app, "office")
            unit = await client.post("/v1/units", json={"name": "备份县统计局", "kind": "department"}, headers=office)
            assert unit.status_code == 201, unit.text
            plan = await client.post(
                "/v1/plans",
                json={
                    "title": "备份恢复演练方案",
                    "issuer": "备份县人民政府",
                    "issued_on": "2026-01-05",
                    "status": "active",
                },
                headers=office,
            )
            assert plan.status_code == 201, plan.text
            task = await client.post(
                f"/v1/plans/{plan.json()['id']}/tasks",
                json={
                    "number": "1",
                    "title": "开展统计执法检查",
                    "lead_unit": unit.json()["id"],
                    "deadline": {"kind": "date", "due_on": "2026-12-31"},
                },
                headers=office,
            )
            assert task.status_code == 201, task.text
            assignment = task.json()["assignments"][0]["assignment_id"]
            lead = await _sign_in(client, app, "unit", unit.json()["id"])
            report = await client.post(
                f"/v1/assignments/{assignment}/reports", json={"text": "已完成抽查", "percent": 40}, headers=lead
            )
            assert report.status_code == 201, report.text
            attachment = await client.post(
                f"/v1/reports/{report.json()['id']}/attachments",
                files={"file": ("抽查报告.pdf", EVIDENCE, "application/pdf")},
                headers=lead,
            )
            assert attachment.status_code == 201, attachment.text
            path = f"/v1/reports/{report.json()['id']}/attachments/{attachment.json()['id']}"
            return {"attachment": path, "headers": lead}


async def _download(url: str, key_file: Path, path: str, headers: dict[str, str]) -> bytes:
    app = _tasks_app(url, key_file)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://tasks") as client:
            response = await client.get(path, headers=headers)
            assert response.status_code == 200, response.text
            return response.content


def _luoshi(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "ENVIRONMENT": "test"}
    return subprocess.run(
        [sys.executable, "-m", "luoshi_ops.cli", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )


async def test_backup_drop_restore_gives_the_same_data_attachments_included(tmp_path: Path) -> None:
    url = await asyncio.to_thread(fresh_database, DB_NAME)
    await asyncio.to_thread(upgrade, url)
    key_file = tmp_path / "jwt.pem"
    filled = await _fill(url, key_file)
    before = await _snapshot(url)
    assert before['"tasks"."attachment"'][0] == 1

    dump = tmp_path / "luoshi.dump"
    backup = await asyncio.to_thread(_luoshi, url, "backup", str(dump))
    assert backup.returncode == 0, backup.stderr
    assert f"schema {head_revision()}" in backup.stdout
    assert dump.stat().st_size > len(EVIDENCE) // 10 and dump.stat().st_mode & 0o077 == 0  # holds password hashes
    assert sorted(os.listdir(tmp_path)) == ["jwt.pem", "luoshi.dump"]  # no partial file left behind

    # The database is lost; the operator creates an empty one and restores into it.
    await asyncio.to_thread(devdb.ensure_database, server_admin_url(), DB_NAME, recreate=True)
    assert await _snapshot(url) == {}
    restore = await asyncio.to_thread(_luoshi, url, "restore", str(dump))
    assert restore.returncode == 0, restore.stderr
    assert "is current" in restore.stdout
    assert await _snapshot(url) == before
    content = await _download(url, key_file, filled["attachment"], filled["headers"])
    assert hashlib.sha256(content).digest() == hashlib.sha256(EVIDENCE).digest()

    # A database with data in it is not overwritten by accident...
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("DELETE FROM tasks.attachment")
    finally:
        await conn.close()
    refused = await asyncio.to_thread(_luoshi, url, "restore", str(dump))
    assert refused.returncode != 0 and "--clean" in refused.stderr and "目标数据库已有" in refused.stderr
    assert (await _snapshot(url))['"tasks"."attachment"'][0] == 0
    # ...only on purpose, and then it is the backup's again.
    clean = await asyncio.to_thread(_luoshi, url, "restore", "--clean", str(dump))
    assert clean.returncode == 0, clean.stderr
    assert await _snapshot(url) == before


def test_restore_explains_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    url = fresh_database(f"{DB_NAME}_empty")
    bogus = tmp_path / "notes.txt"
    bogus.write_text("不是备份")
    result = _luoshi(url, "restore", str(bogus))
    assert result.returncode != 0 and "不是可恢复的备份文件" in result.stderr
    missing = _luoshi(url, "restore", str(tmp_path / "none.dump"))
    assert missing.returncode != 0 and "文件不存在" in missing.stderr
