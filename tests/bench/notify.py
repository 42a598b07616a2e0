"""Bench: notify's delivery throughput to a signed webhook receiver on loopback (aim: ≥ 1,000 per second)."""

from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx
from sqlalchemy import delete, select

from luoshi.db import Database
from luoshi_notify.channels.kit import ChannelKit
from luoshi_notify.models import Channel, Notification
from luoshi_notify.repository.notifications import NotificationRepository
from luoshi_notify.service.deliver import Deliverer
from luoshi_notify.settings import NotifySettings
from tests.support import LOOPBACK, REPO, free_port

SECRET = "bench-secret"
MESSAGES = 5000
CONCURRENCY = int(
    os.environ.get("BENCH_NOTIFY_CONCURRENCY", NotifySettings.model_fields["delivery_concurrency"].default)
)


@contextmanager
def receiver_process() -> Iterator[str]:
    """The receiver in its own process, as a real one would be: the sender is measured, not a shared GIL."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "tests.bench.hook_app:app",
            "--port",
            str(port),
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=REPO,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/count", timeout=0.5)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        proc.wait(10)


async def measure(url: str) -> str:
    settings = NotifySettings(database_url=url, outbound_allow=LOOPBACK)  # type: ignore[call-arg]
    db = Database.from_settings(settings)
    await db.open()
    run = uuid.uuid4().hex[:8]
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one log line per request is not what is measured
    with receiver_process() as receiver:
        async with db.sessionmaker() as session:
            await session.execute(delete(Channel).where(Channel.name == "bench-hook"))
            session.add(
                Channel(
                    name="bench-hook",
                    kind="webhook",
                    config={"kind": "webhook", "url": f"{receiver}/hook", "secret": SECRET},
                )
            )
            now = datetime.now(UTC)
            await NotificationRepository(session).insert_many(
                [
                    {
                        "key": f"bench:{run}:{i}",
                        "rule": "remind",
                        "kind": "remind",
                        "plan_id": None,
                        "task_id": None,
                        "assignment_id": None,
                        "unit_id": None,
                        "recipient_user_id": None,
                        "address": "",
                        "channel": "bench-hook",
                        "lang": "zh",
                        "subject": f"【提醒】基准任务{i}",
                        "body": "请按时完成。",
                        "markdown": None,
                        "payload": "{}",
                        "status": "pending",
                        "send_after": now,
                    }
                    for i in range(MESSAGES)
                ]
            )
            await session.commit()
        deliverer = Deliverer(db, batch=500, concurrency=CONCURRENCY, kit=ChannelKit.from_settings(settings))
        started = time.perf_counter()
        try:
            sent = await deliverer.drain(seconds=120)
        finally:
            await deliverer.aclose()
        elapsed = time.perf_counter() - started
        received = httpx.get(f"{receiver}/count").json()["received"]  # noqa: ASYNC210 - once, after timing
    async with db.sessionmaker() as session:
        left = len(
            list(
                await session.scalars(
                    select(Notification.id).where(
                        Notification.key.like(f"bench:{run}:%"), Notification.status != "sent"
                    )
                )
            )
        )
        await session.execute(delete(Notification).where(Notification.key.like(f"bench:{run}:%")))
        await session.commit()
    await db.dispose()
    rate = sent / elapsed
    verdict = "ok" if rate >= 1000 and left == 0 else "BELOW 1,000/s" if left == 0 else f"{left} NOT SENT"
    return (
        f"notify delivery to a signed webhook on loopback: {sent:,} messages in {elapsed:.2f} s → "
        f"**{rate:,.0f}/s** ({verdict}; receiver saw {received:,} distinct event ids)"
    )


if __name__ == "__main__":
    print(asyncio.run(measure(sys.argv[1])))
