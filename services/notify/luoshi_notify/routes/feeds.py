"""Calendar feeds: .ics, subscribed from Outlook or a phone with a secret token."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response, status

from luoshi.inputguard import GuardedRoute
from luoshi.web import CurrentPrincipal, SessionDep
from luoshi_notify.deps import ClockDep
from luoshi_notify.planning.ics import FeedEvent, build_feed
from luoshi_notify.schemas.feeds import FeedTokenCreate, FeedTokenCreated, FeedTokensRevoked
from luoshi_notify.service.feeds import FeedService, check_feed_token, feed_window

router = APIRouter(route_class=GuardedRoute)
ICS = "text/calendar; charset=utf-8"


@router.post("/v1/feeds/tokens", response_model=FeedTokenCreated, status_code=status.HTTP_201_CREATED, tags=["feeds"])
async def create_feed_token(
    body: FeedTokenCreate, principal: CurrentPrincipal, session: SessionDep, request: Request
) -> FeedTokenCreated:
    """A secret URL for a unit's or a user's deadline calendar (the token is shown once)."""
    subject = f"unit:{body.unit_id}" if body.unit_id is not None else f"user:{body.user_id or principal.user_id}"
    settings = request.app.state.settings
    token, expires_at = await FeedService(session, principal, settings.feed_token_days).new_token(subject)
    kind, ident = subject.split(":")
    # PUBLIC_BASE_URL, not the request's Host header, which the client chooses (a link into someone else's site)
    base = settings.public_base_url or str(request.base_url)
    url = f"{base.rstrip('/')}/v1/feeds/{kind}s/{ident}.ics?token={token}"
    return FeedTokenCreated(subject=subject, token=token, url=url, expires_at=expires_at)


@router.post("/v1/feeds/tokens/revoke", response_model=FeedTokensRevoked, tags=["feeds"])
async def revoke_feed_tokens(
    body: FeedTokenCreate, principal: CurrentPrincipal, session: SessionDep
) -> FeedTokensRevoked:
    """End every calendar URL of a unit or of a user (a link that leaked); make a new one afterwards."""
    subject = f"unit:{body.unit_id}" if body.unit_id is not None else f"user:{body.user_id or principal.user_id}"
    return FeedTokensRevoked(subject=subject, revoked=await FeedService(session, principal).revoke_tokens(subject))


async def _feed(request: Request, clock: Any, unit_ids: list[int], name: str) -> Response:
    start, end = feed_window(clock.today())
    events = []
    for unit_id in unit_ids:
        async for item in request.app.state.tasks_client.all_deadlines(start, end, unit_id=unit_id):
            if item.kind == "assignment":
                summary = f"【到期】{item.task_title or '任务'}"
            else:
                summary = f"【报送】{item.plan_title or ''}工作进展"
            events.append(
                FeedEvent(uid=item.key, summary=summary, due_on=item.due_on, description=item.plan_title or "")
            )
    return Response(
        build_feed(name, events, clock.tz.key), media_type=ICS, headers={"Cache-Control": "private, max-age=300"}
    )


@router.get(
    "/v1/feeds/units/{unit_id}.ics",
    response_class=Response,
    tags=["feeds"],
    responses={200: {"content": {"text/calendar": {}}}},
)
async def unit_feed(unit_id: int, token: str, session: SessionDep, request: Request, clock: ClockDep) -> Response:
    """The unit's deadlines (its tasks and its reporting deadlines) for a year ahead, as iCalendar."""
    await check_feed_token(session, f"unit:{unit_id}", token)
    unit = await request.app.state.tasks_client.unit(unit_id)
    return await _feed(request, clock, [unit_id], f"{unit.name} 任务时限")


@router.get(
    "/v1/feeds/users/{user_id}.ics",
    response_class=Response,
    tags=["feeds"],
    responses={200: {"content": {"text/calendar": {}}}},
)
async def user_feed(user_id: int, token: str, session: SessionDep, request: Request, clock: ClockDep) -> Response:
    """The deadlines of the user's unit, as iCalendar."""
    row = await check_feed_token(session, f"user:{user_id}", token)
    units = [row.unit_id] if row.unit_id else []
    return await _feed(request, clock, units, "我的任务时限")
