"""Typed client for tasks-api, used by scoring-api and notify."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from luoshi.contracts.calendar import CalendarDaysPage, CalendarYearsPage
from luoshi.contracts.notify import DeadlinePage, DeadlineWire, UserPage, UserWire
from luoshi.contracts.performance import PlanPerformance
from luoshi.contracts.plans import PlanBrief, PlanBriefPage, PlanUnits, TaskBrief
from luoshi.contracts.tasks import Introspection, SessionCheck, SessionStatus, UnitRead
from luoshi.http import ServiceClient
from luoshi.workdays import WorkdayCalendar

M = TypeVar("M", bound=BaseModel)


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

    async def check_session(self, check: SessionCheck) -> SessionStatus:
        response = await self.request("POST", "/v1/auth/sessions/check", json=check.model_dump())
        return self._parse(response, SessionStatus)

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

    async def task(self, task_id: int) -> TaskBrief:
        return await self.get_model(f"/v1/tasks/{task_id}", TaskBrief)

    async def plan_units(self, plan_id: int) -> PlanUnits:
        return await self.get_model(f"/v1/plans/{plan_id}/units", PlanUnits)

    async def _every_item(self, path: str, page_model: type[M], params: dict[str, Any]) -> AsyncIterator[Any]:
        """Every item of a paged list, following `next_cursor`."""
        cursor: str | None = None
        while True:
            page = await self.get_model(path, page_model, params={**params, **({"cursor": cursor} if cursor else {})})
            for item in page.items:  # type: ignore[attr-defined]
                yield item
            cursor = page.next_cursor  # type: ignore[attr-defined]
            if not cursor:
                return

    async def active_plans(self) -> list[PlanBrief]:
        return [p async for p in self._every_item("/v1/plans", PlanBriefPage, {"status": "active", "limit": 500})]

    async def calendar(self) -> WorkdayCalendar:
        """The working-day calendar tasks-api holds: every listed day, and which years are official."""
        years = self._every_item("/v1/calendar", CalendarYearsPage, {"limit": 500})
        official = [y.year async for y in years if y.status == "official"]
        params = {"start": date(2000, 1, 1).isoformat(), "end": date(2060, 12, 31).isoformat(), "limit": 2000}
        days = [(d.date, d.is_workday) async for d in self._every_item("/v1/calendar/days", CalendarDaysPage, params)]
        return WorkdayCalendar.from_rows(days, official)

    async def deadlines(
        self,
        start: date,
        end: date,
        *,
        cursor: str | None = None,
        limit: int = 500,
        unit_id: int | None = None,
        on: list[date] | None = None,
        exclude_states: list[str] | None = None,
    ) -> DeadlinePage:
        """One page of deadlines falling in [start, end] (open assignments of active plans, then reporting
        deadlines), of one unit if given, on the dates `on` if given; follow `next_cursor`."""
        params: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat(), "limit": limit}
        if unit_id is not None:
            params["unit_id"] = unit_id
        if on is not None:
            params["on"] = [d.isoformat() for d in on]
        if exclude_states:
            params["exclude_state"] = exclude_states
        if cursor:
            params["cursor"] = cursor
        return await self.get_model("/v1/deadlines", DeadlinePage, params=params)

    async def deadline_pages(
        self,
        start: date,
        end: date,
        *,
        unit_id: int | None = None,
        on: list[date] | None = None,
        exclude_states: list[str] | None = None,
        page_size: int = 500,
    ) -> AsyncIterator[list[DeadlineWire]]:
        """Every deadline in [start, end] (on the dates `on`, if given), a page at a time."""
        if on is not None and not on:
            return
        cursor: str | None = None
        while True:
            page = await self.deadlines(
                start, end, cursor=cursor, limit=page_size, unit_id=unit_id, on=on, exclude_states=exclude_states
            )
            yield page.items
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    async def all_deadlines(
        self, start: date, end: date, *, unit_id: int | None = None, page_size: int = 500
    ) -> AsyncIterator[DeadlineWire]:
        """Every deadline in [start, end], one at a time."""
        async for items in self.deadline_pages(start, end, unit_id=unit_id, page_size=page_size):
            for item in items:
                yield item

    async def unit_users(self, unit_id: int) -> list[UserWire]:
        return (await self.users_of_units([unit_id])).get(unit_id, [])

    async def all_users(self) -> AsyncIterator[UserWire]:
        """Every user account, a page of 500 at a time."""
        async for user in self._every_item("/v1/users", UserPage, {"limit": 500}):
            yield user

    async def users(self, user_ids: list[int]) -> list[UserWire]:
        """These user accounts (those that exist), in a few requests for many."""
        found: list[UserWire] = []
        for chunk in _chunks(sorted(set(user_ids)), ID_CHUNK):
            async for user in self._every_item("/v1/users", UserPage, {"id": chunk, "limit": 500}):
                found.append(user)
        return found

    async def users_of_units(self, unit_ids: list[int]) -> dict[int, list[UserWire]]:
        """The users of each unit, in a few requests for many units."""
        users: dict[int, list[UserWire]] = {u: [] for u in unit_ids}
        for chunk in _chunks(sorted(set(unit_ids)), ID_CHUNK):
            cursor: str | None = None
            while True:
                params: dict[str, Any] = {"unit_id": chunk, "limit": 500}
                if cursor:
                    params["cursor"] = cursor
                page = await self.get_model("/v1/users", UserPage, params=params)
                for user in page.items:
                    if user.unit_id is not None:
                        users.setdefault(user.unit_id, []).append(user)
                if not page.next_cursor:
                    break
                cursor = page.next_cursor
        return users


ID_CHUNK = 200  # ids per request: keeps the query string well under servers' URL limits


def _chunks(items: list[int], size: int) -> list[list[int]]:
    return [items[i : i + size] for i in range(0, len(items), size)]
