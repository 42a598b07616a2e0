"""How tasks-api checks a request's credentials: its own access tokens against its signing keys, service
tokens against SERVICE_SECRET, and API keys against the api_key table (each answer cached briefly)."""

from __future__ import annotations

from luoshi.auth import ApiKeyCache, Authenticator, Principal, api_key_principal
from luoshi.db import Database
from luoshi_tasks.identity.keys import SigningKeys
from luoshi_tasks.identity.service import IdentityService
from luoshi_tasks.settings import TasksSettings


def build_authenticator(settings: TasksSettings, db: Database, keys: SigningKeys) -> Authenticator:
    api_keys = ApiKeyCache(settings.api_key_cache_seconds)

    async def resolve_key(kid: str | None) -> object | None:
        return keys.public_keys.get(kid or keys.kid)

    async def check_api_key(raw: str) -> Principal | None:
        known, principal = api_keys.get(raw)
        if not known:
            async with db.sessionmaker() as session:
                info = await IdentityService(session, settings, keys).introspect(raw)
                await session.commit()
            principal = api_key_principal(info) if info.active else None
            api_keys.put(raw, principal)
        return principal

    return Authenticator(
        resolve_key=resolve_key,
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
        service_secret=settings.service_secret.get_secret_value(),
        check_api_key=check_api_key,
    )
