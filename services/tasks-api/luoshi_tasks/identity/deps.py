"""Annotated dependencies of identity's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from luoshi_tasks.deps import SessionDep, SettingsDep
from luoshi_tasks.identity.api_keys import ApiKeyService
from luoshi_tasks.identity.keys import SigningKeys
from luoshi_tasks.identity.service import IdentityService
from luoshi_tasks.identity.sessions import Sessions


def get_keys(request: Request) -> SigningKeys:
    return request.app.state.keys


KeysDep = Annotated[SigningKeys, Depends(get_keys)]


def identity_service(session: SessionDep, settings: SettingsDep, keys: KeysDep) -> IdentityService:
    return IdentityService(session, settings, keys)


IdentityServiceDep = Annotated[IdentityService, Depends(identity_service)]


def api_key_service(session: SessionDep) -> ApiKeyService:
    return ApiKeyService(session)


ApiKeyServiceDep = Annotated[ApiKeyService, Depends(api_key_service)]


def sessions(session: SessionDep, settings: SettingsDep, keys: KeysDep) -> Sessions:
    return Sessions(session, settings, keys)


SessionsDep = Annotated[Sessions, Depends(sessions)]
