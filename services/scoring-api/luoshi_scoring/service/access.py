"""Who may do what in scoring-api: the plan's office runs it, units enter their own values, leaders read."""

from __future__ import annotations

from typing import Any

from luoshi.auth import Principal, require_scope
from luoshi.contracts.plans import PlanBrief
from luoshi.errors import NotFound
from luoshi.http import ServiceClient
from luoshi.plan_access import OfficeOnly, require_manage_plan_of


class PlanNotFound(NotFound):
    code, title_en, title_zh = "plan_not_found", "Plan not found", "方案不存在"


def reads_everything(principal: Principal) -> bool:
    return principal.is_service or principal.has_role("admin", "office", "leader")


async def require_manage(principal: Principal, tasks: Any, plan_id: int, office_unit_id: int | None) -> None:
    """The rule of every service (luoshi.plan_access): the plan's office, its creator, admins and services.
    scoring-api keeps a copy of the plan's office on its rows; the creator is read from tasks-api when needed."""
    await require_manage_plan_of(
        principal, "scoring:write", lambda: fetch_plan(tasks, plan_id), OfficeOnly(office_unit_id)
    )


def require_read(principal: Principal) -> None:
    require_scope(principal, "scoring:read")


async def fetch_plan(tasks: Any, plan_id: int) -> PlanBrief:
    """The plan as tasks-api knows it (asked with this service's own credential)."""
    client: ServiceClient = tasks
    try:
        return await client.get_model(f"/v1/plans/{plan_id}", PlanBrief)
    except NotFound as exc:
        raise PlanNotFound(f"No plan {plan_id} in tasks-api", f"任务系统中没有方案 {plan_id}") from exc
