"""Where notify's readers stand (`notify.cursor`: each outbox read, the sweep's last finished day) and the
sweep's advisory lock."""

from __future__ import annotations

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi_notify.models import Cursor


class CursorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, name: str) -> int:
        """The cursor's position, locked for this transaction (made at 0 if it does not exist yet)."""
        row = await self.session.get(Cursor, name, with_for_update=True)
        if row is None:
            row = Cursor(name=name, position=0)
            self.session.add(row)
            await self.session.flush()
        return row.position

    async def move(self, name: str, position: int) -> None:
        await self.session.execute(
            update(Cursor).where(Cursor.name == name).values(position=position, updated_at=func.now())
        )

    async def position(self, name: str) -> int | None:
        return await self.session.scalar(select(Cursor.position).where(Cursor.name == name))

    async def put(self, name: str, position: int) -> None:
        """Set the position, making the cursor if need be."""
        await self.session.execute(
            pg_insert(Cursor)
            .values(name=name, position=position)
            .on_conflict_do_update(index_elements=[Cursor.name], set_={"position": position, "updated_at": func.now()})
        )

    async def lock(self, key: int, *, wait: bool) -> bool:
        """Take a transaction-level advisory lock; without `wait`, False at once if another holds it."""
        if wait:
            await self.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
            return True
        return bool(await self.session.scalar(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": key}))
