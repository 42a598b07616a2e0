"""Sign-in, users, the caller and API keys."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
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
    BadCredentials,
    CannotDeactivateSelf,
    PasswordRejected,
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
    SessionRepository,
    SigninAddressRepository,
    UserRepository,
    fetch_display_name,
)
from luoshi_tasks.identity.schemas import (
    Me,
    PasswordChange,
    PasswordReset,
    PasswordResetDone,
    Token,
    UserCreate,
    UserRead,
)
from luoshi_tasks.identity.sessions import Sessions, require_current_password
from luoshi_tasks.models import AuditLog, Event, User
from luoshi_tasks.repository.units import UnitRepository
from luoshi_tasks.service.units import read_unit
from luoshi_tasks.settings import TasksSettings

# An event other services act on (luoshi.outbox; notify ends the calendar links the user made)
USER_DEACTIVATED = "user.deactivated"

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("luoshi-timing-equaliser")
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


class IdentityService:
    def __init__(self, session: AsyncSession, settings: TasksSettings, keys: SigningKeys) -> None:
        self.session = session
        self.settings = settings
        self.keys = keys
        self.users = UserRepository(session)
        self.addresses = SigninAddressRepository(session)
        self.sessions = SessionRepository(session)
        self.tokens = Sessions(session, settings, keys)

    async def sign_in(self, username: str, password: str, address: str | None = None) -> Token:
        """A token for the right password, unless it must be changed first (403 password_change_required)."""
        user = await self._password_checked(username, None, password, address)
        require_current_password(user, self.settings, datetime.now(UTC))
        token = await self.tokens.issue(user, address=address)
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
        return await self.tokens.issue(user, address=address)

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
        return await self.tokens.issue(user, ttl_seconds, session=False)

    async def create_user(self, data: UserCreate, principal: Principal | None) -> UserRead:
        if principal is not None:
            require_roles(principal, ("admin",))
        if "unit" in data.roles and data.unit_id is None:
            raise UnitRoleNeedsUnit("A user with role 'unit' needs unit_id", "单位联络员账号必须指定所属单位")
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


async def me(db: Database, principal: Principal) -> Me:
    """Who is signed in, with their unit."""
    unit = await read_unit(db, principal, principal.unit_id) if principal.unit_id else None
    display_name = await fetch_display_name(db.pool, principal.user_id) if principal.kind == "user" else None
    return Me(
        kind=principal.kind,
        user_id=principal.user_id,
        username=principal.username,
        display_name=display_name,
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
