"""notify's background work in each process: the sweep, delivery, and reading other services' events.

Each loop survives its own errors (logged, retried on the next tick) — a database or tasks-api outage pauses
notify, never stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from luoshi.calendar_keeper import CalendarKeeper
from luoshi.clients.scoring import ScoringClient
from luoshi.clock import Clock
from luoshi.db import Database
from luoshi.errors import ServiceUnavailable, is_database_unavailable
from luoshi.logging import get_logger
from luoshi.metrics import SCRAPE_HOOKS
from luoshi_notify.planning import Preferences, render
from luoshi_notify.repository.cursors import CursorRepository
from luoshi_notify.repository.notifications import NotificationRepository, addressed, notification_row
from luoshi_notify.service.deliver import Deliverer
from luoshi_notify.service.feeds import end_tokens_made_by
from luoshi_notify.service.rules import all_preferences
from luoshi_notify.service.sweep import Sweeper
from luoshi_notify.settings import NotifySettings

log = get_logger("luoshi.notify.loops")
SCORING_CURSOR = "scoring-events"
SWEEP_JOB = "sweep"  # the job kind of a sweep on demand (POST /v1/sweeps)


async def sweep_once(
    db: Database,
    tasks: Any,
    clock: Clock,
    *,
    wait: bool = False,
    calendar: CalendarKeeper | None = None,
    full: bool = False,
) -> dict[str, Any]:
    """One sweep; with `calendar`, on tasks-api's calendar as it is now (and not before it was ever read);
    `full`: every notice still within catch-up, not only those since the last sweep (Sweeper.run)."""
    if calendar is not None:
        await calendar.ensure()
    async with db.sessionmaker() as session:
        result = await Sweeper(session, tasks, clock).run(wait=wait, full=full)
        await session.commit()
    return result


async def _consume(db: Database, client: Any, cursor_name: str, handle: Any) -> int:
    """Read another service's outbox after our cursor, store the notices `handle(events)` makes, and move the
    cursor in the same transaction — so each event is handled once, whenever notify runs."""
    async with db.sessionmaker() as session:
        cursors = CursorRepository(session)
        position = await cursors.claim(cursor_name)
        response = await client.request("GET", "/v1/events", params={"after_id": position, "limit": 200})
        if response.status_code >= 400:
            return 0
        events = response.json()["items"]
        if events:
            await NotificationRepository(session).insert_many(await handle(session, events))
            await cursors.move(cursor_name, max(e["id"] for e in events))
        await session.commit()
    return len(events)


class _UnitPeople:
    """A unit's users and short name, each fetched once per batch of events."""

    def __init__(self, tasks: Any) -> None:
        self.tasks = tasks
        self.users: dict[int, list[Any]] = {}
        self.names: dict[int, str] = {}

    async def users_of(self, unit_id: int) -> list[Any]:
        if unit_id not in self.users:
            self.users[unit_id] = await self.tasks.unit_users(unit_id)
        return self.users[unit_id]

    async def office_of(self, payload: dict[str, Any]) -> list[Any]:
        """Who manages the plan an event is about: the office users of its office, and the user who created it."""
        office_unit_id, creator = payload.get("office_unit_id"), payload.get("created_by")
        users = [u for u in await self.users_of(office_unit_id) if "office" in u.roles] if office_unit_id else []
        if creator is not None and all(u.id != creator for u in users):
            users += [u for u in await self.tasks.users([creator]) if u.is_active]
        return users

    async def name_of(self, unit_id: int) -> str:
        if unit_id not in self.names:
            unit = await self.tasks.unit(unit_id)
            self.names[unit_id] = unit.short_name or unit.name
        return self.names[unit_id]


async def consume_scoring_events(db: Database, scoring: ScoringClient, tasks: Any) -> int:
    """Turn `assessment.published` events into inbox notices for the users of every assessed unit."""

    async def handle(session: Any, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        people = _UnitPeople(tasks)
        rows: list[dict[str, Any]] = []
        for event in events:
            if event["kind"] == "assessment.published":
                rows += await _published_rows(event, scoring, people)
        return rows

    return await _consume(db, scoring, SCORING_CURSOR, handle)


TASKS_CURSOR = "tasks-events"
CALENDAR_CHANGED = "calendar.changed"
USER_DEACTIVATED = "user.deactivated"  # the calendar links the user made end
API_KEY_REVOKED = "api_key.revoked"  # and those the key made
# event kind: the template of the notice to the unit's users
TASK_EVENT_KINDS = {
    "task.assigned": "task_assigned",
    "report.returned": "report_returned",
    "extension.decided": "extension_decided",
    "completion.returned": "completion_returned",
}
# event kind: the template of the notice to the plan's office (a new item in its work queue)
OFFICE_EVENT_KINDS = {
    "report.submitted": "report_submitted",
    "extension.requested": "extension_requested",
    "completion.requested": "completion_requested",
}


async def consume_tasks_events(db: Database, tasks: Any, calendar: CalendarKeeper | None = None) -> int:
    """Tell a unit's people when a task is assigned to it, its report or completion request returned (with the
    reason), its extension decided; tell the plan's office when a report, an extension request or a completion
    request waits for it; read the working-day calendar again when it changed, so the next reminder moments
    follow it."""

    async def handle(session: Any, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        prefs = await all_preferences(session)
        people = _UnitPeople(tasks)
        rows: list[dict[str, Any]] = []
        for event in events:
            if event["kind"] == CALENDAR_CHANGED and calendar is not None:
                calendar.mark_stale()
            if event["kind"] == USER_DEACTIVATED:
                await end_tokens_made_by(session, user_id=event["payload"]["user_id"])
            if event["kind"] == API_KEY_REVOKED:
                await end_tokens_made_by(session, key_id=event["payload"]["key_id"])
            payload = event["payload"]
            if event["kind"] in TASK_EVENT_KINDS:
                kind, recipients = TASK_EVENT_KINDS[event["kind"]], await people.users_of(payload["unit_id"])
            elif event["kind"] in OFFICE_EVENT_KINDS:
                kind, recipients = OFFICE_EVENT_KINDS[event["kind"]], await people.office_of(payload)
            else:
                continue
            unit_id = payload["unit_id"]
            office_unit_id = payload.get("office_unit_id")
            context = {
                **payload,
                "unit_name": await people.name_of(unit_id),
                "office_name": await people.name_of(office_unit_id) if office_unit_id else "办公室",
                "period": payload.get("period_due_on", ""),
                "comment": payload.get("comment") or "",
                "due_on": payload.get("due_on") or "长期",
            }
            for user in recipients:
                pref = prefs.get(user.id, Preferences())
                message = render(kind, pref.language, context)
                for channel, address in addressed(user, pref.channels):
                    rows.append(
                        notification_row(
                            key=f"event:tasks:{event['id']}:user:{user.id}:{channel}",
                            rule="event",
                            kind=kind,
                            message=message,
                            channel=channel,
                            lang=pref.language,
                            recipient_user_id=user.id,
                            address=address,
                            unit_id=unit_id,
                            plan_id=payload.get("plan_id"),
                            task_id=payload.get("task_id"),
                            assignment_id=payload.get("assignment_id"),
                            payload=payload,
                        )
                    )
        return rows

    handled = await _consume(db, tasks, TASKS_CURSOR, handle)
    if calendar is not None and calendar.stale:
        await calendar.ensure()
    return handled


async def _published_rows(event: dict[str, Any], scoring: ScoringClient, people: _UnitPeople) -> list[dict[str, Any]]:
    """One inbox notice per user of every ranked unit, with its score and place."""
    payload = event["payload"]
    ranking = await scoring.ranking(payload["assessment_id"])
    rows = []
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
        for user in await people.users_of(place["unit_id"]):
            rows.append(
                notification_row(
                    key=f"published:{payload['assessment_id']}:user:{user.id}:inbox",
                    rule="event",
                    kind="assessment_published",
                    message=message,
                    channel="inbox",
                    recipient_user_id=user.id,
                    unit_id=place["unit_id"],
                    plan_id=payload["plan_id"],
                    payload=context,
                )
            )
    return rows


RETRY_CAP_SECONDS = 30  # after the database or tasks-api returns, a paused loop resumes within this


def _failed(name: str, exc: Exception) -> None:
    """An outage of the database or tasks-api is expected weather: one line per try, not a traceback."""
    if is_database_unavailable(exc) or isinstance(exc, ServiceUnavailable):
        log.warning("loop_paused", loop=name, error=repr(exc)[:300])
    else:
        log.exception("loop_failed", loop=name)


async def _every(seconds: float, name: str, work: Any) -> None:
    failures = 0
    while True:
        try:
            await work()
            failures = 0
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            _failed(name, exc)
            failures += 1
        # a failed round is tried again sooner (2, 4, 8 … s), so a sweep missed in an outage runs soon after it
        await asyncio.sleep(min(seconds, 2 ** min(failures, 5), RETRY_CAP_SECONDS) if failures else seconds)


async def _deliver_forever(deliverer: Deliverer, idle_seconds: float) -> None:
    failures = 0
    while True:
        try:
            handled = await deliverer.run_once()
            failures = 0
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            _failed("deliver", exc)
            handled, failures = 0, failures + 1
        if not handled:  # backs off while failing, up to 5 s
            await asyncio.sleep(min(idle_seconds * 2 ** min(failures, 5), max(idle_seconds, 5)))


@contextlib.asynccontextmanager
async def notify_loops(app: Any, settings: NotifySettings) -> AsyncIterator[None]:
    deliverer = Deliverer(
        app.state.db,
        batch=settings.delivery_batch,
        concurrency=settings.delivery_concurrency,
        max_attempts=settings.delivery_max_attempts,
        lease_seconds=settings.delivery_lease_seconds,
        kit=app.state.channel_kit,
    )
    app.state.deliverer = deliverer
    SCRAPE_HOOKS.append(deliverer.observe_backlog)
    tasks: list[asyncio.Task[None]] = []
    if settings.notify_loops:
        clock = app.state.clock
        tasks = [
            asyncio.create_task(
                _every(
                    settings.sweep_seconds,
                    "sweep",
                    lambda: sweep_once(app.state.db, app.state.tasks_client, clock, calendar=app.state.calendar),
                )
            ),
            asyncio.create_task(_deliver_forever(deliverer, settings.delivery_poll_seconds)),
            asyncio.create_task(
                _every(
                    settings.events_seconds,
                    "tasks-events",
                    lambda: consume_tasks_events(app.state.db, app.state.tasks_client, app.state.calendar),
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
        SCRAPE_HOOKS.remove(deliverer.observe_backlog)
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await deliverer.aclose()
