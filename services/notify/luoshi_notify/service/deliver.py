"""Delivery: claim due notifications, send them, record every attempt. Loses nothing, doubles nothing.

- A batch is claimed in one short transaction (`FOR UPDATE SKIP LOCKED`, status `sending`, a lease), so any
  number of processes share the work without taking the same row.
- Sending happens outside any transaction; the outcome is recorded in a second one. The lease is renewed
  every third of it until then, however long the batch's sends take. If the process dies in between, the
  lease runs out and another process sends again: at least once, and repeated only for the dead process's
  one batch. Every message carries its
  notification's key as its id (`X-Luoshi-Event-Id`, the e-mail Message-ID), so receivers drop a repeat —
  the one exception being an SMTP server that accepted a message whose acceptance we never heard of
  (docs/architecture.md).
- The inbox is ours: its item is written in the same transaction that marks the notification sent.
- Failures retry with exponential backoff; permanent ones, and those past `max_attempts`, are dead-lettered
  (`failed`, with the reason) and listed by the API.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
from datetime import UTC, datetime, timedelta
from typing import Any

from luoshi.db import Database
from luoshi.jsonutil import dumps_str, loads
from luoshi.logging import get_logger
from luoshi.metrics import NOTIFY_DELIVERIES, NOTIFY_OLDEST_DUE
from luoshi_notify.channels import OutboundMessage, SendResult, loaded, send
from luoshi_notify.channels.kit import ChannelKit
from luoshi_notify.channels.outbound import OutboundHttp
from luoshi_notify.repository.channels import ChannelRepository
from luoshi_notify.repository.inbox import InboxRepository
from luoshi_notify.repository.notifications import NotificationRepository, oldest_due_seconds

log = get_logger("luoshi.notify.deliver")
WORKER = f"{socket.gethostname()}:{os.getpid()}"


_OUTCOME = {"sent": "sent", "pending": "retry", "failed": "failed"}


def backoff(attempt: int, base: float = 5) -> timedelta:
    return timedelta(seconds=min(base * 2 ** (attempt - 1), 3600))


class Deliverer:
    def __init__(
        self,
        db: Database,
        *,
        batch: int = 200,
        concurrency: int = 8,
        lease_seconds: float = 60,
        max_attempts: int = 6,
        backoff_base: float = 5,
        http: Any = None,
        kit: ChannelKit,
    ) -> None:
        self.db = db
        self.kit = kit
        self.batch, self.concurrency, self.lease = batch, concurrency, lease_seconds
        self.max_attempts, self.backoff_base = max_attempts, backoff_base
        # aiohttp behind httpx's names (channels/outbound.py): a connection per send in flight.
        self.http: Any = http or OutboundHttp(connections=concurrency, egress=kit.egress)
        self._channels: dict[str, Any] = {}
        self._channels_at = datetime.min.replace(tzinfo=UTC)

    async def _channel_configs(self) -> dict[str, Any]:
        """Configured channels by name and by kind (`email` finds the SMTP channel); re-read every 10 s."""
        now = datetime.now(UTC)
        if now - self._channels_at > timedelta(seconds=10):
            async with self.db.sessionmaker() as session:
                rows = await ChannelRepository(session).enabled()
            configs: dict[str, Any] = {}
            for row in rows:
                config = loaded(row.config, row.kind, self.kit.box)
                configs[row.name] = config
                configs.setdefault(row.kind, config)
            self._channels, self._channels_at = configs, now
        return self._channels

    async def run_once(self) -> int:
        """Claim and deliver one batch; returns how many were handled."""
        async with self.db.sessionmaker() as session:
            claimed = await NotificationRepository(session).claim(self.batch, self.lease)
            await session.commit()
        if not claimed:
            return 0
        # A batch can outlast its lease (slow receivers: batch / concurrency rounds of up to a timeout each);
        # unrenewed, another process would take rows this one is still sending, and both would send them.
        done = asyncio.Event()
        keeping = asyncio.create_task(self._keep_lease(claimed, done))
        try:
            outcomes = await self._send_all(claimed)
            await self._finish(outcomes)
        finally:
            done.set()  # not cancelled: a renewal under way ends its transaction
            await keeping
        return len(claimed)

    async def _keep_lease(self, claimed: list[Any], done: asyncio.Event) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), self.lease / 3)
            if done.is_set():
                return
            try:
                async with self.db.sessionmaker() as session:
                    await NotificationRepository(session).renew(claimed, self.lease)
                    await session.commit()
            except Exception as exc:  # two thirds of the lease are left: the next round tries again
                log.warning("lease_renewal_failed", error=f"{type(exc).__name__}: {exc}"[:300])

    async def _send_all(self, claimed: list[Any]) -> list[tuple[Any, SendResult]]:
        configs = await self._channel_configs()
        rows = iter(claimed)
        outcomes: list[tuple[Any, SendResult]] = []

        async def worker() -> None:
            for row in rows:  # one iterator shared by the workers: each row is taken once
                outcomes.append((row, await self._send(row, configs)))

        await asyncio.gather(*(worker() for _ in range(self.concurrency)))
        return outcomes

    async def _finish(self, outcomes: list[tuple[Any, SendResult]]) -> None:
        results, inbox = [], []
        for row, result in outcomes:
            if result.ok:
                status, retry_at = "sent", None
            elif result.retryable and row["attempts"] < self.max_attempts:
                status, retry_at = "pending", datetime.now(UTC) + backoff(row["attempts"], self.backoff_base)
            else:
                status, retry_at = "failed", None
            results.append((row["id"], row["attempts"], result.ok, result.retryable, result.detail, status, retry_at))
            if row["channel"] == "inbox" and result.ok and row["recipient_user_id"] is not None:
                link = {k: row[k] for k in ("plan_id", "task_id", "assignment_id") if row[k] is not None}
                inbox.append(
                    (row["recipient_user_id"], row["id"], row["kind"], row["subject"], row["body"], dumps_str(link))
                )
        async with self.db.sessionmaker() as session:
            await InboxRepository(session).add(inbox)
            await NotificationRepository(session).finish(results, WORKER)
            await session.commit()
        for (row, _), (*_, status, _retry_at) in zip(outcomes, results, strict=True):
            NOTIFY_DELIVERIES.labels(row["channel"], _OUTCOME[status]).inc()

    async def observe_backlog(self) -> None:
        """Set the gauge of the oldest due, unsent notification (at scrape time; ix_notification_due)."""
        async with self.db.engine.connect() as conn:
            NOTIFY_OLDEST_DUE.set(await oldest_due_seconds(conn))

    async def _send(self, row: Any, configs: dict[str, Any]) -> SendResult:
        if row["channel"] == "inbox":
            return SendResult(ok=True, retryable=False, detail="inbox")
        config = configs.get(row["channel"])
        if config is None:
            return SendResult(ok=False, retryable=True, detail=f"no enabled channel '{row['channel']}' is configured")
        payload = row["payload"]
        try:
            message = OutboundMessage(
                event_id=row["key"],
                kind=row["kind"],
                subject=row["subject"],
                text=row["body"],
                markdown=row["markdown"],
                recipient=row["address"] or "",
                payload=loads(payload) if isinstance(payload, str | bytes) else (payload or {}),
            )
            return await send(config, message, http=self.http, egress=self.kit.egress)
        except Exception as exc:  # a channel bug must not stop the others; the row retries
            log.exception("send_failed", notification=row["id"])
            return SendResult(ok=False, retryable=True, detail=f"{type(exc).__name__}: {exc}"[:300])

    async def drain(self, seconds: float = 30) -> int:
        """Deliver until nothing is due (tests, the demo)."""
        total, deadline = 0, asyncio.get_running_loop().time() + seconds
        while asyncio.get_running_loop().time() < deadline:
            handled = await self.run_once()
            total += handled
            if not handled:
                return total
        return total

    async def aclose(self) -> None:
        await self.http.aclose()
