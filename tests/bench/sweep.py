"""Bench: notify's daily sweep over the 1,000,000-task bench plan set, next to the raw SQL window query.

The sweep is the real one (`Sweeper.run`): it asks tasks-api over HTTP for the deadlines that have a notice
due today, plans reminders, urgings and escalations, and stores one notification per recipient and channel
(one signed-webhook group channel here, so every planned notice is a row). The baseline is what a
hand-written job would start from: one asyncpg query fetching every open assignment of an active plan due in
the sweep's window (60 days back, 16 ahead). Each timed sweep starts from an empty notification table, with
yesterday's sweep marked done, as on any working day.

The day is 2026-12-10, a Thursday with no reporting deadline in the week before it (a bulletin day compiles
100 bulletins, which is other work).
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, date, datetime, timedelta

import asyncpg
from sqlalchemy import delete, text

from luoshi.auth import ServiceTokenSource
from luoshi.clients.tasks import TasksClient
from luoshi.clock import FixedClock
from luoshi.db import Database
from luoshi.settings import DEV_SERVICE_SECRET
from luoshi_notify.models import Channel, Cursor
from luoshi_notify.service.sweep import LOOK_AHEAD_DAYS, LOOK_BACK_DAYS, SWEEP_CURSOR, Sweeper
from luoshi_notify.settings import NotifySettings

DAY = date(2026, 12, 10)
CHANNEL = "bench-sweep-hook"

RAW_WINDOW_SQL = """
SELECT a.id, a.task_id, a.plan_id, a.unit_id, a.due_on, a.state, t.title AS task_title, p.title AS plan_title
FROM tasks.assignment a JOIN tasks.plan p ON p.id = a.plan_id JOIN tasks.task t ON t.id = a.task_id
WHERE a.state <> 'closed' AND p.status = 'active' AND a.due_on BETWEEN $1 AND $2
"""


async def _reset(db: Database) -> None:
    """An empty notification table, yesterday's sweep done, and only this bench's group channel."""
    async with db.sessionmaker() as session:
        await session.execute(text("TRUNCATE notify.notification CASCADE"))
        await session.execute(delete(Cursor).where(Cursor.name == SWEEP_CURSOR))
        session.add(Cursor(name=SWEEP_CURSOR, position=(DAY - timedelta(days=1)).toordinal()))
        await session.commit()


async def _sweep(db: Database, tasks: TasksClient) -> tuple[float, dict]:
    clock = FixedClock(datetime(DAY.year, DAY.month, DAY.day, 1, tzinfo=UTC))
    started = time.perf_counter()
    async with db.sessionmaker() as session:
        result = await Sweeper(session, tasks, clock).run(wait=True)
        await session.commit()
    return time.perf_counter() - started, result


async def _raw(url: str) -> tuple[float, int]:
    conn = await asyncpg.connect(url)
    try:
        started = time.perf_counter()
        rows = await conn.fetch(
            RAW_WINDOW_SQL, DAY - timedelta(days=LOOK_BACK_DAYS), DAY + timedelta(days=LOOK_AHEAD_DAYS)
        )
        return time.perf_counter() - started, len(rows)
    finally:
        await conn.close()


async def measure(url: str, tasks_base: str, rounds: int = 3, what: str = "1M tasks") -> str:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    db = Database.from_settings(NotifySettings(database_url=url))  # type: ignore[call-arg]
    await db.open()
    tasks = TasksClient(tasks_base, token=ServiceTokenSource(DEV_SERVICE_SECRET, "notify"), timeout=60)
    async with db.sessionmaker() as session:
        await session.execute(delete(Channel).where(Channel.name.like("bench-%")))
        session.add(Channel(name=CHANNEL, kind="webhook", config={"kind": "webhook", "url": "http://127.0.0.1:9/"}))
        await session.commit()
    sweeps, raws = [], []
    try:
        for _ in range(rounds):
            raws.append(await _raw(url))
            await _reset(db)
            sweeps.append(await _sweep(db, tasks))
    finally:
        async with db.sessionmaker() as session:
            await session.execute(text("TRUNCATE notify.notification CASCADE"))
            await session.execute(delete(Channel).where(Channel.name == CHANNEL))
            await session.commit()
        await tasks.aclose()
        await db.dispose()
    sweep_s, result = sorted(sweeps, key=lambda s: s[0])[rounds // 2]
    raw_s, raw_rows = sorted(raws)[rounds // 2]
    ratio = sweep_s / raw_s
    verdict = "ok" if ratio <= 3 else "ABOVE 3"
    return (
        f"notify sweep of {DAY} over {what}: {sweep_s * 1000:,.0f} ms — {result['deadlines']:,} deadlines with a "
        f"notice due, {result['planned']:,} notices, {result['new']:,} notifications stored; raw window query: "
        f"{raw_s * 1000:,.0f} ms for {raw_rows:,} rows → sweep/raw **{ratio:.2f}** ({verdict}; median of {rounds})"
    )
