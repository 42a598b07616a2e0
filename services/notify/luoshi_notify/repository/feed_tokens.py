"""Every query on calendar feed tokens (stored as SHA-256 digests)."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi_notify.models import FeedToken


class FeedTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, row: FeedToken) -> None:
        self.session.add(row)
        await self.session.flush()

    async def by_digest(self, digest: str) -> FeedToken | None:
        return await self.session.scalar(select(FeedToken).where(FeedToken.token_hash == digest))

    async def revoke_made_by(self, *, user_id: int | None = None, key_id: int | None = None) -> int:
        """Revoke every live token a user or an API key made (the user deactivated, the key revoked)."""
        maker = FeedToken.maker_user_id == user_id if user_id is not None else FeedToken.maker_key_id == key_id
        revoked = await self.session.execute(
            update(FeedToken).where(maker, FeedToken.revoked_at.is_(None)).values(revoked_at=func.now())
        )
        return revoked.rowcount or 0  # type: ignore[attr-defined]

    async def revoke(self, subject: str) -> int:
        """Revoke every live token of a subject; returns how many."""
        revoked = await self.session.execute(
            update(FeedToken)
            .where(FeedToken.subject == subject, FeedToken.revoked_at.is_(None))
            .values(revoked_at=func.now())
        )
        return revoked.rowcount or 0  # type: ignore[attr-defined]
