"""Sign-in, the JWKS, and API key checks for other services."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from luoshi.errors import responses
from luoshi_tasks.deps import CurrentPrincipal, IdentityServiceDep
from luoshi_tasks.errors import BadCredentials, ServiceOnly
from luoshi_tasks.schemas import Introspection, IntrospectRequest, Token

router = APIRouter(tags=["auth"])


@router.post("/v1/auth/token", response_model=Token, responses=responses(BadCredentials))
async def create_token(form: Annotated[OAuth2PasswordRequestForm, Depends()], identity: IdentityServiceDep) -> Token:
    """Sign in (OAuth2 password flow): a short-lived RS256 JWT accepted by all three services."""
    return await identity.sign_in(form.username, form.password)


@router.get("/.well-known/jwks.json", summary="Public keys that verify access tokens")
async def get_jwks(request: Request) -> dict[str, Any]:
    return request.app.state.keys.jwks


@router.post("/v1/auth/introspect", response_model=Introspection, responses=responses(ServiceOnly))
async def introspect_api_key(
    body: IntrospectRequest, principal: CurrentPrincipal, identity: IdentityServiceDep
) -> Introspection:
    """Whom an API key acts for. Only other Luoshi services may ask."""
    if not principal.is_service:
        raise ServiceOnly()
    return await identity.introspect(body.api_key)
