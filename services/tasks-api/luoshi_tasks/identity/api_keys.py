"""API keys of other government systems (X-API-Key): issued by an admin and shown once, stored as a digest,
scoped, revocable (an `api_key.revoked` event tells notify to end the calendar links the key made), and checked
for the other services by introspection."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_roles
from luoshi.outbox import emit
from luoshi.pagination import Page, make_page
from luoshi.secretbox import secret_digest
from luoshi_tasks.errors import ApiKeyNotFound, UnitNotFound
from luoshi_tasks.identity.repository import ApiKeyRepository
from luoshi_tasks.identity.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead, Introspection
from luoshi_tasks.models import ApiKey, AuditLog, Event
from luoshi_tasks.repository.units import UnitRepository

API_KEY_PREFIX = "lsk_"
API_KEY_REVOKED = "api_key.revoked"


class ApiKeyService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.api_keys = ApiKeyRepository(session)

    async def create_api_key(self, data: ApiKeyCreate, principal: Principal) -> ApiKeyCreated:
        require_roles(principal, ("admin",))
        if data.unit_id is not None and not await UnitRepository(self.session).exists(data.unit_id):
            raise UnitNotFound(f"No unit {data.unit_id}", f"单位 {data.unit_id} 不存在")
        raw = API_KEY_PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(
            name=data.name,
            prefix=raw[:12],
            key_hash=secret_digest(raw),
            scopes=sorted(set(data.scopes)),
            unit_id=data.unit_id,
            created_by=principal.user_id,
            expires_at=data.expires_at,
        )
        self.api_keys.add(key)
        await self.session.flush()
        await self.session.refresh(key)
        read = api_key_read(key)
        await audit.record(
            self.session, AuditLog, principal, "create", "api_key", key.id, after=read.model_dump(mode="json")
        )
        return ApiKeyCreated(**read.model_dump(), key=raw)

    async def list_api_keys(self, principal: Principal, *, limit: int, cursor: list[Any] | None) -> Page[ApiKeyRead]:
        require_roles(principal, ("admin",))
        keys = await self.api_keys.list(limit=limit, after_id=int(cursor[0]) if cursor else None)
        return make_page([api_key_read(k) for k in keys], limit, lambda k: [k.id])

    async def revoke_api_key(self, key_id: int, principal: Principal) -> ApiKeyRead:
        require_roles(principal, ("admin",))
        key = await self.api_keys.get(key_id)
        if key is None:
            raise ApiKeyNotFound(f"No API key {key_id}", f"API 密钥 {key_id} 不存在")
        before = api_key_read(key).model_dump(mode="json")
        if key.revoked_at is None:
            key.revoked_at = datetime.now(UTC)
            await self.session.flush()
            await emit(self.session, Event, API_KEY_REVOKED, f"api_key/{key.id}", {"key_id": key.id})
        read = api_key_read(key)
        await audit.record(
            self.session,
            AuditLog,
            principal,
            "revoke",
            "api_key",
            key.id,
            before=before,
            after=read.model_dump(mode="json"),
        )
        return read

    async def introspect(self, raw_key: str) -> Introspection:
        key = await self.api_keys.by_hash(secret_digest(raw_key))
        now = datetime.now(UTC)
        if key is None or key.revoked_at is not None or (key.expires_at and key.expires_at <= now):
            return Introspection(active=False)
        await self.api_keys.touch(key.id)
        return Introspection(active=True, key_id=key.id, name=key.name, scopes=key.scopes, unit_id=key.unit_id)


def api_key_read(key: ApiKey) -> ApiKeyRead:
    return ApiKeyRead(
        id=key.id,
        name=key.name,
        prefix=key.prefix,
        scopes=key.scopes,
        unit_id=key.unit_id,
        created_at=key.created_at,
        expires_at=key.expires_at,
        revoked_at=key.revoked_at,
        last_used_at=key.last_used_at,
    )
