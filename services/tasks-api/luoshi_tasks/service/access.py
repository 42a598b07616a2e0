"""Who may see and change what in tasks-api.

- admin: everything. office: the plans it runs (its unit is the plan's office, or it created the plan,
  or the plan names no office). leader: reads everything, changes nothing.
- unit: its own unit's assignments and reports (read and write); the lead unit of a task also reads the
  cooperating units' assignments and reports on that task. What a unit may not see is "not found".
- API keys act as their role (see luoshi.auth.api_key_principal), within their scopes.
"""

from __future__ import annotations

from typing import Any

from luoshi import plan_access
from luoshi.auth import Principal, require_scope
from luoshi.errors import Forbidden
from luoshi_tasks.errors import PlanArchived


def require_manage_plan(principal: Principal, plan: Any, *, archived_too: bool = False) -> None:
    """The rule every service applies (luoshi.plan_access), with tasks-api's scope; an archived plan is read-only
    (409) unless `archived_too` (deleting one)."""
    plan_access.require_manage_plan(principal, plan, "tasks:write")
    if not archived_too:
        require_plan_writable(plan)


def require_plan_writable(plan: Any) -> None:
    """An archived plan changes no more: not by its office, not by its units."""
    if plan.status == "archived":
        raise PlanArchived(f"Plan {plan.id} is archived", f"方案 {plan.id} 已归档，不能再修改")


def reads_everything(principal: Principal) -> bool:
    return principal.is_service or principal.has_role("admin", "office", "leader")


def visible_assignments(principal: Principal, briefs: list[Any], field: Any = getattr) -> list[Any]:
    """A task's assignments as the caller may see them: all for those who read everything; for a unit, its own,
    and the others' on a task it leads — the same rule as reading an assignment (others are "not found").
    `field` reads a brief's field: `getattr` for models, `operator.getitem` for rows written straight to JSON."""
    if reads_everything(principal):
        return briefs
    own = [b for b in briefs if field(b, "unit_id") == principal.unit_id]
    return briefs if any(field(b, "role") == "lead" for b in own) else own


def require_unit_writer(principal: Principal, unit_id: int) -> None:
    """Reports, extension requests and a unit's own transitions: only that unit's people."""
    require_scope(principal, "tasks:write")
    if principal.has_role("unit") and principal.unit_id == unit_id:
        return
    raise Forbidden("Only the responsible unit may do this", "只有承办单位可以执行此操作")


def require_manage_unit(principal: Principal, unit: Any, changed: set[str]) -> None:
    """The unit directory is shared by every plan, and a unit's head e-mail is where escalations go: admins
    change any unit; an office user the units it added; a unit's own people its contacts, nothing else."""
    require_scope(principal, "tasks:write")
    if principal.is_service or principal.is_admin:
        return
    if principal.has_role("office") and principal.user_id is not None and unit.created_by == principal.user_id:
        return
    if principal.has_role("unit") and principal.unit_id == unit.id and changed <= {"contacts"}:
        return
    raise Forbidden(
        "Only an administrator, the office user who added the unit, or the unit itself (its contacts) may change it",
        "只有管理员、添加该单位的办公室用户或本单位（联系人）可以修改单位信息",
    )


def require_office_writer(principal: Principal, plan: Any) -> None:
    require_manage_plan(principal, plan)
