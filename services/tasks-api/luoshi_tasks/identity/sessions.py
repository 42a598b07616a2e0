"""Sessions (等保 2.0 身份鉴别 b: ending sessions, timeouts): a sign-in opens one, with a short access token and an
opaque refresh token (stored as a digest) that is used up on each refresh; a refresh token used twice was copied and
ends its session. Deactivation, a password change or reset end every session of the user (`token_version`), and the
other services ask `active` (through POST /v1/auth/sessions/check) whether a token's session is still on."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.logging import get_logger
from luoshi.secretbox import secret_digest
from luoshi_tasks.errors import PasswordChangeRequired, RefreshTokenInvalid
from luoshi_tasks.identity import passwords
from luoshi_tasks.identity.keys import SigningKeys
from luoshi_tasks.identity.repository import SessionRepository, UserRepository
from luoshi_tasks.identity.schemas import SessionCheck, Token
from luoshi_tasks.models import AuthSession, User
from luoshi_tasks.settings import TasksSettings

REFRESH_PREFIX = "lsr_"
log = get_logger("luoshi.identity")


def require_current_password(user: User, settings: TasksSettings, now: datetime) -> None:
    """403 `password_change_required` for a password an admin reset or one older than PASSWORD_MAX_AGE_DAYS:
    the user changes it at POST /v1/me/password (with the username, no token needed) before any other use."""
    if user.must_change_password:
        reason, en, zh = "reset", "An administrator reset this password", "密码已由管理员重置"
    elif passwords.expired(user.password_changed_at, settings, now):
        reason, en, zh = "expired", "This password has expired", "密码已过期"
    else:
        return
    raise PasswordChangeRequired(
        f"{en}: change it at POST /v1/me/password before signing in",
        f"{zh}，请先通过 POST /v1/me/password 修改密码后再登录",
        reason=reason,
        change_password="/v1/me/password",
    )


class Sessions:
    def __init__(self, session: AsyncSession, settings: TasksSettings, keys: SigningKeys) -> None:
        self.session = session
        self.settings = settings
        self.keys = keys
        self.users = UserRepository(session)
        self.sessions = SessionRepository(session)

    async def issue(
        self, user: User, ttl_seconds: int | None = None, *, address: str | None = None, session: bool = True
    ) -> Token:
        """An access token; with `session`, a new session too and its first refresh token."""
        roles = await self.users.roles_of(user.id)
        session_id = refresh = refresh_ttl = None
        if session:
            now = datetime.now(UTC)
            session_id = uuid.uuid4().hex
            ends = now + timedelta(hours=self.settings.session_max_hours)
            await self.sessions.add(AuthSession(id=session_id, user_id=user.id, expires_at=ends, created_from=address))
            refresh, refresh_ttl = await self._new_refresh(session_id, ends)
        token, ttl = self.keys.access_token(
            self.settings,
            user_id=user.id,
            username=user.username,
            unit_id=user.unit_id,
            roles=roles,
            ttl_seconds=ttl_seconds,
            session_id=session_id,
            token_version=user.token_version,
        )
        return Token(access_token=token, expires_in=ttl, refresh_token=refresh, refresh_expires_in=refresh_ttl)

    async def _new_refresh(self, session_id: str, session_ends: datetime) -> tuple[str, int]:
        now = datetime.now(UTC)
        expires = min(now + timedelta(minutes=self.settings.refresh_token_minutes), session_ends)
        raw = REFRESH_PREFIX + secrets.token_urlsafe(32)
        await self.sessions.add_refresh(session_id, secret_digest(raw), expires)
        return raw, max(1, int((expires - now).total_seconds()))

    async def refresh(self, raw: str) -> Token:
        """New tokens for a refresh token, which is then used up (rotation). A refresh token used a second time
        was copied: the whole session ends, for the thief and the user alike."""
        digest = secret_digest(raw)
        session_id = await self.sessions.use_refresh(digest)
        if session_id is None:
            row = await self.sessions.refresh_row(digest)
            if row is not None and row.used_at is not None:
                await self.sessions.revoke(row.session_id)
                await self.session.commit()  # the session stays ended although this request fails
                log.warning("refresh_token_reused", session_id=row.session_id)
                raise RefreshTokenInvalid(
                    "This refresh token was used before: the session is ended, sign in again",
                    "该刷新令牌已被使用过，会话已终止，请重新登录",
                    reason="reused",
                )
            raise RefreshTokenInvalid(reason="expired" if row is not None else "unknown")
        auth_session = await self.sessions.get(session_id)
        user = await self.users.get(auth_session.user_id) if auth_session else None
        now = datetime.now(UTC)
        if (
            auth_session is None
            or user is None
            or auth_session.revoked_at is not None
            or auth_session.expires_at <= now
            or not user.is_active
        ):
            raise RefreshTokenInvalid(reason="ended")
        require_current_password(user, self.settings, now)
        await self.sessions.touch(session_id)
        refresh, refresh_ttl = await self._new_refresh(session_id, auth_session.expires_at)
        token, ttl = self.keys.access_token(
            self.settings,
            user_id=user.id,
            username=user.username,
            unit_id=user.unit_id,
            roles=await self.users.roles_of(user.id),
            session_id=session_id,
            token_version=user.token_version,
        )
        return Token(access_token=token, expires_in=ttl, refresh_token=refresh, refresh_expires_in=refresh_ttl)

    async def sign_out(self, raw: str) -> None:
        """End the session of a refresh token (used or not); an unknown one is no error."""
        row = await self.sessions.refresh_row(secret_digest(raw))
        if row is not None:
            await self.sessions.revoke(row.session_id)

    async def active(self, check: SessionCheck) -> bool:
        return await self.sessions.is_active(check.user_id, check.session_id, check.token_version)
