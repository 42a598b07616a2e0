"""`make bench-scale`: a province on one machine. Seeds the synthetic province of `scale_seed` once (kept in the
`luoshi_scale` database), starts one tasks-api process on it, and prints p50/p99 at 16 connections for what a
province's people do most — a unit's 我的任务, a plan's board, a leader's overview, a search of the reports' text —
then notify's daily reminder sweep over it, and the database's size.

BENCH_SCALE_COUNTIES=2 makes a small province (its own database) to try the bench itself in a minute.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import asyncpg
import httpx

from luoshi_ops.devdb import ensure_database
from luoshi_ops.migrate import upgrade
from tests.bench import scale_seed
from tests.bench.__main__ import BENCH_PASSWORD, bench_token, start
from tests.bench.load import Result, run_load
from tests.support import free_port, server_admin_url, with_database

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SLOW = 2.0
"""Seconds: a request slower than this alone is measured at 2 connections, not 16 (16 of them at once would hold
the machine for minutes, and the figure would say no more)."""


async def _facts(url: str) -> tuple[list[int], list[int], str, dict[str, int]]:
    conn = await asyncpg.connect(url)
    try:
        units = [r["id"] for r in await conn.fetch("SELECT id FROM tasks.unit WHERE kind = 'department'")]
        plans = [r["id"] for r in await conn.fetch("SELECT id FROM tasks.plan WHERE status = 'active'")]
        size = await conn.fetchval("SELECT pg_size_pretty(pg_database_size(current_database()))")
        return units, plans, size, await scale_seed.counts(conn)
    finally:
        await conn.close()


def _measure(port: int, token: str, path, label: str) -> str:
    headers = {"Authorization": f"Bearer {token}"}
    rng = random.Random(7)
    started = time.monotonic()
    answer = httpx.get(f"http://127.0.0.1:{port}{path(rng)}", headers=headers, timeout=900)
    alone = time.monotonic() - started
    if answer.status_code != 200:  # e.g. 503 when the statement ran past DATABASE_STATEMENT_TIMEOUT_MS
        code = answer.json().get("code", "") if answer.headers.get("content-type", "").endswith("json") else ""
        return f"| {label} | 1 | 1 | — | — | {answer.status_code} {code} after {alone:,.1f} s | 1 |"
    connections = CONNECTIONS if alone < SLOW else 2
    result: Result = asyncio.run(run_load(port, path, headers, connections=connections, seconds=SECONDS, warmup=0))
    return (
        f"| {label} | {connections} | {result.requests:,} | {result.p50:,.0f} | {result.pct(99):,.0f} | "
        f"{alone * 1000:,.0f} | {result.errors} |"
    )


def main() -> None:
    admin = server_admin_url()
    name = "luoshi_scale" if scale_seed.COUNTIES == 100 else f"luoshi_scale_{scale_seed.COUNTIES}"
    ensure_database(admin, name)
    url = with_database(admin, name)
    upgrade(url)
    from luoshi_tasks.identity.service import hash_password

    started = time.monotonic()
    asyncio.run(scale_seed.seed(url, hash_password(BENCH_PASSWORD), say=lambda line: print(line, flush=True)))
    seeded = time.monotonic() - started
    tmp = Path(tempfile.mkdtemp(prefix="luoshi-scale-"))
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TASKS_API_PORT": str(port),
        "JWT_PRIVATE_KEY_FILE": str(tmp / "k.pem"),
        "JOBS_IN_PROCESS": "false",
    }
    office = bench_token(env, "scale-office", "office")
    leader = bench_token(env, "scale-leader", "leader")
    units, plans, size, counts = asyncio.run(_facts(url))
    proc = start([sys.executable, "-m", "luoshi_ops.cli", "serve", "tasks"], env, port, tmp / "tasks.log")
    try:
        rows = [
            _measure(
                port,
                office,
                lambda rng: f"/v1/me/assignments?unit_id={rng.choice(units)}&due_from=2026-12-10&limit=50",
                "我的任务: a unit's assignments due from today, first page of 50",
            ),
            _measure(
                port,
                office,
                lambda rng: f"/v1/plans/{rng.choice(plans)}/board",
                f"a plan's board ({counts['assignment'] // max(len(plans), 1):,} assignments)",
            ),
            _measure(port, leader, lambda rng: "/v1/overview", "a leader's overview (every active plan and unit)"),
            _measure(
                port,
                office,
                lambda rng: f"/v1/reports?q={quote(rng.choice(['追加预算', '专题推进会', '工作台账']))}&limit=20",
                "a search of every report's text (反馈内容), first page of 20",
            ),
        ]
        from tests.bench import sweep

        sweep_line = asyncio.run(sweep.measure(url, f"http://127.0.0.1:{port}", rounds=1, what="the province"))
    finally:
        proc.terminate()
        proc.wait(10)
    print(
        f"\nLuoshi at a province's size — {', '.join(f'{n:,} {t}' for t, n in counts.items())}; "
        f"database {size}; seeded in {seeded:.0f} s this run (0 when kept from a run before)\n"
    )
    print("| request | connections | requests | p50 ms | p99 ms | alone ms | errors |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"\n{sweep_line}")


if __name__ == "__main__":
    main()
