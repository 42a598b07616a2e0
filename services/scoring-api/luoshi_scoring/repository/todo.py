"""The work queue's query in scoring-api (待办): values entered and not yet verified, of the plans the caller
manages, in periods no published assessment has locked; keyset-paged on (sort_on, kind, id) like every queue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.contracts.todo import TodoAfter

TO_VERIFY = """
FROM scoring.indicator_value v JOIN scoring.indicator i ON i.id = v.indicator_id
WHERE v.status = 'entered'
  AND NOT EXISTS (SELECT 1 FROM scoring.assessment s
                  WHERE s.plan_id = i.plan_id AND s.period = v.period AND s.published)"""

PAGE = f"""
SELECT * FROM (
    SELECT 'value.verify' AS kind, v.id, '核实指标值：' || left(i.name, 30) || '（' || v.period || '）' AS title,
           v.version, i.plan_id, v.unit_id, v.updated_at AS arrived_at, v.period,
           (v.updated_at AT TIME ZONE :tz)::date AS sort_on
    {TO_VERIFY}
      AND (:manages_all OR i.office_unit_id IS NULL OR i.office_unit_id = :unit
           OR i.plan_id = ANY(CAST(:created_plans AS bigint[])))
) todo
WHERE CAST(:after_sort AS date) IS NULL
   OR (sort_on, kind COLLATE "C", id)
      > (CAST(:after_sort AS date), CAST(:after_kind AS text), CAST(:after_id AS bigint))
ORDER BY sort_on, kind COLLATE "C", id
LIMIT :limit"""


class TodoRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def plans_of_other_offices(self, unit_id: int | None) -> list[int]:
        """Plans with values to verify whose office is not `unit_id`: the caller may still manage them as their
        creator, which only tasks-api knows."""
        sql = f"SELECT DISTINCT i.plan_id {TO_VERIFY} AND i.office_unit_id IS DISTINCT FROM :unit " + (
            "AND i.office_unit_id IS NOT NULL ORDER BY 1"
        )
        return list((await self.session.execute(text(sql), {"unit": unit_id})).scalars())

    async def page(
        self,
        *,
        manages_all: bool,
        unit_id: int | None,
        created_plans: list[int],
        tz: str,
        limit: int,
        after: TodoAfter | None,
    ) -> list[Any]:
        params = {
            "manages_all": manages_all,
            "unit": unit_id,
            "created_plans": created_plans,
            "tz": tz,
            "after_sort": after[0] if after else None,
            "after_kind": after[1] if after else None,
            "after_id": after[2] if after else None,
            "limit": limit + 1,
        }
        return list((await self.session.execute(text(PAGE), params)).mappings())
