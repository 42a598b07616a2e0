"""Annotated dependencies of tasks-api's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from luoshi.clock import Clock
from luoshi.etag import IfMatch
from luoshi.pagination import PageParams, page_params
from luoshi.web import CurrentPrincipal, ReadConnDep, SessionDep
from luoshi_tasks.keys import SigningKeys
from luoshi_tasks.service.identity import IdentityService
from luoshi_tasks.settings import TasksSettings

__all__ = ["CurrentPrincipal", "IfMatch", "PageDep", "ReadConnDep", "SessionDep"]

PageDep = Annotated[PageParams, Depends(page_params)]


def get_settings_dep(request: Request) -> TasksSettings:
    return request.app.state.settings


def get_keys(request: Request) -> SigningKeys:
    return request.app.state.keys


SettingsDep = Annotated[TasksSettings, Depends(get_settings_dep)]
KeysDep = Annotated[SigningKeys, Depends(get_keys)]


def identity_service(session: SessionDep, settings: SettingsDep, keys: KeysDep) -> IdentityService:
    return IdentityService(session, settings, keys)


IdentityServiceDep = Annotated[IdentityService, Depends(identity_service)]


def get_clock(request: Request) -> Clock:
    return request.app.state.clock


ClockDep = Annotated[Clock, Depends(get_clock)]
