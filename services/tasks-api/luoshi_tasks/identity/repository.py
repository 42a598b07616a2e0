"""Every query on users, roles and API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg
from sqlalchemy import case, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi_tasks.models import ApiKey, AuthSession, RefreshToken, SigninAddress, User, UserRole


async def fetch_display_name(pool: asyncpg.Pool, user_id: int) -> str | None:
    """The name the console greets a user by (on the raw pool, as /v1/me is read on every page load)."""
    return await pool.fetchval("SELECT display_name FROM tasks.user_account WHERE id = $1", user_id)


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_username(self, username: str) -> User | None:
        return await self.session.scalar(select(User).where(User.username == username))

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def signin_failed(self, user_id: int, max_failures: int, lockout_seconds: int) -> datetime | None:
        """Count a wrong password (atomically: concurrent guesses all count); the lockout's end once the count
        reaches `max_failures`. A Core UPDATE, so the user's version (its ETag) does not move."""
        return await self.session.scalar(
            update(User)
            .where(User.id == user_id)
            .values(
                # a lockout that has ended starts the count again
                failed_signins=case(
                    (User.locked_until <= func.now(), 1),
                    else_=User.failed_signins + 1,
                ),
                locked_until=case(
                    (User.locked_until <= func.now(), None),
                    (
                        User.failed_signins + 1 >= max_failures,
                        func.now() + func.make_interval(0, 0, 0, 0, 0, 0, lockout_seconds),
                    ),
                    else_=User.locked_until,
                ),
            )
            .returning(User.locked_until)
        )

    async def signin_succeeded(self, user_id: int) -> None:
        await self.session.execute(update(User).where(User.id == user_id).values(failed_signins=0, locked_until=None))

    async def roles_of(self, user_id: int) -> list[str]:
        rows = await self.session.scalars(select(UserRole.role).where(UserRole.user_id == user_id))
        return sorted(rows)

    async def roles_by_user(self, user_ids: list[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {uid: [] for uid in user_ids}
        if user_ids:
            rows = await self.session.execute(
                select(UserRole.user_id, UserRole.role).where(UserRole.user_id.in_(user_ids))
            )
            for uid, role in rows:
                out[uid].append(role)
        return out

    async def add(self, user: User, roles: list[str]) -> User:
        self.session.add(user)
        await self.session.flush()
        await self.set_roles(user.id, roles)
        return user

    async def set_roles(self, user_id: int, roles: list[str]) -> None:
        await self.session.execute(delete(UserRole).where(UserRole.user_id == user_id))
        if roles:
            await self.session.execute(insert(UserRole), [{"user_id": user_id, "role": r} for r in set(roles)])

    async def list(
        self,
        *,
        limit: int,
        after_id: int | None,
        unit_ids: list[int] | None,
        role: str | None,
        ids: list[int] | None = None,
    ) -> list[User]:
        q = select(User).order_by(User.id).limit(limit + 1)
        if after_id is not None:
            q = q.where(User.id > after_id)
        if ids:
            q = q.where(User.id.in_(ids))
        if unit_ids:
            q = q.where(User.unit_id.in_(unit_ids))
        if role is not None:
            q = q.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
        return list(await self.session.scalars(q))


class ApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_hash(self, key_hash: str) -> ApiKey | None:
        return await self.session.scalar(select(ApiKey).where(ApiKey.key_hash == key_hash))

    async def get(self, key_id: int) -> ApiKey | None:
        return await self.session.get(ApiKey, key_id)

    def add(self, key: ApiKey) -> None:
        self.session.add(key)

    async def list(self, *, limit: int, after_id: int | None) -> list[ApiKey]:
        q = select(ApiKey).order_by(ApiKey.id).limit(limit + 1)
        if after_id is not None:
            q = q.where(ApiKey.id > after_id)
        return list(await self.session.scalars(q))

    async def touch(self, key_id: int, at: datetime | Any = None) -> None:
        await self.session.execute(update(ApiKey).where(ApiKey.id == key_id).values(last_used_at=at or func.now()))


class SigninAddressRepository:
    """Wrong sign-ins per client address in a fixed window."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def throttled_until(self, address: str, max_failures: int, window_seconds: int) -> datetime | None:
        """When the address may try again, if it has used up its wrong sign-ins in the current window."""
        return await self.session.scalar(
            select(SigninAddress.window_started + func.make_interval(0, 0, 0, 0, 0, 0, window_seconds)).where(
                SigninAddress.address == address,
                SigninAddress.failures >= max_failures,
                SigninAddress.window_started > func.now() - func.make_interval(0, 0, 0, 0, 0, 0, window_seconds),
            )
        )

    async def failed(self, address: str, window_seconds: int) -> None:
        """Count a wrong sign-in (atomically); a window that has ended starts again at this one. Windows long
        over are deleted on the way, so the table holds only the addresses of the last window."""
        window = func.make_interval(0, 0, 0, 0, 0, 0, window_seconds)
        stale = (
            select(SigninAddress.address)
            .where(SigninAddress.window_started <= func.now() - window)
            .limit(1000)
            .with_for_update(skip_locked=True)
        )
        await self.session.execute(delete(SigninAddress).where(SigninAddress.address.in_(stale)))
        table = SigninAddress.__table__
        stmt = pg_insert(table).values(address=address, failures=1)
        ended = table.c.window_started <= func.now() - window
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[table.c.address],
                set_={
                    "failures": case((ended, 1), else_=table.c.failures + 1),
                    "window_started": case((ended, func.now()), else_=table.c.window_started),
                },
            )
        )


class SessionRepository:
    """Sessions and their refresh tokens (stored as SHA-256 digests)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: AuthSession) -> None:
        self.session.add(row)
        await self.session.flush()

    async def get(self, session_id: str) -> AuthSession | None:
        return await self.session.get(AuthSession, session_id)

    async def add_refresh(self, session_id: str, token_hash: str, expires_at: datetime) -> None:
        await self.session.execute(
            insert(RefreshToken).values(session_id=session_id, token_hash=token_hash, expires_at=expires_at)
        )

    async def use_refresh(self, token_hash: str) -> str | None:
        """Mark the token used, if it is live and unused (atomically: of two uses at once one wins); its session."""
        return await self.session.scalar(
            update(RefreshToken)
            .where(
                RefreshToken.token_hash == token_hash,
                RefreshToken.used_at.is_(None),
                RefreshToken.expires_at > func.now(),
            )
            .values(used_at=func.now())
            .returning(RefreshToken.session_id)
        )

    async def refresh_row(self, token_hash: str) -> RefreshToken | None:
        return await self.session.get(RefreshToken, token_hash)

    async def touch(self, session_id: str) -> None:
        await self.session.execute(
            update(AuthSession).where(AuthSession.id == session_id).values(last_used_at=func.now())
        )

    async def revoke(self, session_id: str) -> None:
        await self.session.execute(
            update(AuthSession)
            .where(AuthSession.id == session_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=func.now())
        )

    async def revoke_all(self, user_id: int) -> int:
        done = await self.session.execute(
            update(AuthSession)
            .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
            .values(revoked_at=func.now())
        )
        return done.rowcount or 0  # type: ignore[attr-defined]

    async def is_active(self, user_id: int, session_id: str | None, token_version: int) -> bool:
        """The user is active, their token version is this, and the session (if named) is theirs and not ended."""
        q = select(User.id).where(User.id == user_id, User.is_active.is_(True), User.token_version == token_version)
        if session_id is not None:
            q = q.where(
                select(AuthSession.id)
                .where(
                    AuthSession.id == session_id,
                    AuthSession.user_id == user_id,
                    AuthSession.revoked_at.is_(None),
                    AuthSession.expires_at > func.now(),
                )
                .exists()
            )
        return (await self.session.scalar(q)) is not None
