"""Calendar feed tokens: the secret in a unit's or a user's .ics URL — made, checked, revoked."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_scope
from luoshi.errors import Forbidden
from luoshi_notify.errors import FeedTokenInvalid
from luoshi_notify.models import AuditLog, FeedToken
from luoshi_notify.repository.feed_tokens import FeedTokenRepository


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class FeedService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.repo = FeedTokenRepository(session)

    def _may_feed(self, subject: str) -> None:
        # A feed URL is a lasting credential to a unit's deadlines: making or ending one is a write.
        require_scope(self.principal, "notify:write")
        kind, _, ident = subject.partition(":")
        if kind == "user" and (self.principal.user_id is None or ident != str(self.principal.user_id)):
            raise Forbidden("A feed of your own only", "只能订阅本人的日历")
        if kind == "unit" and int(ident) != self.principal.unit_id and not self.principal.has_role("admin", "office"):
            raise Forbidden("A feed of your own unit only", "只能订阅本单位的日历")

    async def new_token(self, subject: str) -> str:
        self._may_feed(subject)
        kind, _, ident = subject.partition(":")
        token = secrets.token_urlsafe(24)
        unit_id = int(ident) if kind == "unit" else self.principal.unit_id
        await self.repo.add(
            FeedToken(subject=subject, unit_id=unit_id, token_hash=_digest(token), created_by=self.principal.actor)
        )
        return token

    async def revoke_tokens(self, subject: str) -> int:
        """End every calendar URL of a unit or a user (a leaked link): their readers get 404 from then on."""
        self._may_feed(subject)
        revoked = await self.repo.revoke(subject)
        await audit.record(
            self.session, AuditLog, self.principal, "revoke", "feed_token", None, after={"subject": subject}
        )
        return revoked


async def check_feed_token(session: AsyncSession, subject: str, token: str) -> FeedToken:
    row = await FeedTokenRepository(session).by_digest(_digest(token))
    if row is None or row.subject != subject or row.revoked_at is not None:
        raise FeedTokenInvalid("The feed token is wrong or revoked", "日历订阅令牌无效或已撤销")
    return row


def feed_window(today: date) -> tuple[date, date]:
    return today - timedelta(days=30), today + timedelta(days=365)
