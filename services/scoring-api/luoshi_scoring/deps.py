"""Annotated dependencies of scoring-api's routes."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from luoshi.clock import Clock
from luoshi.etag import IfMatch
from luoshi.pagination import PageParams, page_params
from luoshi.web import CurrentPrincipal, SessionDep
from luoshi_scoring.settings import ScoringSettings

__all__ = ["ClockDep", "CurrentPrincipal", "IfMatch", "PageDep", "SessionDep", "SettingsDep", "TasksDep"]

PageDep = Annotated[PageParams, Depends(page_params)]


def get_clock(request: Request) -> Clock:
    # Tests set a fixed clock on app.state; otherwise the service's time zone.
    clock = getattr(request.app.state, "clock", None)
    if clock is None:
        clock = request.app.state.clock = Clock(request.app.state.settings.timezone)
    return clock


def get_tasks(request: Request) -> Any:
    return request.app.state.tasks_client


def get_settings_dep(request: Request) -> ScoringSettings:
    return request.app.state.settings


ClockDep = Annotated[Clock, Depends(get_clock)]
TasksDep = Annotated[Any, Depends(get_tasks)]
SettingsDep = Annotated[ScoringSettings, Depends(get_settings_dep)]
