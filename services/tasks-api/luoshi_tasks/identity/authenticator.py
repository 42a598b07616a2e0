"""How tasks-api checks a request's credentials: its own access tokens against its signing keys (and their
session against the database), service tokens against SERVICE_SECRET, and API keys against the api_key table
(each answer cached briefly)."""

from __future__ import annotations

from luoshi.auth import ApiKeyCache, Authenticator, Principal, SessionCache, api_key_principal
from luoshi.contracts.tasks import SessionCheck
from luoshi.db import Database
from luoshi_tasks.identity.api_keys import ApiKeyService
from luoshi_tasks.identity.keys import SigningKeys
from luoshi_tasks.identity.sessions import Sessions
from luoshi_tasks.settings import TasksSettings


def build_authenticator(settings: TasksSettings, db: Database, keys: SigningKeys) -> Authenticator:
    api_keys = ApiKeyCache(settings.api_key_cache_seconds)

    async def resolve_key(kid: str | None) -> object | None:
        return keys.public_keys.get(kid or keys.kid)

    async def check_api_key(raw: str) -> Principal | None:
        known, principal = api_keys.get(raw)
        if not known:
            async with db.sessionmaker() as session:
                info = await ApiKeyService(session).introspect(raw)
                await session.commit()
            principal = api_key_principal(info) if info.active else None
            api_keys.put(raw, principal)
        return principal

    sessions = SessionCache(settings.session_check_seconds)

    async def check_session(principal: Principal) -> bool:
        active = sessions.get(principal)
        if active is None:
            check = SessionCheck(
                user_id=principal.user_id or 0, session_id=principal.session_id, token_version=principal.token_version
            )
            async with db.sessionmaker() as session:
                active = await Sessions(session, settings, keys).active(check)
            sessions.put(principal, active)
        return active

    return Authenticator(
        resolve_key=resolve_key,
        audience=settings.jwt_audience,
        issuer=settings.jwt_issuer,
        service_secret=settings.service_secret.get_secret_value(),
        check_api_key=check_api_key,
        check_session=check_session,
        service_token_max_seconds=settings.service_token_max_seconds,
    )
