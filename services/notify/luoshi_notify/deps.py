"""Annotated dependencies of notify's routes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from luoshi.clock import Clock
from luoshi.pagination import PageParams, page_params
from luoshi_notify.channels.kit import ChannelKit

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
