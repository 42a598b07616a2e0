"""Notification channels: SMTP, webhooks, group robots, SMS gateways."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, status

from luoshi.errors import PreconditionRequired, StaleEtag, responses
from luoshi.etag import IfMatch, row_etag
from luoshi.inputguard import GuardedRoute
from luoshi.openapi import sends
from luoshi.pagination import Page, PageParams, page_params
from luoshi_notify.deps import ChannelServiceDep
from luoshi_notify.errors import ChannelNameTaken, ChannelNotFound
from luoshi_notify.schemas.channels import ChannelRead, ChannelWrite, SendResultRead, TestSend

router = APIRouter(route_class=GuardedRoute)


@router.get("/v1/channels", response_model=Page[ChannelRead], tags=["channels"])
async def list_channels(
    channels: ChannelServiceDep, page: Annotated[PageParams, Depends(page_params)]
) -> Page[ChannelRead]:
    """Every channel for an administrator; for an office, the channels of the plans it manages."""
    return await channels.list(limit=page.limit, cursor=page.cursor)


@router.get(
    "/v1/channels/{channel_id}",
    response_model=ChannelRead,
    tags=["channels"],
    responses={**responses(ChannelNotFound), **sends("ETag")},
)
async def get_channel(channel_id: int, channels: ChannelServiceDep, response: Response) -> ChannelRead:
    """One channel, secrets masked, with the ETag a change needs (`If-Match`)."""
    channel = await channels.get(channel_id)
    response.headers["ETag"] = row_etag("channel", channel)
    return channel


@router.post(
    "/v1/channels",
    response_model=ChannelRead,
    status_code=status.HTTP_201_CREATED,
    tags=["channels"],
    responses=responses(ChannelNameTaken),
)
async def add_channel(body: ChannelWrite, channels: ChannelServiceDep) -> ChannelRead:
    """SMTP, a webhook (HMAC-SHA256 signed), a WeCom, DingTalk or Feishu group robot, or an SMS gateway.
    A channel for every plan (no `scope.plan_ids`) is an administrator's; an office may add one for the plans
    it manages."""
    return await channels.add(body)


@router.put(
    "/v1/channels/{channel_id}",
    response_model=ChannelRead,
    tags=["channels"],
    responses={**responses(ChannelNotFound, ChannelNameTaken, StaleEtag, PreconditionRequired), **sends("ETag")},
)
async def replace_channel(
    channel_id: int,
    body: ChannelWrite,
    channels: ChannelServiceDep,
    response: Response,
    if_match: IfMatch = None,
) -> ChannelRead:
    """Change a channel: its config (rotate a webhook secret or a robot key), scope, name or whether it is on.
    Needs `If-Match` with the version read (`"channel-{id}-v{version}"`); a secret sent back masked, as reads
    show it, keeps its stored value."""
    channel = await channels.replace(channel_id, body, if_match)
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
    channels: ChannelServiceDep,
    request: Request,
) -> SendResultRead:
    """Send a test message now and show what the other end answered."""
    return await channels.test(channel_id, body.recipient, request.app.state.deliverer.http)
