"""Every query on units."""

from __future__ import annotations

from typing import Any

import asyncpg
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from luoshi.search import contains_pattern
from luoshi_tasks.models import Unit

_UNIT_COLUMNS = Unit.__table__.c


UNIT_COLUMNS_SQL = "id, parent_id, name, short_name, aliases, kind, level, contacts, version, created_at, updated_at"
UNIT_BY_ID_SQL = f"SELECT {UNIT_COLUMNS_SQL} FROM tasks.unit WHERE id = $1"


async def fetch_unit(pool: asyncpg.Pool, unit_id: int) -> asyncpg.Record | None:
    """The hot read: one prepared statement on the raw pool."""
    return await pool.fetchrow(UNIT_BY_ID_SQL, unit_id)


async def fetch_units(
    pool: asyncpg.Pool,
    *,
    limit: int,
    after_id: int | None,
    q: str | None,
    kind: str | None,
    parent_id: int | None,
    root_only: bool,
    ids: list[int] | None = None,
) -> list[asyncpg.Record]:
    """The units list (a hot read, measured by `make bench`): `limit` + 1 units by id, one statement on the raw pool
    naming only the filters given (each a parameter, so a generic plan still uses the index a filter needs)."""
    given: list[tuple[str, tuple[Any, ...]]] = [
        ("id > {}", (after_id,)),
        ("id = ANY({}::bigint[])", (ids or None,)),
        # the full name or the short name (trigram indexes), or an alias
        (
            "(name ILIKE {0} OR short_name ILIKE {0} OR aliases @> ARRAY[{1}]::text[])",
            (contains_pattern(q), q) if q else (None,),
        ),
        ("kind = {}", (kind,)),
        ("parent_id = {}", (parent_id,)),
    ]
    where, args = [], [limit + 1]
    for condition, values in given:
        if values[0] is not None:
            args += values
            where.append(condition.format(*(f"${len(args) - len(values) + i + 1}" for i in range(len(values)))))
    if parent_id is None and root_only:
        where.append("parent_id IS NULL")
    sql = f"SELECT {UNIT_COLUMNS_SQL} FROM tasks.unit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return await pool.fetch(f"{sql} ORDER BY id LIMIT $1", *args)


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

    async def all_names(self, within: int | None = None) -> list[Any]:
        """(id, name, short_name, aliases) of every unit, or of `within` and the units under it."""
        cols = (_UNIT_COLUMNS.id, _UNIT_COLUMNS.name, _UNIT_COLUMNS.short_name, _UNIT_COLUMNS.aliases)
        if within is None:
            return list((await self.session.execute(select(*cols))).all())
        tree = select(*cols).where(_UNIT_COLUMNS.id == within).cte("subtree", recursive=True)
        tree = tree.union_all(select(*cols).join(tree, _UNIT_COLUMNS.parent_id == tree.c.id))
        return list((await self.session.execute(select(tree))).all())
