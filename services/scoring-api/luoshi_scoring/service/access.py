"""Who may do what in scoring-api: the plan's office runs it, units enter their own values, leaders read."""

from __future__ import annotations

from typing import Any

from luoshi.auth import Principal, require_scope
from luoshi.contracts.plans import PlanBrief
from luoshi.errors import Forbidden, NotFound
from luoshi.http import ServiceClient


class PlanNotFound(NotFound):
    code, title_en, title_zh = "plan_not_found", "Plan not found", "方案不存在"


def reads_everything(principal: Principal) -> bool:
    return principal.is_service or principal.has_role("admin", "office", "leader")


def may_manage(principal: Principal, office_unit_id: int | None) -> bool:
    """The office that runs the plan (or any office, for a plan that names none), admins and services."""
    if principal.is_service or principal.is_admin:
        return True
    return principal.has_role("office") and (office_unit_id is None or principal.unit_id == office_unit_id)


def require_manage(principal: Principal, office_unit_id: int | None) -> None:
    require_scope(principal, "scoring:write")
    if not may_manage(principal, office_unit_id):
        raise Forbidden("Only the plan's office may do this", "只有该方案的办公室可以执行此操作")


def require_read(principal: Principal) -> None:
    require_scope(principal, "scoring:read")


async def fetch_plan(tasks: Any, plan_id: int) -> PlanBrief:
    """The plan as tasks-api knows it (asked with this service's own credential)."""
    client: ServiceClient = tasks
    try:
        return await client.get_model(f"/v1/plans/{plan_id}", PlanBrief)
    except NotFound as exc:
        raise PlanNotFound(f"No plan {plan_id} in tasks-api", f"任务系统中没有方案 {plan_id}") from exc
