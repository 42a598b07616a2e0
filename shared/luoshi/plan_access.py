"""Who may manage a plan — decide it, change it, score it, set its reminders — in every service.

tasks-api holds the plan; scoring-api and notify read its `office_unit_id` and `created_by` from tasks-api
(`PlanBrief`) and ask the same question here, so the answer is the same wherever the plan is touched.
"""

from __future__ import annotations

from typing import Protocol

from luoshi.auth import Principal, require_scope
from luoshi.errors import Forbidden


class ManagedPlan(Protocol):
    @property
    def office_unit_id(self) -> int | None: ...

    @property
    def created_by(self) -> int | None: ...


def may_manage_plan(principal: Principal, plan: ManagedPlan) -> bool:
    """Admins and services; an office user of the plan's office (any office, for a plan that names none);
    the office user who created the plan."""
    if principal.is_service or principal.is_admin:
        return True
    if not principal.has_role("office"):
        return False
    return (
        plan.office_unit_id is None
        or plan.office_unit_id == principal.unit_id
        or (principal.user_id is not None and plan.created_by == principal.user_id)
    )


def require_manage_plan(principal: Principal, plan: ManagedPlan, scope: str) -> None:
    """403 unless `may_manage_plan`; `scope` is the API-key scope the change needs (`tasks:write`, …)."""
    require_scope(principal, scope)
    if not may_manage_plan(principal, plan):
        raise Forbidden("Only the plan's office may do this", "只有负责该方案的办公室可以执行此操作")
