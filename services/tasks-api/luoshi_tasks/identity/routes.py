"""Sign-in, the JWKS and API key checks for other services; users, the caller (`/v1/me`) and API keys."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from luoshi.auth import API_KEY_HEADER, Principal
from luoshi.errors import responses
from luoshi.inputguard import GuardedRoute
from luoshi.pagination import Page
from luoshi_tasks.deps import CurrentPrincipal, PageDep
from luoshi_tasks.errors import (
    AccountLocked,
    ApiKeyNotFound,
    BadCredentials,
    CannotDeactivateSelf,
    PasswordChangeRequired,
    PasswordRejected,
    RefreshTokenInvalid,
    ServiceOnly,
    SigninThrottled,
    UnitNotFound,
    UnitRoleNeedsUnit,
    UsernameTaken,
    UserNotFound,
)
from luoshi_tasks.identity import service
from luoshi_tasks.identity.deps import ApiKeyServiceDep, IdentityServiceDep, SessionsDep
from luoshi_tasks.identity.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    Introspection,
    IntrospectRequest,
    Me,
    PasswordChange,
    PasswordReset,
    PasswordResetDone,
    RefreshRequest,
    Role,
    SessionCheck,
    SessionStatus,
    Token,
    UserCreate,
    UserRead,
)

router = APIRouter(route_class=GuardedRoute)


def client_address(request: Request) -> str | None:
    """The address sign-ins are counted by: the request's client as uvicorn saw it. Behind a proxy, `luoshi
    serve` (uvicorn with proxy_headers) takes it from X-Forwarded-For, but only when the connection comes from an
    address in FORWARDED_ALLOW_IPS (127.0.0.1 by default): set that to the proxy's address, never to `*` when
    clients can reach the service directly (they would choose their own address)."""
    return request.client.host if request.client else None


@router.post(
    "/v1/auth/token",
    response_model=Token,
    responses=responses(BadCredentials, AccountLocked, SigninThrottled),
    tags=["auth"],
)
async def create_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], identity: IdentityServiceDep, request: Request
) -> Token:
    """Sign in (OAuth2 password flow): a short-lived RS256 JWT accepted by all three services.

    Wrong passwords are counted per account (429 `account_locked`) and per client address (429
    `signin_throttled`); both answers carry `Retry-After`."""
    return await identity.sign_in(form.username, form.password, client_address(request))


@router.post(
    "/v1/auth/refresh",
    response_model=Token,
    responses=responses(RefreshTokenInvalid, PasswordChangeRequired),
    tags=["auth"],
)
async def refresh_session(body: RefreshRequest, sessions: SessionsDep) -> Token:
    """New tokens for a refresh token (JSON body; no access token needed). The refresh token is used up: keep the
    new one. One used a second time ends its session (401 `refresh_token_invalid`, `reason: reused`), so the console
    refreshes one request at a time."""
    return await sessions.refresh(body.refresh_token)


@router.post("/v1/auth/sign-out", status_code=status.HTTP_204_NO_CONTENT, tags=["auth"])
async def sign_out(body: RefreshRequest, sessions: SessionsDep) -> None:
    """End the session of this refresh token: its refresh tokens at once, its access tokens everywhere within
    SESSION_CHECK_SECONDS. An unknown token is no error."""
    await sessions.sign_out(body.refresh_token)


@router.post("/v1/auth/sessions/check", response_model=SessionStatus, responses=responses(ServiceOnly), tags=["auth"])
async def check_session(body: SessionCheck, principal: CurrentPrincipal, sessions: SessionsDep) -> SessionStatus:
    """Whether a user's session is still on (scoring-api and notify ask for each access token, cached
    SESSION_CHECK_SECONDS). Only other Luoshi services may ask."""
    if not principal.is_service:
        raise ServiceOnly()
    return SessionStatus(active=await sessions.active(body))


@router.get("/.well-known/jwks.json", summary="Public keys that verify access tokens", tags=["auth"])
async def get_jwks(request: Request) -> dict[str, Any]:
    return request.app.state.keys.jwks


@router.post("/v1/auth/introspect", response_model=Introspection, responses=responses(ServiceOnly), tags=["auth"])
async def introspect_api_key(
    body: IntrospectRequest, principal: CurrentPrincipal, api_keys: ApiKeyServiceDep
) -> Introspection:
    """Whom an API key acts for. Only other Luoshi services may ask."""
    if not principal.is_service:
        raise ServiceOnly()
    return await api_keys.introspect(body.api_key)


@router.get("/v1/me", response_model=Me, tags=["users"])
async def get_me(principal: CurrentPrincipal, request: Request) -> Me:
    """Who is signed in, with their unit."""
    return await service.me(request.app.state.db, principal)


@router.post(
    "/v1/users",
    response_model=UserRead,
    status_code=status.HTTP_201_CREATED,
    responses=responses(UsernameTaken, UnitNotFound, UnitRoleNeedsUnit),
    tags=["users"],
)
async def create_user(body: UserCreate, principal: CurrentPrincipal, identity: IdentityServiceDep) -> UserRead:
    """Create a user (admin)."""
    return await identity.create_user(body, principal)


@router.post("/v1/users/{user_id}/unlock", response_model=UserRead, tags=["users"], responses=responses(UserNotFound))
async def unlock_user(user_id: int, principal: CurrentPrincipal, identity: IdentityServiceDep) -> UserRead:
    """Lift a sign-in lockout before it ends (admin)."""
    return await identity.unlock(user_id, principal)


@router.post(
    "/v1/users/{user_id}/deactivate",
    response_model=UserRead,
    tags=["users"],
    responses=responses(UserNotFound, CannotDeactivateSelf),
)
async def deactivate_user(user_id: int, principal: CurrentPrincipal, identity: IdentityServiceDep) -> UserRead:
    """The user can no longer sign in, and every session of theirs ends (admin)."""
    return await identity.set_active(user_id, False, principal)


@router.post("/v1/users/{user_id}/activate", response_model=UserRead, tags=["users"], responses=responses(UserNotFound))
async def activate_user(user_id: int, principal: CurrentPrincipal, identity: IdentityServiceDep) -> UserRead:
    """A deactivated user may sign in again (admin)."""
    return await identity.set_active(user_id, True, principal)


@router.post(
    "/v1/users/{user_id}/reset-password",
    response_model=PasswordResetDone,
    tags=["users"],
    responses=responses(UserNotFound, PasswordRejected),
)
async def reset_user_password(
    user_id: int, principal: CurrentPrincipal, identity: IdentityServiceDep, body: PasswordReset | None = None
) -> PasswordResetDone:
    """Set a temporary password (admin): shown once, it must be changed at the next sign-in; every session of
    the user ends and a lockout is lifted."""
    return await identity.reset_password(user_id, body or PasswordReset(), principal)


async def optional_principal(request: Request) -> Principal | None:
    """The caller when credentials were sent (then they must be good), else None."""
    if request.headers.get("authorization") or request.headers.get(API_KEY_HEADER):
        return await request.app.state.authenticator.authenticate(request)
    return None


@router.post(
    "/v1/me/password",
    response_model=Token,
    tags=["users"],
    responses=responses(BadCredentials, PasswordRejected, AccountLocked, SigninThrottled),
)
async def change_my_password(
    body: PasswordChange,
    identity: IdentityServiceDep,
    request: Request,
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Token:
    """Change one's own password: the current one and a new one of the rules. Signed in, or — when sign-in
    answered `password_change_required` (expired, or reset by an admin) — with `username` and no token. Every
    session of the user ends; the answer is a fresh sign-in. Wrong current passwords count as wrong sign-ins."""
    return await identity.change_password(body, principal, client_address(request))


@router.get("/v1/users", response_model=Page[UserRead], tags=["users"])
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
    "/v1/api-keys",
    response_model=ApiKeyCreated,
    status_code=status.HTTP_201_CREATED,
    responses=responses(UnitNotFound),
    tags=["users"],
)
async def create_api_key(body: ApiKeyCreate, principal: CurrentPrincipal, api_keys: ApiKeyServiceDep) -> ApiKeyCreated:
    """Create an API key for another system (admin). The key is in this response only."""
    return await api_keys.create_api_key(body, principal)


@router.get("/v1/api-keys", response_model=Page[ApiKeyRead], tags=["users"])
async def list_api_keys(principal: CurrentPrincipal, api_keys: ApiKeyServiceDep, page: PageDep) -> Page[ApiKeyRead]:
    return await api_keys.list_api_keys(principal, limit=page.limit, cursor=page.cursor)


@router.delete("/v1/api-keys/{key_id}", response_model=ApiKeyRead, responses=responses(ApiKeyNotFound), tags=["users"])
async def revoke_api_key(key_id: int, principal: CurrentPrincipal, api_keys: ApiKeyServiceDep) -> ApiKeyRead:
    """Revoke a key: it stops working within seconds everywhere."""
    return await api_keys.revoke_api_key(key_id, principal)
