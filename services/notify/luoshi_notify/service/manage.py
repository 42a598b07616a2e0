"""What people do with notify through its API: read and resend notifications, read the inbox, set rules,
preferences and channels, preview templates, make bulletins and calendar feeds."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_roles, require_scope
from luoshi.errors import Conflict, FieldProblem, Forbidden, NotFound, Unauthenticated, ValidationFailed
from luoshi.etag import check_if_match, etag, row_etag
from luoshi.pagination import Page, make_page
from luoshi.plan_access import require_manage_plan_of
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
from luoshi_notify.models import AuditLog, Channel, FeedToken, Notification, Preference, RuleSet
from luoshi_notify.planning import Preferences
from luoshi_notify.planning import RuleSet as Rules
from luoshi_notify.repository.notifications import NotificationRepository
from luoshi_notify.schemas import (
    AttemptRead,
    ChannelRead,
    ChannelWrite,
    InboxItemRead,
    InboxPage,
    NotificationDetail,
    NotificationRead,
    PreferencesRead,
    RulesRead,
    RulesWrite,
    SendResultRead,
)
from luoshi_notify.service.channel_access import may_manage_channel, require_manage_channel


class NotificationNotFound(NotFound):
    code, title_en, title_zh = "notification_not_found", "Notification not found", "通知不存在"


class ChannelNotFound(NotFound):
    code, title_en, title_zh = "channel_not_found", "Channel not found", "渠道不存在"


class ChannelInvalid(ValidationFailed):
    code, title_en, title_zh = "channel_invalid", "The channel configuration is not valid", "渠道配置不合法"


class ChannelNameTaken(Conflict):
    code, title_en, title_zh = "channel_name_taken", "A channel with this name exists", "渠道名称已存在"


class NotificationInFlight(Conflict):
    code, title_en, title_zh = "notification_in_flight", "It is about to be sent", "该通知正在发送"


class FeedTokenInvalid(Unauthenticated):
    code, title_en, title_zh = "feed_token_invalid", "The feed token is wrong or revoked", "日历订阅令牌无效"


def reads_all(principal: Principal) -> bool:
    return principal.is_service or principal.has_role("admin", "office", "leader")


def require_manage(principal: Principal) -> None:
    require_scope(principal, "notify:write")
    require_roles(principal, ("office",))


class NotifyService:
    def __init__(self, session: AsyncSession, principal: Principal, kit: ChannelKit | None = None) -> None:
        self.session = session
        self.principal = principal
        self.kit = kit  # channels only: the key sealing their secrets, where they may connect
        self.repo = NotificationRepository(session)

    # -- notifications -----------------------------------------------------------------------------------

    async def notifications(
        self, *, limit: int, cursor: list[Any] | None, filters: dict[str, Any]
    ) -> Page[NotificationRead]:
        require_scope(self.principal, "notify:read")
        if not reads_all(self.principal):
            filters = {**filters, "recipient_user_id": self.principal.user_id or -1}
        rows = await self.repo.list(limit=limit, after_id=int(cursor[0]) if cursor else None, filters=filters)
        page = make_page(rows, limit, lambda r: [r.id])
        return Page[NotificationRead](
            items=[NotificationRead.model_validate(r) for r in page.items], next_cursor=page.next_cursor
        )

    async def _notification(self, notification_id: int, *, for_update: bool = False) -> Notification:
        require_scope(self.principal, "notify:read")
        row = await self.repo.get(notification_id, for_update=for_update)
        if row is None or not (reads_all(self.principal) or row.recipient_user_id == self.principal.user_id):
            raise NotificationNotFound(f"No notification {notification_id}", f"通知 {notification_id} 不存在")
        return row

    async def notification(self, notification_id: int) -> NotificationDetail:
        row = await self._notification(notification_id)
        attempts = [AttemptRead.model_validate(a) for a in await self.repo.attempts(row.id)]
        return NotificationDetail(**NotificationRead.model_validate(row).model_dump(), attempts_log=attempts)

    async def resend(self, notification_id: int) -> NotificationDetail:
        """Send again (a dead-lettered one after fixing its channel, or a lost e-mail). Same key: receivers
        that already have it drop the repeat."""
        require_manage(self.principal)
        row = await self._notification(notification_id, for_update=True)
        if row.status in ("pending", "sending"):
            raise NotificationInFlight(f"Notification {row.id} is {row.status}", "该通知正在发送")
        row.status, row.attempts, row.last_error, row.send_after = "pending", 0, None, func.now()
        await self.session.flush()
        await self.session.refresh(row)
        await audit.record(self.session, AuditLog, self.principal, "resend", "notification", row.id)
        return await self.notification(row.id)

    # -- inbox ---------------------------------------------------------------------------------------------

    def _me(self) -> int:
        if self.principal.user_id is None:
            raise Forbidden("The inbox belongs to a user", "收件箱属于具体用户")
        return self.principal.user_id

    async def inbox(self, *, limit: int, cursor: list[Any] | None, unread: bool) -> InboxPage:
        user_id = self._me()
        rows = await self.repo.inbox(user_id, limit=limit, after_id=int(cursor[0]) if cursor else None, unread=unread)
        page = make_page(rows, limit, lambda r: [r.id])
        return InboxPage(
            items=[InboxItemRead.model_validate(r) for r in page.items],
            next_cursor=page.next_cursor,
            unread=await self.repo.unread_count(user_id),
        )

    async def mark_read(self, item_id: int | None) -> int:
        return await self.repo.mark_read(self._me(), item_id)

    # -- rules and preferences -------------------------------------------------------------------------------

    async def rules(self, plan_id: int) -> RulesRead:
        require_scope(self.principal, "notify:read")
        row = await self.session.scalar(select(RuleSet).where(RuleSet.plan_id == plan_id))
        if row is None:
            return RulesRead(plan_id=plan_id, rules=Rules().model_dump(mode="json"), unit_daily_cap=20, version=0)
        return RulesRead(plan_id=plan_id, rules=row.rules, unit_daily_cap=row.unit_daily_cap, version=row.version)

    async def set_rules(self, plan_id: int, data: RulesWrite, if_match: str | None, tasks: Any) -> RulesRead:
        """A plan's rules, by whoever may manage the plan (luoshi.plan_access); the defaults (plan 0), which every
        plan without its own follows, by an admin."""
        if plan_id == 0:
            require_scope(self.principal, "notify:write")
            if not (self.principal.is_admin or self.principal.is_service):
                raise Forbidden("Only an administrator sets the default rules", "仅系统管理员可以设置默认提醒规则")
        else:
            await require_manage_plan_of(self.principal, "notify:write", lambda: tasks.plan(plan_id))
        try:
            rules = Rules.model_validate(data.rules).model_dump(mode="json")
        except ValueError as exc:
            raise ValidationFailed(
                "The rules are not valid",
                "提醒规则不合法",
                errors=[FieldProblem(loc=["body", "rules"], code="invalid", message=str(exc)[:500])],
            ) from exc
        row = await self.session.scalar(select(RuleSet).where(RuleSet.plan_id == plan_id).with_for_update())
        if row is None:
            row = RuleSet(plan_id=plan_id, rules=rules, unit_daily_cap=data.unit_daily_cap)
            self.session.add(row)
        else:
            check_if_match(if_match, etag("rules", plan_id, row.version))
            row.rules, row.unit_daily_cap = rules, data.unit_daily_cap
        await self.session.flush()
        await self.session.refresh(row)
        await audit.record(self.session, AuditLog, self.principal, "set", "rule_set", plan_id, after=rules)
        return RulesRead(plan_id=plan_id, rules=row.rules, unit_daily_cap=row.unit_daily_cap, version=row.version)

    async def preferences(self) -> PreferencesRead:
        user_id = self._me()
        row = await self.session.scalar(select(Preference).where(Preference.user_id == user_id))
        if row is None:
            return PreferencesRead(user_id=user_id, prefs=Preferences().model_dump(mode="json"), version=0)
        return PreferencesRead(user_id=user_id, prefs=row.prefs, version=row.version)

    async def set_preferences(self, prefs: dict[str, Any]) -> PreferencesRead:
        user_id = self._me()
        try:
            value = Preferences.model_validate(prefs).model_dump(mode="json")
        except ValueError as exc:
            raise ValidationFailed(
                "The preferences are not valid",
                "偏好设置不合法",
                errors=[FieldProblem(loc=["body"], code="invalid", message=str(exc)[:500])],
            ) from exc
        row = await self.session.scalar(select(Preference).where(Preference.user_id == user_id).with_for_update())
        if row is None:
            row = Preference(user_id=user_id, prefs=value)
            self.session.add(row)
        else:
            row.prefs = value
        await self.session.flush()
        await self.session.refresh(row)
        return PreferencesRead(user_id=user_id, prefs=row.prefs, version=row.version)

    # -- channels ------------------------------------------------------------------------------------------

    @property
    def _kit(self) -> ChannelKit:
        if self.kit is None:
            raise RuntimeError("channel operations need the service's ChannelKit")
        return self.kit

    def _channel_read(self, row: Channel) -> ChannelRead:
        config = redacted(loaded(row.config, row.kind, self._kit.box))
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
            await check_destination(config, self._kit.egress, resolve=True)
        except DestinationRefused as exc:
            field = "host" if data.kind == "email" else ("url" if data.kind in ("webhook", "sms") else "webhook_url")
            raise ChannelInvalid(
                str(exc),
                f"渠道地址 {exc.address} 不是公网地址；如需使用内网地址，请运维人员在 OUTBOUND_ALLOW 中放行",
                errors=[FieldProblem(loc=["body", "config", field], code="destination_refused", message=str(exc))],
            ) from exc
        except OSError:
            pass  # a name not resolvable from here now: each send checks it again
        return stored(config, self._kit.box)

    async def channels(self, tasks: Any) -> list[ChannelRead]:
        """An administrator sees every channel; an office the channels of plans it manages."""
        require_manage(self.principal)
        rows = await self.session.scalars(select(Channel).order_by(Channel.id))
        return [self._channel_read(r) for r in rows if await self._may_see(r, tasks)]

    async def _may_see(self, row: Channel, tasks: Any) -> bool:
        try:
            return await may_manage_channel(self.principal, row.scope, tasks)
        except ValidationFailed:  # scoped to a plan that is gone: the administrator's to clear up
            return False

    async def channel(self, channel_id: int, tasks: Any) -> ChannelRead:
        require_manage(self.principal)
        row = await self.session.get(Channel, channel_id)
        if row is None or not await self._may_see(row, tasks):
            raise ChannelNotFound(f"No channel {channel_id}", f"渠道 {channel_id} 不存在")
        return self._channel_read(row)

    async def add_channel(self, data: ChannelWrite, tasks: Any) -> ChannelRead:
        await require_manage_channel(self.principal, [data.scope.model_dump()], tasks)
        if await self.session.scalar(select(Channel.id).where(Channel.name == data.name)):
            raise ChannelNameTaken(f"A channel is called {data.name}", f"已有名为“{data.name}”的渠道")
        row = Channel(
            name=data.name,
            kind=data.kind,
            config=await self._validated(data),
            enabled=data.enabled,
            scope=data.scope.model_dump(),
        )
        self.session.add(row)
        await self.session.flush()
        await self.session.refresh(row)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "create",
            "channel",
            row.id,
            after={"name": row.name, "kind": row.kind},
        )
        return self._channel_read(row)

    async def replace_channel(
        self, channel_id: int, data: ChannelWrite, if_match: str | None, tasks: Any
    ) -> ChannelRead:
        """A channel's new name, config, scope or state (a rotated secret, say). A secret sent back as the API
        showed it (masked) keeps its stored value, so a client can edit the rest of what it read."""
        require_manage(self.principal)
        row = await self.session.get(Channel, channel_id, with_for_update=True)
        if row is None:
            raise ChannelNotFound(f"No channel {channel_id}", f"渠道 {channel_id} 不存在")
        await require_manage_channel(self.principal, [row.scope, data.scope.model_dump()], tasks)
        check_if_match(if_match, row_etag("channel", row))
        if data.name != row.name and await self.session.scalar(select(Channel.id).where(Channel.name == data.name)):
            raise ChannelNameTaken(f"A channel is called {data.name}", f"已有名为“{data.name}”的渠道")
        data = data.model_copy(update={"config": self._kept_secrets(row, data)})
        before = {"name": row.name, "kind": row.kind, "enabled": row.enabled, "scope": row.scope}
        row.name, row.kind, row.config = data.name, data.kind, await self._validated(data)
        row.enabled, row.scope = data.enabled, data.scope.model_dump()
        await self.session.flush()
        await self.session.refresh(row)
        after = {"name": row.name, "kind": row.kind, "enabled": row.enabled, "scope": row.scope}
        await audit.record(
            self.session, AuditLog, self.principal, "update", "channel", row.id, before=before, after=after
        )
        return self._channel_read(row)

    def _kept_secrets(self, row: Channel, data: ChannelWrite) -> dict[str, Any]:
        """The new config, where a secret sent back masked (as reads show it) keeps its stored value — but only
        while the channel still connects where it did: a stored secret is never sent to a new destination."""
        config = dict(data.config)
        if data.kind != row.kind:
            return config
        old = opened(row.config, self._kit.box)
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

    async def revoke_feed_tokens(self, subject: str) -> int:
        """End every calendar URL of a unit or a user (a leaked link): their readers get 404 from then on."""
        self._may_feed(subject)
        revoked = await self.session.execute(
            update(FeedToken)
            .where(FeedToken.subject == subject, FeedToken.revoked_at.is_(None))
            .values(revoked_at=func.now())
        )
        await audit.record(
            self.session, AuditLog, self.principal, "revoke", "feed_token", None, after={"subject": subject}
        )
        return revoked.rowcount or 0  # type: ignore[attr-defined]

    async def test_channel(self, channel_id: int, recipient: str, http: Any, tasks: Any) -> SendResultRead:
        require_manage(self.principal)
        row = await self.session.get(Channel, channel_id)
        if row is None:
            raise ChannelNotFound(f"No channel {channel_id}", f"渠道 {channel_id} 不存在")
        await require_manage_channel(self.principal, [row.scope], tasks)
        config = loaded(row.config, row.kind, self._kit.box)
        message = OutboundMessage(
            event_id=f"test:{channel_id}:{secrets.token_hex(4)}",
            kind="test",
            subject="【测试】落实系统通知渠道测试",
            text="这是一条测试消息。This is a test message.",
            recipient=recipient,
        )
        result = await send(config, message, http=http, egress=self._kit.egress)
        return SendResultRead(ok=result.ok, retryable=result.retryable, detail=result.detail)

    # -- calendar feeds ------------------------------------------------------------------------------------

    def _may_feed(self, subject: str) -> None:
        # A feed URL is a lasting credential to a unit's deadlines: making or ending one is a write.
        require_scope(self.principal, "notify:write")
        kind, _, ident = subject.partition(":")
        if kind == "user" and (self.principal.user_id is None or ident != str(self.principal.user_id)):
            raise Forbidden("A feed of your own only", "只能订阅本人的日历")
        if kind == "unit" and int(ident) != self.principal.unit_id and not self.principal.has_role("admin", "office"):
            raise Forbidden("A feed of your own unit only", "只能订阅本单位的日历")

    async def new_feed_token(self, subject: str) -> str:
        self._may_feed(subject)
        kind, _, ident = subject.partition(":")
        token = secrets.token_urlsafe(24)
        unit_id = int(ident) if kind == "unit" else self.principal.unit_id
        self.session.add(
            FeedToken(
                subject=subject,
                unit_id=unit_id,
                token_hash=hashlib.sha256(token.encode()).hexdigest(),
                created_by=self.principal.actor,
            )
        )
        await self.session.flush()
        return token


async def check_feed_token(session: AsyncSession, subject: str, token: str) -> FeedToken:
    digest = hashlib.sha256(token.encode()).hexdigest()
    row = await session.scalar(select(FeedToken).where(FeedToken.token_hash == digest))
    if row is None or row.subject != subject or row.revoked_at is not None:
        raise FeedTokenInvalid("The feed token is wrong or revoked", "日历订阅令牌无效或已撤销")
    return row


def feed_window(today: date) -> tuple[date, date]:
    return today - timedelta(days=30), today + timedelta(days=365)
