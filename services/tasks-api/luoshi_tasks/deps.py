"""Annotated dependencies of tasks-api's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from luoshi.clock import Clock
from luoshi.etag import IfMatch
from luoshi.pagination import PageParams, page_params
from luoshi.web import CurrentPrincipal, ReadConnDep, SessionDep
from luoshi_tasks.settings import TasksSettings

__all__ = ["CurrentPrincipal", "IfMatch", "PageDep", "ReadConnDep", "SessionDep"]

PageDep = Annotated[PageParams, Depends(page_params)]


def get_settings_dep(request: Request) -> TasksSettings:
    return request.app.state.settings


SettingsDep = Annotated[TasksSettings, Depends(get_settings_dep)]


def get_clock(request: Request) -> Clock:
    return request.app.state.clock


ClockDep = Annotated[Clock, Depends(get_clock)]
