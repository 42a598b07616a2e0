"""Every query on notifications and their delivery attempts. The hot paths (planning thousands of
rows, claiming batches to send) use the session's asyncpg connection directly."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import asyncpg
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from luoshi.db import driver_connection
from luoshi.jsonutil import dumps_str
from luoshi.search import contains_pattern
from luoshi_notify.models import DeliveryAttempt, Notification

# One statement for a whole sweep's worth of rows; the unique key makes planning idempotent.
INSERT_SQL = """
INSERT INTO notify.notification (key, rule, kind, plan_id, task_id, assignment_id, unit_id, recipient_user_id,
                                 address, channel, lang, subject, body, markdown, payload, status, send_after)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[],
                     $8::bigint[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
                     $15::jsonb[], $16::text[], $17::timestamptz[])
ON CONFLICT (key) DO NOTHING
"""
INSERT_COLUMNS = (
    "key",
    "rule",
    "kind",
    "plan_id",
    "task_id",
    "assignment_id",
    "unit_id",
    "recipient_user_id",
    "address",
    "channel",
    "lang",
    "subject",
    "body",
    "markdown",
    "payload",
    "status",
    "send_after",
)

# Claim a batch: due pending rows, and rows whose sender died mid-send (lease expired).
CLAIM_SQL = """
UPDATE notify.notification n SET status = 'sending', lease_until = now() + make_interval(secs => $2),
       attempts = n.attempts + 1
WHERE n.id IN (
    SELECT id FROM notify.notification
    WHERE (status = 'pending' AND send_after <= now()) OR (status = 'sending' AND lease_until < now())
    ORDER BY send_after, id
    LIMIT $1
    FOR UPDATE SKIP LOCKED
)
RETURNING n.id, n.key, n.kind, n.rule, n.channel, n.address, n.recipient_user_id, n.subject, n.body, n.markdown,
          n.payload, n.attempts, n.plan_id, n.task_id, n.assignment_id, n.unit_id
"""

# Keep a claim: a row is still ours while it is `sending` at the attempt we claimed it for.
RENEW_SQL = """
UPDATE notify.notification n SET lease_until = now() + make_interval(secs => $3)
FROM unnest($1::bigint[], $2::int[]) AS mine(id, attempts)
WHERE n.id = mine.id AND n.attempts = mine.attempts AND n.status = 'sending'
"""


def notification_row(
    *,
    key: str,
    rule: str,
    kind: str,
    message: Any,
    channel: str,
    lang: str = "zh",
    recipient_user_id: int | None = None,
    address: str | None = "",
    unit_id: int | None = None,
    plan_id: int | None = None,
    task_id: int | None = None,
    assignment_id: int | None = None,
    payload: dict[str, Any] | None = None,
    status: str = "pending",
    send_after: datetime | None = None,
) -> dict[str, Any]:
    """One row for `insert_many`: a rendered message (subject, text, markdown) to one recipient and channel."""
    return {
        "key": key,
        "rule": rule,
        "kind": kind,
        "plan_id": plan_id,
        "task_id": task_id,
        "assignment_id": assignment_id,
        "unit_id": unit_id,
        "recipient_user_id": recipient_user_id,
        "address": address,
        "channel": channel,
        "lang": lang,
        "subject": message.subject,
        "body": message.text,
        "markdown": message.markdown,
        "payload": dumps_str(payload or {}),
        "status": status,
        "send_after": send_after or datetime.now(UTC),
    }


# The notifications list (a hot read, measured by `make bench`): NotificationRead's columns, newest first, keyset by
# id, with only the filters given in the statement (each one a parameter): a generic plan for `recipient_user_id =
# $3` uses its index, where one for `$3 IS NULL OR recipient_user_id = $3` would walk every notification.
_LIST_COLUMNS = """id, key, rule, kind, plan_id, task_id, assignment_id, unit_id, recipient_user_id, address, channel,
       lang, subject, body, status, send_after, attempts, last_error, sent_at, created_at"""
_EQUALS = ("status", "channel", "recipient_user_id", "task_id", "plan_id", "unit_id", "rule")


async def fetch_notifications(
    pool: asyncpg.Pool, *, limit: int, after_id: int | None, filters: dict[str, Any]
) -> list[asyncpg.Record]:
    """`limit` + 1 notifications: one statement on the raw pool, no session."""
    start, end = filters.get("send_after_window") or (None, None)
    given: list[tuple[str, Any]] = [("id < {}", after_id)]
    given += [(f"{column} = {{}}", filters.get(column)) for column in _EQUALS]
    given += [("send_after >= {}", start), ("send_after < {}", end)]
    if filters.get("q"):  # the trigram indexes ix_notification_subject_trgm and ix_notification_body_trgm
        given.append(("(subject ILIKE {0} OR body ILIKE {0})", contains_pattern(filters["q"])))
    where, args = [], [limit + 1]
    for condition, value in given:
        if value is not None:
            args.append(value)
            where.append(condition.format(f"${len(args)}"))
    sql = f"SELECT {_LIST_COLUMNS} FROM notify.notification"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return await pool.fetch(f"{sql} ORDER BY id DESC LIMIT $1", *args)


def addressed(user: Any, channels: list[str]) -> list[tuple[str, str]]:
    """(channel, address) for each of a user's channels that can reach them (no e-mail without an address)."""
    out = []
    for channel in channels:
        address = {"email": user.email, "sms": user.phone}.get(channel, "")
        if channel in ("email", "sms") and not address:
            continue
        out.append((channel, address or ""))
    return out


class NotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def insert_many(self, rows: list[dict[str, Any]]) -> int:
        """Insert planned notifications; those already planned (same key) are left alone. Returns how many
        are new."""
        if not rows:
            return 0
        columns = [[row[c] for row in rows] for c in INSERT_COLUMNS]
        conn = await driver_connection(self.session)
        status = await conn.execute(INSERT_SQL, *columns)
        return int(status.split()[-1])

    async def claim(self, batch: int, lease_seconds: float) -> list[Any]:
        conn = await driver_connection(self.session)
        return await conn.fetch(CLAIM_SQL, batch, lease_seconds)

    async def renew(self, claimed: list[Any], lease_seconds: float) -> None:
        """Extend the lease of claimed rows that are still this claim's (a lapsed one may have been retaken)."""
        conn = await driver_connection(self.session)
        await conn.execute(RENEW_SQL, [r["id"] for r in claimed], [r["attempts"] for r in claimed], lease_seconds)

    async def finish(
        self, results: list[tuple[int, int, bool, bool, str, str | None, datetime | None]], worker: str
    ) -> None:
        """(id, attempt, ok, retryable, detail, next status, retry at) for each sent notification."""
        if not results:
            return
        conn = await driver_connection(self.session)
        await conn.executemany(
            "INSERT INTO notify.delivery_attempt (notification_id, attempt, ok, retryable, detail, worker) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            [(r[0], r[1], r[2], r[3], r[4][:2000], worker) for r in results],
        )
        await conn.executemany(
            "UPDATE notify.notification SET status = $2::varchar, lease_until = NULL, "
            "sent_at = CASE WHEN $2::varchar = 'sent' THEN now() ELSE sent_at END, "
            "last_error = CASE WHEN $2::varchar = 'sent' THEN NULL ELSE $3::text END, "
            # A claim taken over after its lease lapsed is its new sender's: a stale failure must not reopen it
            # (it would be claimed a third time while still being sent), a stale success still closes it.
            "send_after = coalesce($4::timestamptz, send_after) "
            "WHERE id = $1 AND status = 'sending' AND (attempts = $5 OR $2::varchar = 'sent')",
            [(r[0], r[5], r[4][:2000], r[6], r[1]) for r in results],
        )

    async def get(self, notification_id: int, *, for_update: bool = False) -> Notification | None:
        return await self.session.get(Notification, notification_id, with_for_update=for_update)

    async def attempts(self, notification_id: int) -> list[DeliveryAttempt]:
        q = select(DeliveryAttempt).where(DeliveryAttempt.notification_id == notification_id)
        return list(await self.session.scalars(q.order_by(DeliveryAttempt.id)))

    async def sent_today_by_unit(self, since: datetime) -> dict[int, int]:
        """Messages to the unit's people (not inbox items, not group robots or webhooks, not held for a digest)
        planned per unit since `since`."""
        q = (
            select(Notification.unit_id, func.count())
            .where(
                Notification.unit_id.is_not(None),
                Notification.recipient_user_id.is_not(None),
                Notification.created_at >= since,
                Notification.channel != "inbox",
                Notification.status != "digest",
            )
            .group_by(Notification.unit_id)
        )
        return {u: n for u, n in (await self.session.execute(q)).all()}

    async def save(self, row: Notification) -> Notification:
        """Write a changed row and read back what the database set."""
        await self.session.flush()
        await self.session.refresh(row)
        return row

    async def held_for_digest(self) -> list[Notification]:
        """Every notification held for a digest, oldest first, locked for this transaction."""
        q = select(Notification).where(Notification.status == "digest").order_by(Notification.id).with_for_update()
        return list(await self.session.scalars(q))

    async def mark_digested(self, ids: list[int], digest_key: str) -> None:
        await self.session.execute(
            update(Notification)
            .where(Notification.id.in_(ids))
            .values(status="digested", digest_key=digest_key, lease_until=func.now())
        )


async def oldest_due_seconds(conn: AsyncConnection) -> float:
    """How long the oldest due, unsent notification has waited (ix_notification_due)."""
    waited = await conn.scalar(
        text(
            "SELECT extract(epoch FROM now() - min(send_after)) FROM notify.notification "
            "WHERE status = 'pending' AND send_after <= now()"
        )
    )
    return float(waited or 0)


URGE_DAYS_SQL = text(
    """
SELECT payload->>'day' AS day, min(payload->>'note') AS note
FROM notify.notification
WHERE assignment_id = :assignment AND rule = 'urge_on_demand'
GROUP BY 1
ORDER BY 1
"""
)


async def urging_days(session: AsyncSession, assignment_id: int) -> list[Any]:
    """The days an assignment's unit was urged on demand (催办), each with the office's note, oldest first."""
    return list((await session.execute(URGE_DAYS_SQL, {"assignment": assignment_id})).mappings())
