"""Users, the caller (`/v1/me`) and API keys."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from luoshi.errors import responses
from luoshi.pagination import Page
from luoshi_tasks.deps import CurrentPrincipal, IdentityServiceDep, PageDep
from luoshi_tasks.errors import ApiKeyNotFound, UnitNotFound, UnitRoleNeedsUnit, UsernameTaken
from luoshi_tasks.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead, Me, Role, UserCreate, UserRead
from luoshi_tasks.service.units import read_unit

router = APIRouter(tags=["users"])


@router.get("/v1/me", response_model=Me)
async def get_me(principal: CurrentPrincipal, request: Request) -> Me:
    """Who is signed in, with their unit."""
    unit = await read_unit(request.app.state.db, principal, principal.unit_id) if principal.unit_id else None
    return Me(
        kind=principal.kind,
        user_id=principal.user_id,
        username=principal.username,
        unit=unit,
        roles=sorted(principal.roles),
        scopes=sorted(principal.scopes),
    )


@router.post(
    "/v1/users",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    responses=responses(UsernameTaken, UnitNotFound, UnitRoleNeedsUnit),
)
async def create_user(body: UserCreate, principal: CurrentPrincipal, identity: IdentityServiceDep) -> UserRead:
    """Create a user (admin)."""
    return await identity.create_user(body, principal)


@router.get("/v1/users", response_model=Page[UserRead])
async def list_users(
    principal: CurrentPrincipal,
    identity: IdentityServiceDep,
    page: PageDep,
    unit_id: Annotated[
        list[int] | None, Query(max_length=200, description="Users of these units (repeat for several)")
    ] = None,
    role: Annotated[Role | None, Query()] = None,
    id: Annotated[list[int] | None, Query(max_length=200, description="Only these users (repeat for several)")] = None,
) -> Page[UserRead]:
    """Users, filtered by unit or role (office, admin)."""
    return await identity.list_users(
        principal, limit=page.limit, cursor=page.cursor, unit_ids=unit_id, role=role, ids=id
    )


@router.post(
    "/v1/api-keys", response_model=ApiKeyCreated, status_code=status.HTTP_201_CREATED, responses=responses(UnitNotFound)
)
async def create_api_key(
    body: ApiKeyCreate, principal: CurrentPrincipal, identity: IdentityServiceDep
) -> ApiKeyCreated:
    """Create an API key for another system (admin). The key is in this response only."""
    return await identity.create_api_key(body, principal)


@router.get("/v1/api-keys", response_model=Page[ApiKeyRead])
async def list_api_keys(principal: CurrentPrincipal, identity: IdentityServiceDep, page: PageDep) -> Page[ApiKeyRead]:
    return await identity.list_api_keys(principal, limit=page.limit, cursor=page.cursor)


@router.delete("/v1/api-keys/{key_id}", response_model=ApiKeyRead, responses=responses(ApiKeyNotFound))
async def revoke_api_key(key_id: int, principal: CurrentPrincipal, identity: IdentityServiceDep) -> ApiKeyRead:
    """Revoke a key: it stops working within seconds everywhere."""
    return await identity.revoke_api_key(key_id, principal)
