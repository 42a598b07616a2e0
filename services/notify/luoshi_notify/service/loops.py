"""notify's background work in each process: the sweep, delivery, and reading other services' events.

Each loop survives its own errors (logged, retried on the next tick) — a database or tasks-api outage pauses
notify, never stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from luoshi.clock import Clock
from luoshi.db import Database
from luoshi.jsonutil import dumps_str
from luoshi.logging import get_logger
from luoshi_notify.planning import render
from luoshi_notify.repository.notifications import NotificationRepository
from luoshi_notify.service.deliver import Deliverer
from luoshi_notify.service.sweep import Sweeper
from luoshi_notify.settings import NotifySettings

log = get_logger("luoshi.notify.loops")
SCORING_CURSOR = "scoring-events"


async def sweep_once(db: Database, tasks: Any, clock: Clock, *, wait: bool = False) -> dict[str, Any]:
    async with db.sessionmaker() as session:
        result = await Sweeper(session, tasks, clock).run(wait=wait)
        await session.commit()
    return result


async def consume_scoring_events(db: Database, scoring: Any, tasks: Any) -> int:
    """Turn `assessment.published` events into inbox notices for the users of every assessed unit. The
    cursor moves in the same transaction as the notifications, so an event is handled once."""
    async with db.sessionmaker() as session:
        repo = NotificationRepository(session)
        position = await repo.cursor(SCORING_CURSOR)
        response = await scoring.request("GET", "/v1/events", params={"after_id": position, "limit": 100})
        if response.status_code >= 400:
            return 0
        events = response.json()["items"]
        rows = []
        for event in events:
            if event["kind"] == "assessment.published":
                rows += await _published_rows(event, scoring, tasks)
            position = max(position, event["id"])
        await repo.insert_many(rows)
        await repo.move_cursor(SCORING_CURSOR, position)
        await session.commit()
    return len(events)


TASKS_CURSOR = "tasks-events"
TASK_EVENT_KINDS = {
    "task.assigned": "task_assigned",
    "report.returned": "report_returned",
    "extension.decided": "extension_decided",
}


async def consume_tasks_events(db: Database, tasks: Any) -> int:
    """Tell a unit's people when a task is assigned to it, its report returned, its extension decided."""
    from sqlalchemy import select

    from luoshi_notify.models import Preference
    from luoshi_notify.planning import Preferences

    async with db.sessionmaker() as session:
        repo = NotificationRepository(session)
        position = await repo.cursor(TASKS_CURSOR)
        response = await tasks.request("GET", "/v1/events", params={"after_id": position, "limit": 200})
        if response.status_code >= 400:
            return 0
        events = response.json()["items"]
        prefs = {p.user_id: Preferences.model_validate(p.prefs) for p in await session.scalars(select(Preference))}
        rows: list[dict[str, Any]] = []
        names: dict[int, str] = {}
        now = datetime.now(UTC)
        for event in events:
            position = max(position, event["id"])
            kind = TASK_EVENT_KINDS.get(event["kind"])
            if kind is None:
                continue
            payload = event["payload"]
            unit_id = payload["unit_id"]
            if unit_id not in names:
                unit = await tasks.unit(unit_id)
                names[unit_id] = unit.short_name or unit.name
            context = {
                **payload,
                "unit_name": names[unit_id],
                "period": payload.get("period_due_on", ""),
                "comment": payload.get("comment") or "",
                "due_on": payload.get("due_on") or "长期",
            }
            for user in await tasks.unit_users(unit_id):
                pref = prefs.get(user.id, Preferences())
                message = render(kind, pref.language, context)
                for channel in pref.channels:
                    address = {"email": user.email, "sms": user.phone}.get(channel, "")
                    if channel in ("email", "sms") and not address:
                        continue
                    rows.append(
                        {
                            "key": f"event:tasks:{event['id']}:user:{user.id}:{channel}",
                            "rule": "event",
                            "kind": kind,
                            "plan_id": payload.get("plan_id"),
                            "task_id": payload.get("task_id"),
                            "assignment_id": payload.get("assignment_id"),
                            "unit_id": unit_id,
                            "recipient_user_id": user.id,
                            "address": address or "",
                            "channel": channel,
                            "lang": pref.language,
                            "subject": message.subject,
                            "body": message.text,
                            "markdown": message.markdown,
                            "payload": dumps_str(payload),
                            "status": "pending",
                            "send_after": now,
                        }
                    )
        await repo.insert_many(rows)
        await repo.move_cursor(TASKS_CURSOR, position)
        await session.commit()
    return len(events)


async def _published_rows(event: dict[str, Any], scoring: Any, tasks: Any) -> list[dict[str, Any]]:
    """One inbox notice per user of every ranked unit, with its score and place."""
    payload = event["payload"]
    ranking: list[dict[str, Any]] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 500, **({"cursor": cursor} if cursor else {})}
        response = await scoring.request("GET", f"/v1/assessments/{payload['assessment_id']}/ranking", params=params)
        if response.status_code >= 400:
            break
        body = response.json()
        ranking += body["items"]
        cursor = body.get("next_cursor")
        if not cursor:
            break
    rows = []
    now = datetime.now(UTC)
    for place in ranking:
        context = {
            "period": payload.get("period", ""),
            "plan_title": payload.get("scheme", ""),
            "unit_name": place.get("unit_name") or "",
            "score": place["total"],
            "rank": place["rank"],
            "total": len(ranking),
            "assessment_id": payload["assessment_id"],
        }
        message = render("assessment_published", "zh", context)
        for user in await tasks.unit_users(place["unit_id"]):
            rows.append(
                {
                    "key": f"published:{payload['assessment_id']}:user:{user.id}:inbox",
                    "rule": "event",
                    "kind": "assessment_published",
                    "plan_id": payload["plan_id"],
                    "task_id": None,
                    "assignment_id": None,
                    "unit_id": place["unit_id"],
                    "recipient_user_id": user.id,
                    "address": "",
                    "channel": "inbox",
                    "lang": "zh",
                    "subject": message.subject,
                    "body": message.text,
                    "markdown": message.markdown,
                    "payload": dumps_str(context),
                    "status": "pending",
                    "send_after": now,
                }
            )
    return rows


async def _every(seconds: float, name: str, work: Any) -> None:
    while True:
        try:
            await work()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("loop_failed", loop=name)
        await asyncio.sleep(seconds)


async def _deliver_forever(deliverer: Deliverer, idle_seconds: float) -> None:
    while True:
        try:
            handled = await deliverer.run_once()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("loop_failed", loop="deliver")
            handled = 0
        if not handled:
            await asyncio.sleep(idle_seconds)


@contextlib.asynccontextmanager
async def notify_loops(app: Any, settings: NotifySettings) -> AsyncIterator[None]:
    deliverer = Deliverer(
        app.state.db,
        batch=settings.delivery_batch,
        concurrency=settings.delivery_concurrency,
        max_attempts=settings.delivery_max_attempts,
        lease_seconds=settings.delivery_lease_seconds,
    )
    app.state.deliverer = deliverer
    tasks: list[asyncio.Task[None]] = []
    if settings.notify_loops:
        clock = app.state.clock
        tasks = [
            asyncio.create_task(
                _every(settings.sweep_seconds, "sweep", lambda: sweep_once(app.state.db, app.state.tasks_client, clock))
            ),
            asyncio.create_task(_deliver_forever(deliverer, settings.delivery_poll_seconds)),
            asyncio.create_task(
                _every(
                    settings.events_seconds,
                    "tasks-events",
                    lambda: consume_tasks_events(app.state.db, app.state.tasks_client),
                )
            ),
            asyncio.create_task(
                _every(
                    settings.events_seconds,
                    "events",
                    lambda: consume_scoring_events(app.state.db, app.state.scoring_client, app.state.tasks_client),
                )
            ),
        ]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await deliverer.aclose()
