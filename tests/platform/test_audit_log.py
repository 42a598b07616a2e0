"""The audit logs cannot be rewritten (GB/T 22239-2019 level 3, 8.1.4.3 c) and are kept at least six months:
no UPDATE, DELETE or TRUNCATE of any service's `audit_log`; `luoshi audit purge` removes only lines older than
180 days, and nothing else removes any."""

from __future__ import annotations

import os
import subprocess
import sys

import asyncpg
import pytest

SCHEMAS = ("tasks", "scoring", "notify")


async def _line(conn: asyncpg.Connection, schema: str, days_old: int, action: str) -> int:
    return await conn.fetchval(
        f"INSERT INTO {schema}.audit_log (at, actor, action, entity, entity_id) "
        "VALUES (now() - make_interval(days => $1), 'user:probe', $2, 'probe', '1') RETURNING id",
        days_old,
        action,
    )


def _purge(database_url: str, days: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "luoshi_ops.cli", "audit", "purge", "--older-than-days", str(days)],
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_no_audit_line_can_be_changed_or_removed(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        for schema in SCHEMAS:
            line = await _line(conn, schema, 0, "probe:append-only")
            for statement in (
                f"UPDATE {schema}.audit_log SET actor = 'user:someone-else' WHERE id = {line}",
                f"DELETE FROM {schema}.audit_log WHERE id = {line}",
                f"TRUNCATE {schema}.audit_log",
            ):
                with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
                    await conn.execute(statement)
            # not even a line past six months, outside the purge
            old = await _line(conn, schema, 400, "probe:old")
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(f"DELETE FROM {schema}.audit_log WHERE id = {old}")
            assert await conn.fetchval(f"SELECT actor FROM {schema}.audit_log WHERE id = {line}") == "user:probe"
            # the purge's own setting does not let a young line go
            async with conn.transaction():
                await conn.execute("SET LOCAL luoshi.audit_purge = 'on'")
                with pytest.raises(asyncpg.InsufficientPrivilegeError):
                    await conn.execute(f"DELETE FROM {schema}.audit_log WHERE id = {line}")
    finally:
        await conn.close()


async def test_the_purge_keeps_six_months_whatever_it_is_asked(database_url: str) -> None:
    conn = await asyncpg.connect(database_url)
    try:
        lines = {
            schema: (await _line(conn, schema, 200, "probe:200"), await _line(conn, schema, 170, "probe:170"))
            for schema in SCHEMAS
        }
        refused = _purge(database_url, 90)
        assert refused.returncode == 2 and "180" in refused.stdout
        done = _purge(database_url, 180)
        assert done.returncode == 0, done.stdout + done.stderr
        for schema, (two_hundred, hundred_seventy) in lines.items():
            kept = {r["id"] for r in await conn.fetch(f"SELECT id FROM {schema}.audit_log WHERE actor = 'user:probe'")}
            assert two_hundred not in kept and hundred_seventy in kept, schema
            assert f"{schema}.audit_log:" in done.stdout
    finally:
        await conn.close()
