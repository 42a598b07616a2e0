"""Who may manage a plan — decide it, change it, score it, set its reminders — in every service.

tasks-api holds the plan; scoring-api and notify read its `office_unit_id` and `created_by` from tasks-api
(`PlanBrief`) and ask the same question here, so the answer is the same wherever the plan is touched.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class OfficeOnly:
    """What a service that keeps only a copy of the plan's office knows of it (no creator)."""

    office_unit_id: int | None
    created_by: int | None = None


async def require_manage_plan_of(
    principal: Principal,
    scope: str,
    load_plan: Callable[[], Awaitable[ManagedPlan]],
    known: ManagedPlan | None = None,
) -> None:
    """`require_manage_plan` for scoring-api and notify, which hold no plans: decided on what the service knows
    (`known`, its copy of the plan's office) when that allows it, else on the plan read from tasks-api — so the
    plan's creator may, as in tasks-api. Only office users who are not the plan's office cost a call."""
    require_scope(principal, scope)
    if known is not None and may_manage_plan(principal, known):
        return
    if principal.is_service or principal.is_admin:
        return
    if principal.has_role("office") and may_manage_plan(principal, await load_plan()):
        return
    raise Forbidden("Only the plan's office may do this", "只有负责该方案的办公室可以执行此操作")
