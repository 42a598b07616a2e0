"""Typed client for tasks-api, used by scoring-api and notify."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

from luoshi.contracts.notify import DeadlinePage, DeadlineWire, UserPage, UserWire
from luoshi.contracts.performance import PlanPerformance
from luoshi.contracts.plans import PlanBrief
from luoshi.contracts.tasks import Introspection, UnitRead
from luoshi.http import ServiceClient


class TasksClient(ServiceClient):
    service_name = "tasks-api"

    async def jwks(self) -> dict[str, Any]:
        response = await self.request("GET", "/.well-known/jwks.json")
        if response.status_code >= 400:
            self._raise(response)
        return response.json()

    async def introspect(self, api_key: str) -> Introspection:
        response = await self.request("POST", "/v1/auth/introspect", json={"api_key": api_key})
        return self._parse(response, Introspection)

    async def unit(self, unit_id: int) -> UnitRead:
        return await self.get_model(f"/v1/units/{unit_id}", UnitRead)

    async def plan_performance(
        self, plan_id: int, start: date, end: date, deadline: str = "extended"
    ) -> PlanPerformance:
        """Per unit, how the plan's tasks were carried out in [start, end] (see PlanPerformance for the
        definitions); `deadline` is "original" or "extended" (after granted extensions)."""
        params = {"from": start.isoformat(), "to": end.isoformat(), "deadline": deadline}
        return await self.get_model(f"/v1/plans/{plan_id}/performance", PlanPerformance, params=params)

    async def plan(self, plan_id: int) -> PlanBrief:
        return await self.get_model(f"/v1/plans/{plan_id}", PlanBrief)

    async def deadlines(
        self, start: date, end: date, *, cursor: str | None = None, limit: int = 500, unit_id: int | None = None
    ) -> DeadlinePage:
        """One page of deadlines falling in [start, end] (open assignments of active plans, then reporting
        deadlines), of one unit if given; follow `next_cursor`."""
        params: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat(), "limit": limit}
        if unit_id is not None:
            params["unit_id"] = unit_id
        if cursor:
            params["cursor"] = cursor
        return await self.get_model("/v1/deadlines", DeadlinePage, params=params)

    async def all_deadlines(
        self, start: date, end: date, *, unit_id: int | None = None, page_size: int = 500
    ) -> AsyncIterator[DeadlineWire]:
        """Every deadline in [start, end], page after page."""
        cursor: str | None = None
        while True:
            page = await self.deadlines(start, end, cursor=cursor, limit=page_size, unit_id=unit_id)
            for item in page.items:
                yield item
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    async def unit_users(self, unit_id: int) -> list[UserWire]:
        users: list[UserWire] = []
        cursor: str | None = None
        while True:
            params: dict[str, Any] = {"unit_id": unit_id, "limit": 500}
            if cursor:
                params["cursor"] = cursor
            page = await self.get_model("/v1/users", UserPage, params=params)
            users.extend(page.items)
            if not page.next_cursor:
                return users
            cursor = page.next_cursor
