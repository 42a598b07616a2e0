"""Notification channels: list, add, change and test them. Who may is decided in service/channel_access.py."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal
from luoshi.errors import FieldProblem
from luoshi.etag import check_if_match
from luoshi_notify.channels import OutboundMessage, channel_adapter, redacted, send, stored
from luoshi_notify.channels.base import MASK, masked_url
from luoshi_notify.errors import ChannelInvalid, ChannelNameTaken, ChannelNotFound
from luoshi_notify.models import AuditLog, Channel
from luoshi_notify.repository.channels import ChannelRepository
from luoshi_notify.schemas.channels import ChannelRead, ChannelWrite, SendResultRead
from luoshi_notify.service.access import require_manage
from luoshi_notify.service.channel_access import may_manage_channel, require_manage_channel


def channel_etag(channel_id: int, version: int) -> str:
    return f'"channel-{channel_id}-v{version}"'


def channel_read(row: Channel) -> ChannelRead:
    config = redacted(channel_adapter.validate_python(row.config | {"kind": row.kind}))
    return ChannelRead(
        id=row.id,
        name=row.name,
        kind=row.kind,
        config=config,
        enabled=row.enabled,
        scope=row.scope,
        version=row.version,
    )


def _validated(data: ChannelWrite) -> dict[str, Any]:
    try:
        config = channel_adapter.validate_python(data.config | {"kind": data.kind})
    except ValueError as exc:
        raise ChannelInvalid(
            str(exc)[:500],
            "渠道配置不合法",
            errors=[FieldProblem(loc=["body", "config"], code="invalid", message=str(exc)[:500])],
        ) from exc
    return stored(config)


class ChannelService:
    def __init__(self, session: AsyncSession, principal: Principal, tasks: Any) -> None:
        self.session = session
        self.principal = principal
        self.tasks = tasks
        self.repo = ChannelRepository(session)

    async def list(self) -> list[ChannelRead]:
        """An administrator sees every channel; an office the channels of plans it manages."""
        require_manage(self.principal)
        rows = await self.repo.all()
        return [channel_read(r) for r in rows if await may_manage_channel(self.principal, r.scope, self.tasks)]

    async def add(self, data: ChannelWrite) -> ChannelRead:
        await require_manage_channel(self.principal, [data.scope.model_dump()], self.tasks)
        if await self.repo.name_taken(data.name):
            raise ChannelNameTaken(f"A channel is called {data.name}", f"已有名为“{data.name}”的渠道")
        row = await self.repo.add(
            Channel(
                name=data.name,
                kind=data.kind,
                config=_validated(data),
                enabled=data.enabled,
                scope=data.scope.model_dump(),
            )
        )
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "create",
            "channel",
            row.id,
            after={"name": row.name, "kind": row.kind},
        )
        return channel_read(row)

    async def replace(self, channel_id: int, data: ChannelWrite, if_match: str | None) -> ChannelRead:
        """A channel's new name, config, scope or state (a rotated secret, say). A secret sent back as the API
        showed it (masked) keeps its stored value, so a client can edit the rest of what it read."""
        require_manage(self.principal)
        row = await self.repo.get(channel_id, for_update=True)
        if row is None:
            raise ChannelNotFound(f"No channel {channel_id}", f"渠道 {channel_id} 不存在")
        await require_manage_channel(self.principal, [row.scope, data.scope.model_dump()], self.tasks)
        check_if_match(if_match, channel_etag(row.id, row.version))
        if data.name != row.name and await self.repo.name_taken(data.name):
            raise ChannelNameTaken(f"A channel is called {data.name}", f"已有名为“{data.name}”的渠道")
        config = dict(data.config)
        if data.kind == row.kind:
            for name, value in row.config.items():
                if isinstance(value, str) and config.get(name) in (MASK, masked_url(value)):
                    config[name] = value
        data = data.model_copy(update={"config": config})
        before = {"name": row.name, "kind": row.kind, "enabled": row.enabled, "scope": row.scope}
        row.name, row.kind, row.config = data.name, data.kind, _validated(data)
        row.enabled, row.scope = data.enabled, data.scope.model_dump()
        await self.repo.save(row)
        after = {"name": row.name, "kind": row.kind, "enabled": row.enabled, "scope": row.scope}
        await audit.record(
            self.session, AuditLog, self.principal, "update", "channel", row.id, before=before, after=after
        )
        return channel_read(row)

    async def test(self, channel_id: int, recipient: str, http: Any) -> SendResultRead:
        """Send a test message over the channel now and say what the other end answered."""
        require_manage(self.principal)
        row = await self.repo.get(channel_id)
        if row is None:
            raise ChannelNotFound(f"No channel {channel_id}", f"渠道 {channel_id} 不存在")
        await require_manage_channel(self.principal, [row.scope], self.tasks)
        config = channel_adapter.validate_python(row.config | {"kind": row.kind})
        message = OutboundMessage(
            event_id=f"test:{channel_id}:{secrets.token_hex(4)}",
            kind="test",
            subject="【测试】落实系统通知渠道测试",
            text="这是一条测试消息。This is a test message.",
            recipient=recipient,
        )
        result = await send(config, message, http=http)
        return SendResultRead(ok=result.ok, retryable=result.retryable, detail=result.detail)
