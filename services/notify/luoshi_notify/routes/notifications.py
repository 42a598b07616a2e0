"""Notifications and their delivery attempts, a resend, and a sweep on demand."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from luoshi.errors import responses
from luoshi.inputguard import GuardedRoute
from luoshi.jobs import JobRead, enqueue, get_job, job_read
from luoshi.jsonutil import PageResponse
from luoshi.openapi import sends
from luoshi.pagination import Page
from luoshi.routers import job_location
from luoshi.search import SearchQuery
from luoshi.web import CurrentPrincipal, SessionDep
from luoshi_notify.deps import ClockDep, PageDep
from luoshi_notify.errors import NotificationInFlight, NotificationNotFound
from luoshi_notify.models import Job
from luoshi_notify.schemas.notifications import NotificationDetail, NotificationRead, NotificationStatus
from luoshi_notify.service import notifications as notification_service
from luoshi_notify.service.access import require_manage
from luoshi_notify.service.loops import SWEEP_JOB
from luoshi_notify.service.notifications import NotificationService

router = APIRouter(route_class=GuardedRoute)


@router.get("/v1/notifications", response_model=Page[NotificationRead], tags=["notifications"])
async def list_notifications(
    request: Request,
    principal: CurrentPrincipal,
    page: PageDep,
    clock: ClockDep,
    status_: Annotated[NotificationStatus | None, Query(alias="status")] = None,
    channel: str | None = None,
    recipient: Annotated[int | None, Query(description="user id")] = None,
    task_id: int | None = None,
    plan_id: int | None = None,
    unit_id: int | None = None,
    rule: str | None = None,
    q: SearchQuery = None,
    due_from: Annotated[date | None, Query(description="Due to be sent on or after this day (local time)")] = None,
    due_to: Annotated[date | None, Query(description="Due to be sent on or before this day (local time)")] = None,
) -> Page[NotificationRead]:
    """Newest first. A unit's user sees the notifications sent to them. `q` finds those whose subject or body
    contains the text; `due_from`/`due_to` those due to be sent (`send_after`) in a window of days."""
    filters = {
        "q": q,
        "status": status_,
        "channel": channel,
        "recipient_user_id": recipient,
        "task_id": task_id,
        "plan_id": plan_id,
        "unit_id": unit_id,
        "rule": rule,
        "send_after_window": clock.day_window(due_from, due_to),
    }
    page_ = await notification_service.list_notifications(
        request.app.state.db.pool, principal, limit=page.limit, cursor=page.cursor, filters=filters
    )
    return PageResponse(page_)  # type: ignore[return-value]  # shaped as Page[NotificationRead]


@router.get(
    "/v1/notifications/{notification_id}",
    response_model=NotificationDetail,
    tags=["notifications"],
    responses=responses(NotificationNotFound),
)
async def get_notification(
    notification_id: int, principal: CurrentPrincipal, session: SessionDep
) -> NotificationDetail:
    """With every delivery attempt: when, by which process, and what the channel answered."""
    return await NotificationService(session, principal).get(notification_id)


@router.post(
    "/v1/notifications/{notification_id}/resend",
    response_model=NotificationDetail,
    tags=["notifications"],
    responses=responses(NotificationNotFound, NotificationInFlight),
)
async def resend_notification(
    notification_id: int, principal: CurrentPrincipal, session: SessionDep
) -> NotificationDetail:
    return await NotificationService(session, principal).resend(notification_id)


@router.post(
    "/v1/sweeps",
    response_model=JobRead,
    status_code=status.HTTP_202_ACCEPTED,
    tags=["notifications"],
    responses=sends("Location", status=202),
)
async def start_sweep(
    principal: CurrentPrincipal,
    session: SessionDep,
    response: Response,
    clock: ClockDep,
    full: Annotated[
        bool,
        Query(
            description="Look at every notice still within catch-up, not only those due since the last sweep: "
            "for deadlines entered after today's sweep whose moments have passed (a table imported with past "
            "dates). Nothing already planned is planned again"
        ),
    ] = False,
) -> JobRead:
    """Sweep the deadlines now (it also runs every SWEEP_SECONDS) as a job."""
    require_manage(principal)
    job_id = await enqueue(session, Job, SWEEP_JOB, {"full": full}, principal, max_attempts=3)
    response.headers["Location"] = job_location("notify", job_id)
    return job_read(await get_job(session, Job, job_id))
