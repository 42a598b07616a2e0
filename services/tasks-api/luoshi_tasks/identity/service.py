"""Sign-in, users, the caller and API keys."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_roles, require_scope
from luoshi.db import Database
from luoshi.errors import FieldProblem, Forbidden, ValidationFailed
from luoshi.logging import get_logger
from luoshi.outbox import emit
from luoshi.pagination import Page, make_page
from luoshi_tasks.errors import (
    AccountLocked,
    ApiKeyNotFound,
    BadCredentials,
    CannotDeactivateSelf,
    PasswordChangeRequired,
    PasswordRejected,
    RefreshTokenInvalid,
    SigninThrottled,
    UnitNotFound,
    UnitRoleNeedsUnit,
    UserInactive,
    UsernameTaken,
    UserNotFound,
)
from luoshi_tasks.identity import passwords
from luoshi_tasks.identity.keys import SigningKeys
from luoshi_tasks.identity.repository import (
    ApiKeyRepository,
    SessionRepository,
    SigninAddressRepository,
    UserRepository,
)
from luoshi_tasks.identity.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyRead,
    Introspection,
    Me,
    PasswordChange,
    PasswordReset,
    PasswordResetDone,
    SessionCheck,
    Token,
    UserCreate,
    UserRead,
)
from luoshi_tasks.models import ApiKey, AuditLog, AuthSession, Event, User
from luoshi_tasks.repository.units import UnitRepository
from luoshi_tasks.service.units import read_unit
from luoshi_tasks.settings import TasksSettings

# Events other services act on (luoshi.outbox; notify ends the calendar links the user or the key made)
USER_DEACTIVATED = "user.deactivated"
API_KEY_REVOKED = "api_key.revoked"

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("luoshi-timing-equaliser")
API_KEY_PREFIX = "lsk_"
REFRESH_PREFIX = "lsr_"
log = get_logger("luoshi.identity")


def _verified(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _locked(until: datetime, now: datetime) -> AccountLocked:
    seconds = max(1, int((until - now).total_seconds()) + 1)
    return AccountLocked(
        f"Locked for {seconds} more seconds after too many wrong passwords; an administrator can unlock it",
        f"因多次密码错误已锁定，{seconds} 秒后可再试；管理员可提前解锁",
        headers={"Retry-After": str(seconds)},
        locked_until=until.isoformat(),
    )


def _throttled(until: datetime, now: datetime) -> SigninThrottled:
    seconds = max(1, int((until - now).total_seconds()) + 1)
    return SigninThrottled(
        f"Too many wrong sign-ins from this address: try again in {seconds} seconds",
        f"该地址登录失败次数过多，请 {seconds} 秒后再试",
        headers={"Retry-After": str(seconds)},
    )


def _acting(principal: Principal | None, user: User) -> Principal:
    """Who the audit log names for a user's own change: the caller, or the user who proved their password."""
    if principal is not None:
        return principal
    return Principal(kind="user", subject=str(user.id), user_id=user.id, username=user.username)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def hash_api_key(key: str) -> str:
    # API keys are 256 random bits: a fast hash is enough and keeps each request cheap.
    return hashlib.sha256(key.encode()).hexdigest()


class IdentityService:
    def __init__(self, session: AsyncSession, settings: TasksSettings, keys: SigningKeys) -> None:
        self.session = session
        self.settings = settings
        self.keys = keys
        self.users = UserRepository(session)
        self.api_keys = ApiKeyRepository(session)
        self.addresses = SigninAddressRepository(session)
        self.sessions = SessionRepository(session)

    async def sign_in(self, username: str, password: str, address: str | None = None) -> Token:
        """A token for the right password, unless it must be changed first (403 password_change_required)."""
        user = await self._password_checked(username, None, password, address)
        self._require_current_password(user, datetime.now(UTC))
        token = await self.issue_token(user, address=address)
        signed_in = Principal(kind="user", subject=str(user.id), user_id=user.id, username=user.username)
        await audit.record(self.session, AuditLog, signed_in, "sign_in", "user", user.id, after={"address": address})
        return token

    async def _password_checked(
        self, username: str | None, user_id: int | None, password: str, address: str | None
    ) -> User:
        """The active user whose password this is, else 401 bad_credentials. SIGNIN_MAX_FAILURES wrong ones in a
        row lock the account for SIGNIN_LOCKOUT_SECONDS, during which even the right one is refused (429 with
        Retry-After); SIGNIN_ADDRESS_MAX_FAILURES wrong ones from one client `address` within
        SIGNIN_ADDRESS_WINDOW_SECONDS, whatever usernames they named, refuse that address every sign-in until the
        window ends (429 too). Sign-in and a password change both go through here."""
        settings = self.settings
        if address is not None:
            until = await self.addresses.throttled_until(
                address, settings.signin_address_max_failures, settings.signin_address_window_seconds
            )
            if until is not None:  # refused before argon2: a flood from one address costs no CPU
                raise _throttled(until, datetime.now(UTC))
        user = await (self.users.get(user_id) if user_id is not None else self.users.by_username(username or ""))
        # argon2 takes tens of milliseconds of CPU: off the event loop, so sign-ins do not stall other requests
        right = await asyncio.to_thread(_verified, user.password_hash if user else _DUMMY_HASH, password)
        now = datetime.now(UTC)
        if user is not None and user.locked_until is not None and user.locked_until > now:
            raise _locked(user.locked_until, now)
        if not right or user is None or not user.is_active:
            locked_until = None
            if user is not None:
                locked_until = await self.users.signin_failed(
                    user.id, settings.signin_max_failures, settings.signin_lockout_seconds
                )
            if address is not None:
                await self.addresses.failed(address, settings.signin_address_window_seconds)
            # 等保 2.0 8.1.4.3 a: a failed sign-in is a security event, audited with what was tried and from where
            reason = "unknown_user" if user is None else ("inactive" if not user.is_active else "wrong_password")
            locked = locked_until is not None and locked_until > now
            await audit.record(
                self.session,
                AuditLog,
                None,
                "sign_in_failed",
                "user",
                user.id if user is not None else (username or f"id:{user_id}"),
                after={
                    "reason": reason,
                    "address": address,
                    "locked_until": locked_until.isoformat() if locked else None,
                },
            )
            await self.session.commit()  # the counts and the audit line outlive this request, which fails
            if locked:
                raise _locked(locked_until, now)
            raise BadCredentials()
        if user.failed_signins or user.locked_until is not None:
            await self.users.signin_succeeded(user.id)
            await self.session.commit()  # kept if the password must be changed first (a 403)
            await self.session.refresh(user)
        return user

    async def change_password(self, data: PasswordChange, principal: Principal | None, address: str | None) -> Token:
        """The user's own change: the current password (checked like a sign-in: counted, locked, throttled) and a
        new one of the rules. Without a token, `username` says whose: the way out of password_change_required.
        Answers a fresh sign-in."""
        if principal is not None and principal.kind != "user":
            raise Forbidden("Only a signed-in user changes their password", "仅用户本人可修改密码")
        if principal is None and not data.username:
            raise ValidationFailed(
                "Send the username, or sign in first",
                "未登录时请提供用户名",
                errors=[FieldProblem(loc=["body", "username"], code="missing", message="Field required")],
            )
        user = await self._password_checked(
            data.username, principal.user_id if principal else None, data.current_password, address
        )
        passwords.check_password(data.new_password, self.settings, user.username, field="new_password")
        if data.new_password == data.current_password:
            raise PasswordRejected(
                "The new password must differ from the current one",
                "新密码不能与当前密码相同",
                errors=[
                    FieldProblem(
                        loc=["body", "new_password"],
                        code="password_unchanged",
                        message="Same as the current password",
                        message_zh="与当前密码相同",
                    )
                ],
            )
        await self._set_password(user, data.new_password, must_change=False)
        await audit.record(self.session, AuditLog, _acting(principal, user), "change_password", "user", user.id)
        return await self.issue_token(user, address=address)

    async def reset_password(self, user_id: int, data: PasswordReset, principal: Principal) -> PasswordResetDone:
        """An admin sets a temporary password (given, or made here), to be changed at the next sign-in."""
        require_roles(principal, ())
        user = await self._user(user_id)
        temporary = data.password or passwords.temporary_password()
        if data.password:
            passwords.check_password(data.password, self.settings, user.username)
        await self._set_password(user, temporary, must_change=True)
        await self.users.signin_succeeded(user.id)  # a lockout ends with it
        await audit.record(self.session, AuditLog, principal, "reset_password", "user", user.id)
        await self.session.refresh(user)
        return PasswordResetDone(user=user_read(user, await self.users.roles_of(user.id)), temporary_password=temporary)

    async def set_active(self, user_id: int, active: bool, principal: Principal) -> UserRead:
        """Deactivate (the user can no longer sign in) or activate again; admins only, never themselves."""
        require_roles(principal, ())
        user = await self._user(user_id)
        if not active and principal.user_id == user.id:
            raise CannotDeactivateSelf(
                "An administrator cannot deactivate their own account", "管理员不能停用自己的账号"
            )
        before = user_read(user, await self.users.roles_of(user.id)).model_dump(mode="json")
        if bool(user.is_active) != active:
            user.is_active = active
            await self.session.flush()
            if not active:
                await self.end_sessions(user)
                # notify ends the calendar links the user made (they are credentials of their own)
                await emit(self.session, Event, USER_DEACTIVATED, f"user/{user.id}", {"user_id": user.id})
        await self.session.refresh(user)
        read = user_read(user, await self.users.roles_of(user.id))
        await audit.record(
            self.session,
            AuditLog,
            principal,
            "activate" if active else "deactivate",
            "user",
            user.id,
            before=before,
            after=read.model_dump(mode="json"),
        )
        return read

    async def end_sessions(self, user: User) -> None:
        """End every session of the user (deactivation, a password changed or reset): their refresh tokens stop
        at once, their access tokens in every service within SESSION_CHECK_SECONDS (the token version moves on)."""
        user.token_version = (user.token_version or 0) + 1
        await self.session.flush()
        await self.sessions.revoke_all(user.id)

    async def _set_password(self, user: User, password: str, *, must_change: bool) -> None:
        user.password_hash = await asyncio.to_thread(hash_password, password)
        user.must_change_password = must_change
        user.password_changed_at = datetime.now(UTC)
        await self.session.flush()
        await self.end_sessions(user)

    async def _user(self, user_id: int) -> User:
        user = await self.users.get(user_id)
        if user is None:
            raise UserNotFound(f"No user {user_id}", f"用户 {user_id} 不存在")
        return user

    def _require_current_password(self, user: User, now: datetime) -> None:
        """403 `password_change_required` for a password an admin reset or one older than PASSWORD_MAX_AGE_DAYS:
        the user changes it at POST /v1/me/password (with the username, no token needed) before any other use."""
        if user.must_change_password:
            reason, en, zh = "reset", "An administrator reset this password", "密码已由管理员重置"
        elif passwords.expired(user.password_changed_at, self.settings, now):
            reason, en, zh = "expired", "This password has expired", "密码已过期"
        else:
            return
        raise PasswordChangeRequired(
            f"{en}: change it at POST /v1/me/password before signing in",
            f"{zh}，请先通过 POST /v1/me/password 修改密码后再登录",
            reason=reason,
            change_password="/v1/me/password",
        )

    async def unlock(self, user_id: int, principal: Principal) -> UserRead:
        """Lift a lockout before it ends (an admin, after checking who is asking)."""
        require_roles(principal, ())
        user = await self.users.get(user_id)
        if user is None:
            raise UserNotFound(f"No user {user_id}", f"用户 {user_id} 不存在")
        await self.users.signin_succeeded(user.id)
        await audit.record(self.session, AuditLog, principal, "unlock", "user", user.id)
        await self.session.refresh(user)
        return user_read(user, await self.users.roles_of(user.id))

    async def issue_token(
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
        await self.sessions.add_refresh(session_id, hash_api_key(raw), expires)
        return raw, max(1, int((expires - now).total_seconds()))

    async def refresh(self, raw: str) -> Token:
        """New tokens for a refresh token, which is then used up (rotation). A refresh token used a second time
        was copied: the whole session ends, for the thief and the user alike."""
        digest = hash_api_key(raw)
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
        self._require_current_password(user, now)
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
        row = await self.sessions.refresh_row(hash_api_key(raw))
        if row is not None:
            await self.sessions.revoke(row.session_id)

    async def session_active(self, check: SessionCheck) -> bool:
        return await self.sessions.is_active(check.user_id, check.session_id, check.token_version)

    async def token_for(self, username: str, ttl_seconds: int | None = None) -> Token:
        """`luoshi token`: an access token (no session, no refresh token) for an active user, lasting at most
        CLI_TOKEN_MAX_MINUTES. It stops working, like any other, when the user's sessions end."""
        user = await self.users.by_username(username)
        if user is None:
            raise UserNotFound(f"No user {username}", f"用户 {username} 不存在")
        if not user.is_active:
            raise UserInactive(f"User {username} is deactivated", f"用户 {username} 已停用")
        longest = self.settings.cli_token_max_minutes * 60
        if ttl_seconds is not None and not 0 < ttl_seconds <= longest:
            raise ValidationFailed(
                f"--ttl must be between 1 and {longest} seconds (CLI_TOKEN_MAX_MINUTES)",
                f"--ttl 须在 1 至 {longest} 秒之间（CLI_TOKEN_MAX_MINUTES）",
            )
        return await self.issue_token(user, ttl_seconds, session=False)

    async def create_user(self, data: UserCreate, principal: Principal | None) -> UserRead:
        if principal is not None:
            require_roles(principal, ("admin",))
        if "unit" in data.roles and data.unit_id is None:
            raise UnitRoleNeedsUnit("A user with role 'unit' needs unit_id", "角色为 unit 的用户必须指定所属单位")
        if data.unit_id is not None and not await UnitRepository(self.session).exists(data.unit_id):
            raise UnitNotFound(f"No unit {data.unit_id}", f"单位 {data.unit_id} 不存在")
        passwords.check_password(data.password, self.settings, data.username)
        if await self.users.by_username(data.username):
            raise UsernameTaken(f"Username {data.username} is taken", f"用户名 {data.username} 已被占用")
        user = User(
            username=data.username,
            display_name=data.display_name or data.username,
            password_hash=await asyncio.to_thread(hash_password, data.password),
            unit_id=data.unit_id,
            email=data.email,
            phone=data.phone,
        )
        await self.users.add(user, list(data.roles))
        await self.session.refresh(user)
        read = user_read(user, sorted(set(data.roles)))
        await audit.record(
            self.session, AuditLog, principal, "create", "user", user.id, after=read.model_dump(mode="json")
        )
        return read

    async def list_users(
        self,
        principal: Principal,
        *,
        limit: int,
        cursor: list[Any] | None,
        unit_ids: list[int] | None,
        role: str | None,
        ids: list[int] | None = None,
    ) -> Page[UserRead]:
        # people's e-mail and phone: an API key needs tasks:read for them, not just any write scope
        require_scope(principal, "tasks:read")
        require_roles(principal, ("office",))
        users = await self.users.list(
            limit=limit, after_id=int(cursor[0]) if cursor else None, unit_ids=unit_ids, role=role, ids=ids
        )
        roles = await self.users.roles_by_user([u.id for u in users])
        return make_page([user_read(u, roles[u.id]) for u in users], limit, lambda u: [u.id])

    async def create_api_key(self, data: ApiKeyCreate, principal: Principal) -> ApiKeyCreated:
        require_roles(principal, ("admin",))
        if data.unit_id is not None and not await UnitRepository(self.session).exists(data.unit_id):
            raise UnitNotFound(f"No unit {data.unit_id}", f"单位 {data.unit_id} 不存在")
        raw = API_KEY_PREFIX + secrets.token_urlsafe(32)
        key = ApiKey(
            name=data.name,
            prefix=raw[:12],
            key_hash=hash_api_key(raw),
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
        key = await self.api_keys.by_hash(hash_api_key(raw_key))
        now = datetime.now(UTC)
        if key is None or key.revoked_at is not None or (key.expires_at and key.expires_at <= now):
            return Introspection(active=False)
        await self.api_keys.touch(key.id)
        return Introspection(active=True, key_id=key.id, name=key.name, scopes=key.scopes, unit_id=key.unit_id)


async def me(db: Database, principal: Principal) -> Me:
    """Who is signed in, with their unit."""
    unit = await read_unit(db, principal, principal.unit_id) if principal.unit_id else None
    return Me(
        kind=principal.kind,
        user_id=principal.user_id,
        username=principal.username,
        unit=unit,
        roles=sorted(principal.roles),
        scopes=sorted(principal.scopes),
    )


def user_read(user: User, roles: list[str]) -> UserRead:
    return UserRead(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        unit_id=user.unit_id,
        roles=roles,
        email=user.email,
        phone=user.phone,
        is_active=user.is_active,  # type: ignore[arg-type]
        created_at=user.created_at,
    )


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
