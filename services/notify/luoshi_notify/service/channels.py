"""Notification channels: list, read, add, change and test them. Who may is decided in service/channel_access.py;
the channel's secrets are sealed at rest and where it connects is checked against the egress policy, both by the
ChannelKit the service is given."""

from __future__ import annotations

import secrets
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal
from luoshi.errors import FieldProblem, ValidationFailed
from luoshi.etag import check_if_match, row_etag
from luoshi.pagination import Page, make_page
from luoshi_notify.channels import (
    OutboundMessage,
    channel_adapter,
    check_destination,
    destination,
    loaded,
    opened,
    redacted,
    send,
    stored,
)
from luoshi_notify.channels.base import MASK, masked_url
from luoshi_notify.channels.egress import DestinationRefused
from luoshi_notify.channels.kit import ChannelKit
from luoshi_notify.errors import ChannelInvalid, ChannelNameTaken, ChannelNotFound
from luoshi_notify.models import AuditLog, Channel
from luoshi_notify.repository.channels import ChannelRepository
from luoshi_notify.schemas.channels import ChannelRead, ChannelWrite, SendResultRead
from luoshi_notify.service.access import require_manage
from luoshi_notify.service.channel_access import PlansOnce, may_manage_channel, require_manage_channel


class ChannelService:
    def __init__(self, session: AsyncSession, principal: Principal, tasks: Any, kit: ChannelKit) -> None:
        self.session = session
        self.principal = principal
        self.tasks = tasks
        self.kit = kit  # the key sealing channel secrets, where channels may connect
        self.repo = ChannelRepository(session)

    def _read(self, row: Channel) -> ChannelRead:
        config = redacted(loaded(row.config, row.kind, self.kit.box))
        return ChannelRead(
            id=row.id,
            name=row.name,
            kind=row.kind,
            config=config,
            enabled=row.enabled,
            scope=row.scope,
            version=row.version,
        )

    async def _validated(self, data: ChannelWrite) -> dict[str, Any]:
        """The config to store (secrets sealed), or 422 naming each bad field — never echoing what was sent,
        which may hold a secret."""
        try:
            config = channel_adapter.validate_python(data.config | {"kind": data.kind})
        except ValidationError as exc:
            problems = [
                FieldProblem(loc=["body", "config", *e["loc"][1:]], code=e["type"], message=e["msg"])
                for e in exc.errors(include_input=False, include_url=False)
            ]
            raise ChannelInvalid(
                "; ".join(": ".join(filter(None, (".".join(map(str, p.loc[2:])), p.message))) for p in problems)[:500],
                "渠道配置不合法",
                errors=problems,
            ) from exc
        try:
            await check_destination(config, self.kit.egress, resolve=True)
        except DestinationRefused as exc:
            field = "host" if data.kind == "email" else ("url" if data.kind in ("webhook", "sms") else "webhook_url")
            raise ChannelInvalid(
                str(exc),
                f"渠道地址 {exc.address} 不是公网地址；如需使用内网地址，请运维人员在 OUTBOUND_ALLOW 中放行",
                errors=[FieldProblem(loc=["body", "config", field], code="destination_refused", message=str(exc))],
            ) from exc
        except OSError:
            pass  # a name not resolvable from here now: each send checks it again
        return stored(config, self.kit.box)

    async def _may_see(self, row: Channel, tasks: Any = None) -> bool:
        try:
            return await may_manage_channel(self.principal, row.scope, tasks or self.tasks)
        except ValidationFailed:  # scoped to a plan that is gone: the administrator's to clear up
            return False

    async def list(self, *, limit: int, cursor: list[Any] | None) -> Page[ChannelRead]:
        """An administrator sees every channel; an office the channels of plans it manages. Who may see one is
        decided per row (its plans, through tasks-api), so rows are read in batches until the page is full."""
        require_manage(self.principal)
        plans = PlansOnce(self.tasks)
        seen: list[Channel] = []
        after = int(cursor[0]) if cursor else None
        while len(seen) <= limit:
            batch = await self.repo.after(after, limit + 1)
            seen += [r for r in batch if await self._may_see(r, plans)]
            if len(batch) <= limit:
                break
            after = batch[-1].id
        page = make_page(seen[: limit + 1], limit, lambda r: [r.id])
        return Page[ChannelRead](items=[self._read(r) for r in page.items], next_cursor=page.next_cursor)

    async def get(self, channel_id: int) -> ChannelRead:
        require_manage(self.principal)
        row = await self.repo.get(channel_id)
        if row is None or not await self._may_see(row):
            raise ChannelNotFound(f"No channel {channel_id}", f"渠道 {channel_id} 不存在")
        return self._read(row)

    async def add(self, data: ChannelWrite) -> ChannelRead:
        await require_manage_channel(self.principal, [data.scope.model_dump()], self.tasks)
        if await self.repo.name_taken(data.name):
            raise ChannelNameTaken(f"A channel is called {data.name}", f"已有名为“{data.name}”的渠道")
        row = await self.repo.add(
            Channel(
                name=data.name,
                kind=data.kind,
                config=await self._validated(data),
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
        return self._read(row)

    async def replace(self, channel_id: int, data: ChannelWrite, if_match: str | None) -> ChannelRead:
        """A channel's new name, config, scope or state (a rotated secret, say). A secret sent back as the API
        showed it (masked) keeps its stored value while the channel connects where it did, so a client can edit
        the rest of what it read."""
        require_manage(self.principal)
        row = await self.repo.get(channel_id, for_update=True)
        if row is None:
            raise ChannelNotFound(f"No channel {channel_id}", f"渠道 {channel_id} 不存在")
        await require_manage_channel(self.principal, [row.scope, data.scope.model_dump()], self.tasks)
        check_if_match(if_match, row_etag("channel", row))
        if data.name != row.name and await self.repo.name_taken(data.name):
            raise ChannelNameTaken(f"A channel is called {data.name}", f"已有名为“{data.name}”的渠道")
        data = data.model_copy(update={"config": self._kept_secrets(row, data)})
        before = {"name": row.name, "kind": row.kind, "enabled": row.enabled, "scope": row.scope}
        row.name, row.kind, row.config = data.name, data.kind, await self._validated(data)
        row.enabled, row.scope = data.enabled, data.scope.model_dump()
        await self.repo.save(row)
        after = {"name": row.name, "kind": row.kind, "enabled": row.enabled, "scope": row.scope}
        await audit.record(
            self.session, AuditLog, self.principal, "update", "channel", row.id, before=before, after=after
        )
        return self._read(row)

    def _kept_secrets(self, row: Channel, data: ChannelWrite) -> dict[str, Any]:
        """The new config, where a secret sent back masked (as reads show it) keeps its stored value — but only
        while the channel still connects where it did: a stored secret is never sent to a new destination."""
        config = dict(data.config)
        if data.kind != row.kind:
            return config
        old = opened(row.config, self.kit.box)
        masked = [n for n, v in old.items() if isinstance(v, str) and config.get(n) in (MASK, masked_url(v))]
        if not masked:
            return config
        kept = config | {n: old[n] for n in masked}
        try:
            moved = destination(channel_adapter.validate_python(old | {"kind": row.kind})) != destination(
                channel_adapter.validate_python(kept | {"kind": data.kind})
            )
        except (ValidationError, ValueError):
            moved = False  # the new config is invalid anyway: _validated says why
        if moved:
            raise ChannelInvalid(
                "The channel now connects elsewhere: enter its secrets again (" + ", ".join(masked) + ")",
                "渠道地址已变更，请重新填写密钥（" + "、".join(masked) + "）",
                errors=[
                    FieldProblem(loc=["body", "config", n], code="secret_required", message="enter it again")
                    for n in masked
                ],
            )
        return kept

    async def test(self, channel_id: int, recipient: str, http: Any) -> SendResultRead:
        """Send a test message over the channel now and say what the other end answered."""
        require_manage(self.principal)
        row = await self.repo.get(channel_id)
        if row is None:
            raise ChannelNotFound(f"No channel {channel_id}", f"渠道 {channel_id} 不存在")
        await require_manage_channel(self.principal, [row.scope], self.tasks)
        config = loaded(row.config, row.kind, self.kit.box)
        message = OutboundMessage(
            event_id=f"test:{channel_id}:{secrets.token_hex(4)}",
            kind="test",
            subject="【测试】落实系统通知渠道测试",
            text="这是一条测试消息。This is a test message.",
            recipient=recipient,
        )
        result = await send(config, message, http=http, egress=self.kit.egress)
        return SendResultRead(ok=result.ok, retryable=result.retryable, detail=result.detail)
