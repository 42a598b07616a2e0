"""Who may see and change a notification channel.

A channel carries the notices of the plans in its scope (`scope.plan_ids`), or of every plan when it names
none — the county's SMTP server, its SMS gateway, a robot the administrator set up for all. Pointing a plan's
notices somewhere is managing that plan (the same rule as its reminder rules, `luoshi.plan_access`); a channel
for every plan is the administrator's: an office that could add one would receive every other office's
escalations, and one that could edit one could redirect them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from luoshi.auth import Principal, require_roles, require_scope
from luoshi.errors import FieldProblem, Forbidden, NotFound, ValidationFailed
from luoshi.plan_access import may_manage_plan


class PlansOnce:
    """`tasks.plan`, asked once per plan for one request: the channels of a list name the same plans again and again,
    and each answer is a call to tasks-api."""

    def __init__(self, tasks: Any) -> None:
        self._tasks = tasks
        self._plans: dict[int, Any] = {}

    async def plan(self, plan_id: int) -> Any:
        if plan_id not in self._plans:
            self._plans[plan_id] = await self._tasks.plan(plan_id)  # NotFound is raised each time, not kept
        return self._plans[plan_id]


def _plan_ids(scope: dict[str, Any] | None) -> list[int]:
    return list((scope or {}).get("plan_ids") or [])


async def may_manage_channel(principal: Principal, scope: dict[str, Any] | None, tasks: Any) -> bool:
    if principal.is_admin or principal.is_service:
        return True
    plan_ids = _plan_ids(scope)
    if not plan_ids or not principal.has_role("office"):
        return False
    for plan_id in plan_ids:
        if not may_manage_plan(principal, await _plan(tasks, plan_id)):
            return False
    return True


async def _plan(tasks: Any, plan_id: int) -> Any:
    try:
        return await tasks.plan(plan_id)
    except NotFound as exc:  # a scope naming no plan is the request's fault, not a missing channel
        raise ValidationFailed(
            f"No plan {plan_id}",
            f"方案 {plan_id} 不存在",
            errors=[
                FieldProblem(loc=["body", "scope", "plan_ids"], code="plan_not_found", message=f"no plan {plan_id}")
            ],
        ) from exc


async def require_manage_channel(principal: Principal, scopes: Iterable[dict[str, Any] | None], tasks: Any) -> None:
    """403 unless the principal may manage every plan of each scope: a change needs the old scope and the new
    one, so a channel can be neither taken over nor widened."""
    require_scope(principal, "notify:write")
    if principal.is_admin or principal.is_service:
        return
    require_roles(principal, ("office",))
    for scope in scopes:
        if not _plan_ids(scope):
            raise Forbidden(
                "Only an administrator may manage a channel for every plan; name the plans (scope.plan_ids)",
                "只有管理员可以管理适用于全部方案的通知渠道；请在 scope.plan_ids 中列出方案",
            )
        if not await may_manage_channel(principal, scope, tasks):
            raise Forbidden(
                "A channel may carry only the notices of plans your office manages",
                "通知渠道只能用于本办公室负责的方案",
            )
