"""Calendar feed tokens: the secret in a unit's or a user's .ics URL — made, checked, revoked."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_scope
from luoshi.errors import Forbidden
from luoshi.secretbox import secret_digest
from luoshi_notify.errors import FeedTokenInvalid
from luoshi_notify.models import AuditLog, FeedToken
from luoshi_notify.repository.feed_tokens import FeedTokenRepository


class FeedService:
    def __init__(self, session: AsyncSession, principal: Principal, lifetime_days: int = 180) -> None:
        self.session = session
        self.principal = principal
        self.lifetime = timedelta(days=lifetime_days)
        self.repo = FeedTokenRepository(session)

    def _may_feed(self, subject: str) -> None:
        # A feed URL is a lasting credential to a unit's deadlines: making or ending one is a write.
        require_scope(self.principal, "notify:write")
        kind, _, ident = subject.partition(":")
        if kind == "user" and (self.principal.user_id is None or ident != str(self.principal.user_id)):
            raise Forbidden("A feed of your own only", "只能订阅本人的日历")
        if kind == "unit" and int(ident) != self.principal.unit_id and not self.principal.has_role("admin", "office"):
            raise Forbidden("A feed of your own unit only", "只能订阅本单位的日历")

    async def new_token(self, subject: str) -> tuple[str, datetime]:
        """A new link's token (shown once) and when it stops working."""
        self._may_feed(subject)
        kind, _, ident = subject.partition(":")
        token = secrets.token_urlsafe(24)
        unit_id = int(ident) if kind == "unit" else self.principal.unit_id
        expires_at = datetime.now(UTC) + self.lifetime
        is_key = self.principal.kind == "api_key"
        await self.repo.add(
            FeedToken(
                subject=subject,
                unit_id=unit_id,
                token_hash=secret_digest(token),
                created_by=self.principal.actor,
                expires_at=expires_at,
                maker_user_id=None if is_key else self.principal.user_id,
                maker_key_id=int(self.principal.subject) if is_key else None,
            )
        )
        return token, expires_at

    async def revoke_tokens(self, subject: str) -> int:
        """End every calendar URL of a unit or a user (a leaked link): their readers get 404 from then on."""
        self._may_feed(subject)
        revoked = await self.repo.revoke(subject)
        await audit.record(
            self.session, AuditLog, self.principal, "revoke", "feed_token", None, after={"subject": subject}
        )
        return revoked


async def check_feed_token(session: AsyncSession, subject: str, token: str) -> FeedToken:
    row = await FeedTokenRepository(session).by_digest(secret_digest(token))
    if row is None or row.subject != subject or row.revoked_at is not None or row.expires_at <= datetime.now(UTC):
        raise FeedTokenInvalid("The feed token is wrong, expired or revoked", "日历订阅令牌无效、已过期或已撤销")
    return row


async def end_tokens_made_by(session: AsyncSession, *, user_id: int | None = None, key_id: int | None = None) -> int:
    """tasks-api deactivated a user or revoked a key: the calendar links it made stop working."""
    return await FeedTokenRepository(session).revoke_made_by(user_id=user_id, key_id=key_id)


def feed_window(today: date) -> tuple[date, date]:
    return today - timedelta(days=30), today + timedelta(days=365)
