"""Who may see and change what in tasks-api.

- admin: everything. office: the plans it runs (its unit is the plan's office, or it created the plan,
  or the plan names no office). leader: reads everything, changes nothing.
- unit: its own unit's assignments and reports (read and write); the lead unit of a task also reads the
  cooperating units' assignments and reports on that task. What a unit may not see is "not found".
- API keys act as their role (see luoshi.auth.api_key_principal), within their scopes.
"""

from __future__ import annotations

from typing import Any

from luoshi.auth import Principal, require_scope
from luoshi.errors import Forbidden


def may_manage_plan(principal: Principal, plan: Any) -> bool:
    if principal.is_service or principal.is_admin:
        return True
    if not principal.has_role("office"):
        return False
    return (
        plan.office_unit_id is None
        or plan.office_unit_id == principal.unit_id
        or (principal.user_id is not None and plan.created_by == principal.user_id)
    )


def require_manage_plan(principal: Principal, plan: Any) -> None:
    require_scope(principal, "tasks:write")
    if not may_manage_plan(principal, plan):
        raise Forbidden(
            "Only the plan's office may change it",
            "只有负责该方案的办公室可以修改",
        )


def reads_everything(principal: Principal) -> bool:
    return principal.is_service or principal.has_role("admin", "office", "leader")


def require_unit_writer(principal: Principal, unit_id: int) -> None:
    """Reports, extension requests and a unit's own transitions: only that unit's people."""
    require_scope(principal, "tasks:write")
    if principal.has_role("unit") and principal.unit_id == unit_id:
        return
    raise Forbidden("Only the responsible unit may do this", "只有承办单位可以执行此操作")


def require_office_writer(principal: Principal, plan: Any) -> None:
    require_manage_plan(principal, plan)
