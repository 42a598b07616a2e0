"""`luoshi audit purge`: remove audit lines older than the retention, the only deletion the audit logs allow.

Each service's `audit_log` is append-only in the database (migration 5b7d2e9c4a18): UPDATE, DELETE and TRUNCATE
are refused by a trigger, except a DELETE in a transaction that sets `luoshi.audit_purge` and only of lines older
than 180 days — the six months the Cybersecurity Law (art. 21) and 等保 2.0 ask for. So a purge keeps at least
that, whatever it is asked.
"""

from __future__ import annotations

import asyncio

import asyncpg

from luoshi.settings import to_asyncpg_dsn

MINIMUM_DAYS = 180
SCHEMAS = ("tasks", "scoring", "notify")


async def purge(database_url: str, older_than_days: int) -> dict[str, int]:
    """Delete every service's audit lines older than `older_than_days` (at least 180); the count per schema."""
    if older_than_days < MINIMUM_DAYS:
        raise ValueError(f"audit lines are kept at least {MINIMUM_DAYS} days / 审计记录至少保留 {MINIMUM_DAYS} 天")
    conn = await asyncpg.connect(to_asyncpg_dsn(database_url))
    removed: dict[str, int] = {}
    try:
        async with conn.transaction():
            await conn.execute("SET LOCAL luoshi.audit_purge = 'on'")
            for schema in SCHEMAS:
                status = await conn.execute(
                    f"DELETE FROM {schema}.audit_log WHERE at < now() - make_interval(days => $1)", older_than_days
                )
                removed[schema] = int(status.split()[-1])
    finally:
        await conn.close()
    return removed


def run_purge(database_url: str, older_than_days: int) -> int:
    try:
        removed = asyncio.run(purge(database_url, older_than_days))
    except ValueError as exc:
        print(exc)
        return 2
    for schema, count in removed.items():
        print(f"{schema}.audit_log: {count} lines older than {older_than_days} days removed")
    return 0
