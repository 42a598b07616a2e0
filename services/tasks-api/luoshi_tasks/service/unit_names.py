"""Turning unit names as documents write them (质监局, 县质监局) into unit ids, for plans, tasks and imports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.errors import FieldProblem
from luoshi_tasks.errors import UnitNameUnresolved, UnitNotFound
from luoshi_tasks.naming import UnitMatcher, UnitNameAmbiguous, UnitNameError, UnitNameUnknown
from luoshi_tasks.repository.units import UnitRepository

_GOVERNMENT = "人民政府"


class UnitResolver:
    """Loads the unit directory once per use and matches names against it, never guessing.

    `within` limits names to one government's tree: every county has its 质监局, and a plan's 质监局 is
    the one under the plan's issuer. Ids are accepted from anywhere.
    """

    def __init__(self, session: AsyncSession, within: int | None = None) -> None:
        self.session = session
        self.repo = UnitRepository(session)
        self.within = within
        self._matcher: UnitMatcher | None = None
        self._ids: set[int] = set()
        self._entries: list[tuple[int, str, str | None, list[str]]] = []
        self._regions: list[str] = []

    def scope(self, within: int | None) -> UnitResolver:
        """Match names under `within` from now on (reloading only if that changes the directory)."""
        if within != self.within:
            self.within, self._matcher = within, None
        return self

    async def load(self) -> UnitResolver:
        rows = await self.repo.all_names(self.within)
        self._ids = {r.id for r in rows}
        self._entries = [(r.id, r.name, r.short_name, list(r.aliases or [])) for r in rows]
        self._regions = regions_of(r.name for r in rows)
        self._matcher = UnitMatcher(self._entries, regions=self._regions)
        return self

    def add(self, unit_id: int, name: str, short_name: str | None, aliases: list[str]) -> None:
        """A unit created during an import joins the directory at once."""
        self._ids.add(unit_id)
        self._entries.append((unit_id, name, short_name, aliases))
        self._matcher = UnitMatcher(self._entries, regions=self._regions)

    @property
    def matcher(self) -> UnitMatcher:
        """The loaded directory, for code that matches names itself (the document parser)."""
        assert self._matcher is not None, "load() first"
        return self._matcher

    def match(self, name: str) -> int:
        """Raises luoshi_tasks.naming.UnitNameError with candidates."""
        assert self._matcher is not None, "load() first"
        return self._matcher.match(name)

    async def resolve(self, ref: str | int, loc: list[str | int]) -> int:
        if self._matcher is None:
            await self.load()
        if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
            unit_id = int(ref)
            if unit_id not in self._ids and not await self.repo.exists(unit_id):
                raise UnitNotFound(f"No unit {unit_id}", f"单位 {unit_id} 不存在")
            return unit_id
        try:
            return self.match(ref)
        except UnitNameError as exc:
            raise unresolved(exc, loc) from exc


def regions_of(names: Iterable[str]) -> list[str]:
    """The regions governments name ("夏邑县人民政府" -> "夏邑县"), which plans drop before a unit's name."""
    return sorted(
        {name[: -len(_GOVERNMENT)] for name in names if name.endswith(_GOVERNMENT) and len(name) > len(_GOVERNMENT) + 1}
    )


def candidates_of(exc: UnitNameError) -> list[dict[str, Any]]:
    return [{"id": cid, "name": cname} for cid, cname in exc.candidates]


def unresolved(exc: UnitNameError, loc: list[str | int]) -> UnitNameUnresolved:
    names = "、".join(c["name"] for c in candidates_of(exc)) or "无"
    if isinstance(exc, UnitNameAmbiguous):
        code, en, zh = (
            "unit_ambiguous",
            f"'{exc.name}' matches several units",
            f"“{exc.name}”对应多个单位，可能是：{names}",
        )
    else:
        assert isinstance(exc, UnitNameUnknown)
        code, en, zh = "unit_unknown", f"No unit is called '{exc.name}'", f"找不到单位“{exc.name}”，相近的有：{names}"
    return UnitNameUnresolved(
        en,
        zh,
        errors=[FieldProblem(loc=loc, code=code, message=en, message_zh=zh)],
        candidates=candidates_of(exc),
    )
