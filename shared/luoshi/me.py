"""`GET /v1/me` for scoring-api and notify: the caller, with their unit read from tasks-api."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel

from luoshi.auth import Principal
from luoshi.contracts.tasks import UnitRead
from luoshi.inputguard import GuardedRoute
from luoshi.web import current_principal


class Me(BaseModel):
    kind: str
    user_id: int | None
    username: str | None
    unit: UnitRead | None
    roles: list[str]
    scopes: list[str]


def me_router() -> APIRouter:
    router = APIRouter(route_class=GuardedRoute, tags=["users"])

    @router.get("/v1/me", response_model=Me)
    async def get_me(request: Request, principal: Annotated[Principal, Depends(current_principal)]) -> Me:
        """Who is signed in; the unit comes from tasks-api (the same request id shows in both logs)."""
        unit = await request.app.state.tasks_client.unit(principal.unit_id) if principal.unit_id else None
        return Me(
            kind=principal.kind,
            user_id=principal.user_id,
            username=principal.username,
            unit=unit,
            roles=sorted(principal.roles),
            scopes=sorted(principal.scopes),
        )

    return router
