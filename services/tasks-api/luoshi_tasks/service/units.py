"""Units (单位): the tree of governments, departments, committees and enterprises."""

from __future__ import annotations

from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_roles, require_scope
from luoshi.db import Database
from luoshi.etag import check_if_match, etag_for
from luoshi.pagination import raw_page
from luoshi_tasks.errors import UnitCycle, UnitNameTaken, UnitNotFound
from luoshi_tasks.models import AuditLog, Unit
from luoshi_tasks.repository.units import UnitRepository, fetch_unit, fetch_units
from luoshi_tasks.schemas import UnitCreate, UnitRead, UnitUpdate
from luoshi_tasks.service.access import require_manage_unit
from luoshi_tasks.service.unit_names import regions_of

_UNIT_COLUMNS = tuple(f for f in UnitRead.model_fields if f != "contacts")
_CONTACT_DEFAULTS = {"title": None, "phone": None, "email": None, "is_head": False}


def unit_item(row: Any) -> dict[str, Any]:
    """`UnitRead`'s fields from a row, without building the model: a contact stored without an optional field gets
    its default, as the model would give it."""
    item = {k: row[k] for k in _UNIT_COLUMNS}
    item["contacts"] = [{**_CONTACT_DEFAULTS, **c} for c in row["contacts"]]
    return item


def unit_read(row: Any) -> UnitRead:
    return UnitRead.model_validate(row, from_attributes=True)


unit_etag = etag_for("unit")


async def read_unit_row(db: Database, principal: Principal, unit_id: int) -> asyncpg.Record:
    """Units are a directory every signed-in caller may read."""
    require_scope(principal, "tasks:read")
    row = await fetch_unit(db.pool, unit_id)
    if row is None:
        raise UnitNotFound(f"No unit {unit_id}", f"单位 {unit_id} 不存在")
    return row


async def read_unit(db: Database, principal: Principal, unit_id: int) -> UnitRead:
    return UnitRead.model_validate(dict(await read_unit_row(db, principal, unit_id)))


async def list_units(
    pool: asyncpg.Pool,
    principal: Principal,
    *,
    limit: int,
    cursor: list[Any] | None,
    q: str | None,
    kind: str | None,
    parent_id: int | None,
    root_only: bool,
    ids: list[int] | None = None,
) -> dict[str, Any]:
    """A page shaped as `Page[UnitRead]`, written straight from the rows (a list the console reads most)."""
    require_scope(principal, "tasks:read")
    rows = await fetch_units(
        pool,
        ids=ids,
        limit=limit,
        after_id=int(cursor[0]) if cursor else None,
        q=q,
        kind=kind,
        parent_id=parent_id,
        root_only=root_only,
    )
    return raw_page([unit_item(r) for r in rows], limit, lambda u: [u["id"]])


class UnitService:
    def __init__(self, session: AsyncSession, principal: Principal | None) -> None:
        self.session = session
        self.principal = principal
        self.repo = UnitRepository(session)

    def _may_write(self) -> None:
        if self.principal is not None:
            require_scope(self.principal, "tasks:write")
            require_roles(self.principal, ("office",))

    async def create(self, data: UnitCreate) -> UnitRead:
        self._may_write()
        if data.parent_id is not None and not await self.repo.exists(data.parent_id):
            raise UnitNotFound(f"Parent unit {data.parent_id} does not exist", f"上级单位 {data.parent_id} 不存在")
        if await self.repo.name_taken(data.name):
            raise UnitNameTaken(f"A unit named {data.name} exists", f"已存在名为 {data.name} 的单位")
        unit = Unit(**data.model_dump(mode="json"))
        await self._add(unit)
        await self.session.refresh(unit)
        read = unit_read(unit)
        await self._audit_created(unit, read.model_dump(mode="json"))
        return read

    async def create_named(self, name: str, *, kind: str, parent_id: int | None, reason: str) -> Unit:
        """A unit a document names that the directory lacks: a plan's issuer, a unit in a breakdown table.
        Whoever may change that plan may add it (the plan's rule was checked), so not only the office.

        Under a parent, its full name carries the parent's region (县质监局 -> 夏邑县质监局), since every county has
        its 质监局 and full names are unique; the words as written stay its short name."""
        full_name = name
        if parent_id is not None:
            parent = await self.repo.get_row(parent_id)
            full_name = await self._qualified(name, parent.name if parent else "")
        unit = Unit(
            name=full_name,
            short_name=name if full_name != name else None,
            aliases=[],
            kind=kind,
            parent_id=parent_id,
            contacts=[],
        )
        await self._add(unit)
        await self._audit_created(
            unit, {"name": full_name, "short_name": unit.short_name, "kind": kind, "reason": reason}
        )
        return unit

    async def _qualified(self, name: str, parent_name: str) -> str:
        regions = regions_of([parent_name])
        full = name
        if regions and not name.startswith(regions[0]):
            region = regions[0]
            full = region + (name[1:] if name[:1] in "省市县区镇乡" and name[:1] == region[-1:] else name)
        if await self.repo.name_taken(full):
            full = f"{full}（{parent_name}）"
        return full

    async def _add(self, unit: Unit) -> None:
        """Every new unit goes in here, in the request's transaction (flushed for its id, never committed), with
        who added it: that office user may maintain it (access.require_manage_unit)."""
        unit.created_by = self.principal.user_id if self.principal else None
        self.repo.add(unit)
        await self.session.flush()

    async def _audit_created(self, unit: Unit, after: dict[str, Any]) -> None:
        await audit.record(self.session, AuditLog, self.principal, "create", "unit", unit.id, after=after)

    async def update(self, unit_id: int, data: UnitUpdate, if_match: str | None) -> UnitRead:
        unit = await self.repo.get_for_update(unit_id)
        if unit is None:
            raise UnitNotFound(f"No unit {unit_id}", f"单位 {unit_id} 不存在")
        changes = data.model_dump(mode="json", exclude_unset=True)
        if self.principal is not None:
            require_manage_unit(self.principal, unit, set(changes))
        check_if_match(if_match, unit_etag(unit))
        before = unit_read(unit).model_dump(mode="json")
        if "name" in changes and await self.repo.name_taken(changes["name"], exclude_id=unit_id):
            raise UnitNameTaken(f"A unit named {changes['name']} exists", f"已存在名为 {changes['name']} 的单位")
        if changes.get("parent_id") is not None:
            parent_id = changes["parent_id"]
            if not await self.repo.exists(parent_id):
                raise UnitNotFound(f"Parent unit {parent_id} does not exist", f"上级单位 {parent_id} 不存在")
            if unit_id in await self.repo.ancestors(parent_id):
                raise UnitCycle(f"Unit {changes['parent_id']} is below {unit_id}", "上级单位不能是本单位的下级")
        for field, value in changes.items():
            setattr(unit, field, value)
        await self.session.flush()
        await self.session.refresh(unit)
        read = unit_read(unit)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "update",
            "unit",
            unit.id,
            before=before,
            after=read.model_dump(mode="json"),
        )
        return read
