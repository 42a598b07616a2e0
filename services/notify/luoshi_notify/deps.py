"""Annotated dependencies of notify's routes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from luoshi.clock import Clock
from luoshi.pagination import PageParams, page_params
from luoshi.web import CurrentPrincipal, SessionDep
from luoshi_notify.channels.kit import ChannelKit
from luoshi_notify.service.channels import ChannelService

PageDep = Annotated[PageParams, Depends(page_params)]


def get_clock(request: Request) -> Clock:
    return request.app.state.clock


ClockDep = Annotated[Clock, Depends(get_clock)]


def get_tasks(request: Request) -> Any:
    return request.app.state.tasks_client


TasksDep = Annotated[Any, Depends(get_tasks)]


def get_channel_kit(request: Request) -> ChannelKit:
    return request.app.state.channel_kit


ChannelKitDep = Annotated[ChannelKit, Depends(get_channel_kit)]


def channel_service(
    principal: CurrentPrincipal, session: SessionDep, tasks: TasksDep, kit: ChannelKitDep
) -> ChannelService:
    return ChannelService(session, principal, tasks, kit)


ChannelServiceDep = Annotated[ChannelService, Depends(channel_service)]
