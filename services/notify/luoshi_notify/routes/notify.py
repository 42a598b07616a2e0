"""notify's API: notifications and their attempts, the inbox, rules, preferences, channels, templates,
bulletins, calendar feeds, and a sweep on demand."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Request, Response, status

from luoshi.errors import FieldProblem, PreconditionRequired, StaleEtag, ValidationFailed, responses
from luoshi.etag import IfMatch, etag, row_etag
from luoshi.jobs import JobRead, enqueue, get_job, job_read
from luoshi.pagination import Page
from luoshi.web import CurrentPrincipal, SessionDep
from luoshi_notify.deps import ChannelKitDep, ClockDep, PageDep, TasksDep
from luoshi_notify.models import Job
from luoshi_notify.planning import TEMPLATE_KINDS, TemplateError, render, sample_context
from luoshi_notify.schemas import (
    ChannelRead,
    ChannelWrite,
    InboxPage,
    NotificationDetail,
    NotificationRead,
    NotificationStatus,
    PreferencesRead,
    PreviewRead,
    PreviewRequest,
    RulesRead,
    RulesWrite,
    SendResultRead,
    TestSend,
)
from luoshi_notify.service.manage import (
    ChannelNameTaken,
    ChannelNotFound,
    NotificationInFlight,
    NotificationNotFound,
    NotifyService,
    require_manage,
)

router = APIRouter()
SWEEP_JOB = "sweep"


@router.get("/v1/notifications", response_model=Page[NotificationRead], tags=["notifications"])
async def list_notifications(
    principal: CurrentPrincipal,
    session: SessionDep,
    page: PageDep,
    status_: Annotated[NotificationStatus | None, Query(alias="status")] = None,
    channel: str | None = None,
    recipient: Annotated[int | None, Query(description="user id")] = None,
    task_id: int | None = None,
    plan_id: int | None = None,
    unit_id: int | None = None,
    rule: str | None = None,
) -> Page[NotificationRead]:
    """Newest first. A unit's user sees the notifications sent to them."""
    filters = {
        "status": status_,
        "channel": channel,
        "recipient_user_id": recipient,
        "task_id": task_id,
        "plan_id": plan_id,
        "unit_id": unit_id,
        "rule": rule,
    }
    return await NotifyService(session, principal).notifications(limit=page.limit, cursor=page.cursor, filters=filters)


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
    return await NotifyService(session, principal).notification(notification_id)


@router.post(
    "/v1/notifications/{notification_id}/resend",
    response_model=NotificationDetail,
    tags=["notifications"],
    responses=responses(NotificationNotFound, NotificationInFlight),
)
async def resend_notification(
    notification_id: int, principal: CurrentPrincipal, session: SessionDep
) -> NotificationDetail:
    return await NotifyService(session, principal).resend(notification_id)


@router.get("/v1/inbox", response_model=InboxPage, tags=["inbox"])
async def get_inbox(principal: CurrentPrincipal, session: SessionDep, page: PageDep, unread: bool = False) -> InboxPage:
    """The caller's in-app messages, newest first, with the unread count."""
    return await NotifyService(session, principal).inbox(limit=page.limit, cursor=page.cursor, unread=unread)


@router.post("/v1/inbox/{item_id}/read", tags=["inbox"])
async def mark_inbox_item_read(item_id: int, principal: CurrentPrincipal, session: SessionDep) -> dict[str, int]:
    return {"marked": await NotifyService(session, principal).mark_read(item_id)}


@router.post("/v1/inbox/read-all", tags=["inbox"])
async def mark_inbox_read(principal: CurrentPrincipal, session: SessionDep) -> dict[str, int]:
    return {"marked": await NotifyService(session, principal).mark_read(None)}


@router.get("/v1/rules/{plan_id}", response_model=RulesRead, tags=["rules"])
async def get_rules(plan_id: int, principal: CurrentPrincipal, session: SessionDep, response: Response) -> RulesRead:
    """A plan's reminder rules (plan 0: the defaults). Unset, a plan uses the defaults."""
    rules = await NotifyService(session, principal).rules(plan_id)
    response.headers["ETag"] = etag("rules", plan_id, rules.version)
    return rules


@router.put(
    "/v1/rules/{plan_id}",
    response_model=RulesRead,
    tags=["rules"],
    responses=responses(StaleEtag, PreconditionRequired),
)
async def put_rules(
    plan_id: int,
    body: RulesWrite,
    principal: CurrentPrincipal,
    session: SessionDep,
    response: Response,
    tasks: TasksDep,
    if_match: IfMatch = None,
) -> RulesRead:
    """Set a plan's reminder rules (its office or its creator), or the defaults (plan 0, an admin)."""
    rules = await NotifyService(session, principal).set_rules(plan_id, body, if_match, tasks)
    response.headers["ETag"] = etag("rules", plan_id, rules.version)
    return rules


@router.get("/v1/preferences", response_model=PreferencesRead, tags=["preferences"])
async def get_preferences(principal: CurrentPrincipal, session: SessionDep) -> PreferencesRead:
    return await NotifyService(session, principal).preferences()


@router.put("/v1/preferences", response_model=PreferencesRead, tags=["preferences"])
async def put_preferences(
    principal: CurrentPrincipal,
    session: SessionDep,
    prefs: Annotated[
        dict[str, Any],
        Body(
            examples=[
                {
                    "channels": ["inbox", "email"],
                    "quiet_start": "22:00",
                    "quiet_end": "07:00",
                    "digest": False,
                    "language": "zh",
                }
            ]
        ),
    ],
) -> PreferencesRead:
    """Channels, quiet hours, a daily digest instead of single messages, and the language."""
    return await NotifyService(session, principal).set_preferences(prefs)


@router.get("/v1/channels", response_model=list[ChannelRead], tags=["channels"])
async def list_channels(
    principal: CurrentPrincipal, session: SessionDep, tasks: TasksDep, kit: ChannelKitDep
) -> list[ChannelRead]:
    """Every channel for an administrator; for an office, the channels of the plans it manages."""
    return await NotifyService(session, principal, kit).channels(tasks)


@router.get(
    "/v1/channels/{channel_id}", response_model=ChannelRead, tags=["channels"], responses=responses(ChannelNotFound)
)
async def get_channel(
    channel_id: int,
    principal: CurrentPrincipal,
    session: SessionDep,
    tasks: TasksDep,
    kit: ChannelKitDep,
    response: Response,
) -> ChannelRead:
    """One channel, secrets masked, with the ETag a change needs (`If-Match`)."""
    channel = await NotifyService(session, principal, kit).channel(channel_id, tasks)
    response.headers["ETag"] = row_etag("channel", channel)
    return channel


@router.post(
    "/v1/channels",
    response_model=ChannelRead,
    status_code=status.HTTP_201_CREATED,
    tags=["channels"],
    responses=responses(ChannelNameTaken),
)
async def add_channel(
    body: ChannelWrite, principal: CurrentPrincipal, session: SessionDep, tasks: TasksDep, kit: ChannelKitDep
) -> ChannelRead:
    """SMTP, a webhook (HMAC-SHA256 signed), a WeCom, DingTalk or Feishu group robot, or an SMS gateway.
    A channel for every plan (no `scope.plan_ids`) is an administrator's; an office may add one for the plans
    it manages."""
    return await NotifyService(session, principal, kit).add_channel(body, tasks)


@router.put(
    "/v1/channels/{channel_id}",
    response_model=ChannelRead,
    tags=["channels"],
    responses=responses(ChannelNotFound, ChannelNameTaken, StaleEtag, PreconditionRequired),
)
async def replace_channel(
    channel_id: int,
    body: ChannelWrite,
    principal: CurrentPrincipal,
    session: SessionDep,
    response: Response,
    tasks: TasksDep,
    kit: ChannelKitDep,
    if_match: IfMatch = None,
) -> ChannelRead:
    """Change a channel: its config (rotate a webhook secret or a robot key), scope, name or whether it is on.
    Needs `If-Match` with the version read (`"channel-{id}-v{version}"`); a secret sent back masked, as reads
    show it, keeps its stored value."""
    channel = await NotifyService(session, principal, kit).replace_channel(channel_id, body, if_match, tasks)
    response.headers["ETag"] = row_etag("channel", channel)
    return channel


@router.post(
    "/v1/channels/{channel_id}/test",
    response_model=SendResultRead,
    tags=["channels"],
    responses=responses(ChannelNotFound),
)
async def test_channel(
    channel_id: int,
    body: TestSend,
    principal: CurrentPrincipal,
    session: SessionDep,
    request: Request,
    tasks: TasksDep,
    kit: ChannelKitDep,
) -> SendResultRead:
    """Send a test message now and show what the other end answered."""
    return await NotifyService(session, principal, kit).test_channel(
        channel_id, body.recipient, request.app.state.deliverer.http, tasks
    )


@router.get("/v1/templates", tags=["templates"])
async def list_templates(principal: CurrentPrincipal) -> list[str]:
    return list(TEMPLATE_KINDS)


TemplateKind = Literal[TEMPLATE_KINDS]  # type: ignore[valid-type]  # an enum in the OpenAPI document


@router.post("/v1/templates/{kind}/preview", response_model=PreviewRead, tags=["templates"])
async def preview_template(kind: TemplateKind, body: PreviewRequest, principal: CurrentPrincipal) -> PreviewRead:
    """What a message of this kind says, with your values or a sample."""
    try:
        rendered = render(kind, body.lang, body.context or sample_context(kind))
    except TemplateError as exc:
        raise ValidationFailed(
            exc.message,
            f"模板缺少或无法使用字段 {exc.key}",
            errors=[FieldProblem(loc=["body", "context", exc.key], code="template_context", message=exc.message)],
        ) from exc
    return PreviewRead(
        kind=kind, lang=body.lang, subject=rendered.subject, text=rendered.text, markdown=rendered.markdown
    )


@router.post("/v1/sweeps", response_model=JobRead, status_code=status.HTTP_202_ACCEPTED, tags=["notifications"])
async def start_sweep(principal: CurrentPrincipal, session: SessionDep, response: Response, clock: ClockDep) -> JobRead:
    """Sweep the deadlines now (it also runs every SWEEP_SECONDS) as a job."""
    require_manage(principal)
    job_id = await enqueue(session, Job, SWEEP_JOB, {}, principal, max_attempts=3)
    response.headers["Location"] = f"/v1/jobs/{job_id}"
    return job_read(await get_job(session, Job, job_id))
