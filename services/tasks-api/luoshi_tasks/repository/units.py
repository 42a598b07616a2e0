"""Every query on units."""

from __future__ import annotations

from typing import Any

import asyncpg
from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from luoshi_tasks.models import Unit

_UNIT_COLUMNS = Unit.__table__.c


UNIT_COLUMNS_SQL = "id, parent_id, name, short_name, aliases, kind, level, contacts, version, created_at, updated_at"
UNIT_BY_ID_SQL = f"SELECT {UNIT_COLUMNS_SQL} FROM tasks.unit WHERE id = $1"


async def fetch_unit(pool: asyncpg.Pool, unit_id: int) -> asyncpg.Record | None:
    """The hot read: one prepared statement on the raw pool."""
    return await pool.fetchrow(UNIT_BY_ID_SQL, unit_id)


class UnitRepository:
    def __init__(self, session: AsyncSession | AsyncConnection) -> None:
        self.session = session

    async def get_row(self, unit_id: int) -> Any:
        """A plain row (no ORM identity map): for reads."""
        result = await self.session.execute(select(Unit.__table__).where(_UNIT_COLUMNS.id == unit_id))
        return result.one_or_none()

    async def get_for_update(self, unit_id: int) -> Unit | None:
        assert isinstance(self.session, AsyncSession)
        return await self.session.get(Unit, unit_id, with_for_update=True)

    async def exists(self, unit_id: int) -> bool:
        return bool(await self.session.scalar(select(func.count()).where(_UNIT_COLUMNS.id == unit_id)))

    async def name_taken(self, name: str, exclude_id: int | None = None) -> bool:
        q = select(_UNIT_COLUMNS.id).where(_UNIT_COLUMNS.name == name)
        if exclude_id is not None:
            q = q.where(_UNIT_COLUMNS.id != exclude_id)
        return (await self.session.execute(q.limit(1))).first() is not None

    async def ancestors(self, unit_id: int) -> list[int]:
        """The chain from `unit_id` up to its root, to refuse cycles."""
        tree = (
            select(_UNIT_COLUMNS.id, _UNIT_COLUMNS.parent_id)
            .where(_UNIT_COLUMNS.id == unit_id)
            .cte("chain", recursive=True)
        )
        tree = tree.union(
            select(_UNIT_COLUMNS.id, _UNIT_COLUMNS.parent_id).join(tree, _UNIT_COLUMNS.id == tree.c.parent_id)
        )
        return list((await self.session.execute(select(tree.c.id))).scalars())

    def add(self, unit: Unit) -> None:
        assert isinstance(self.session, AsyncSession)
        self.session.add(unit)

    async def list_rows(
        self,
        *,
        limit: int,
        after_id: int | None,
        q: str | None,
        kind: str | None,
        parent_id: int | None,
        root_only: bool,
        ids: list[int] | None = None,
    ) -> list[Any]:
        stmt: Select[Any] = select(Unit.__table__).order_by(_UNIT_COLUMNS.id).limit(limit + 1)
        if after_id is not None:
            stmt = stmt.where(_UNIT_COLUMNS.id > after_id)
        if ids:
            stmt = stmt.where(_UNIT_COLUMNS.id.in_(ids))
        if q:
            like = f"%{q}%"
            stmt = stmt.where(
                or_(
                    _UNIT_COLUMNS.name.ilike(like),
                    _UNIT_COLUMNS.short_name.ilike(like),
                    _UNIT_COLUMNS.aliases.contains([q]),
                )
            )
        if kind:
            stmt = stmt.where(_UNIT_COLUMNS.kind == kind)
        if parent_id is not None:
            stmt = stmt.where(_UNIT_COLUMNS.parent_id == parent_id)
        elif root_only:
            stmt = stmt.where(_UNIT_COLUMNS.parent_id.is_(None))
        return list((await self.session.execute(stmt)).all())

    async def all_names(self, within: int | None = None) -> list[Any]:
        """(id, name, short_name, aliases) of every unit, or of `within` and the units under it."""
        cols = (_UNIT_COLUMNS.id, _UNIT_COLUMNS.name, _UNIT_COLUMNS.short_name, _UNIT_COLUMNS.aliases)
        if within is None:
            return list((await self.session.execute(select(*cols))).all())
        tree = select(*cols).where(_UNIT_COLUMNS.id == within).cte("subtree", recursive=True)
        tree = tree.union_all(select(*cols).join(tree, _UNIT_COLUMNS.parent_id == tree.c.id))
        return list((await self.session.execute(select(tree))).all())
