"""How scoring-api and notify authenticate callers: tasks-api's JWKS (fetched and cached) for
tokens, and tasks-api's introspection (cached briefly) for API keys."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from jwt import PyJWK

from luoshi.auth import ApiKeyCache, Authenticator, Principal, SessionCache, api_key_principal
from luoshi.clients.tasks import TasksClient
from luoshi.contracts.tasks import SessionCheck
from luoshi.errors import AppError, ServiceUnavailable
from luoshi.settings import BaseServiceSettings


class JwksCache:
    """Keys by id, refreshed every JWKS_CACHE_SECONDS and at once (at most every 10 s) for an
    unknown key id, so a key rotation is picked up without a restart."""

    def __init__(self, client: TasksClient, ttl_seconds: int) -> None:
        self.client = client
        self.ttl = ttl_seconds
        self._keys: dict[str, Any] = {}
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()

    async def _refresh(self) -> None:
        jwks = await self.client.jwks()
        self._keys = {k["kid"]: PyJWK(k).key for k in jwks.get("keys", []) if "kid" in k}
        self._fetched_at = time.monotonic()

    async def resolve(self, kid: str | None) -> Any:
        age = time.monotonic() - self._fetched_at
        if kid in self._keys and age < self.ttl:
            return self._keys[kid]
        async with self._lock:
            age = time.monotonic() - self._fetched_at
            if age >= self.ttl or (kid not in self._keys and age >= 10):
                try:
                    await self._refresh()
                except ServiceUnavailable:
                    if not self._keys:
                        raise
        return self._keys.get(kid) if kid else None


def remote_authenticator(settings: BaseServiceSettings, tasks: TasksClient) -> Authenticator:
    jwks = JwksCache(tasks, settings.jwks_cache_seconds)
    api_keys = ApiKeyCache(settings.api_key_cache_seconds)

    async def check_api_key(raw: str) -> Principal | None:
        known, principal = api_keys.get(raw)
        if not known:
            info = await tasks.introspect(raw)
            principal = api_key_principal(info) if info.active else None
            api_keys.put(raw, principal)
        return principal

    sessions = SessionCache(settings.session_check_seconds)

    async def check_session(principal: Principal) -> bool:
        active = sessions.get(principal)
        if active is None:
            check = SessionCheck(
                user_id=principal.user_id or 0,
                session_id=principal.session_id,
                token_version=principal.token_version,
            )
            try:
                active = (await tasks.check_session(check)).active
            except AppError:
                # tasks-api unreachable: the last answer for this session, if there was one; else 503
                active = sessions.get(principal, stale=True)
                if active is None:
                    raise
                return active
            sessions.put(principal, active)
        return active

    return Authenticator(
        resolve_key=jwks.resolve,
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
        service_secret=settings.service_secret.get_secret_value(),
        check_api_key=check_api_key,
        check_session=check_session,
        service_token_max_seconds=settings.service_token_max_seconds,
    )
