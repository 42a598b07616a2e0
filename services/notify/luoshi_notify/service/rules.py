"""Reminder rules (a plan's, or the defaults every plan without its own follows) and a user's preferences."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_scope
from luoshi.errors import FieldProblem, Forbidden, ValidationFailed
from luoshi.etag import check_if_match, etag
from luoshi.plan_access import require_manage_plan_of
from luoshi_notify.models import AuditLog, Preference, RuleSet
from luoshi_notify.planning import Preferences
from luoshi_notify.planning import RuleSet as Rules
from luoshi_notify.repository.preferences import PreferenceRepository
from luoshi_notify.repository.rules import RuleSetRepository
from luoshi_notify.schemas.rules import PreferencesRead, RulesRead, RulesWrite
from luoshi_notify.service.access import own_user_id


class RulesService:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal
        self.rules_repo = RuleSetRepository(session)
        self.prefs_repo = PreferenceRepository(session)

    async def rules(self, plan_id: int) -> RulesRead:
        require_scope(self.principal, "notify:read")
        row = await self.rules_repo.of_plan(plan_id)
        if row is None:
            return RulesRead(plan_id=plan_id, rules=Rules().model_dump(mode="json"), unit_daily_cap=20, version=0)
        return RulesRead(plan_id=plan_id, rules=row.rules, unit_daily_cap=row.unit_daily_cap, version=row.version)

    async def set_rules(self, plan_id: int, data: RulesWrite, if_match: str | None, tasks: Any) -> RulesRead:
        """A plan's rules, by whoever may manage the plan (luoshi.plan_access); the defaults (plan 0), which every
        plan without its own follows, by an admin."""
        if plan_id == 0:
            require_scope(self.principal, "notify:write")
            if not (self.principal.is_admin or self.principal.is_service):
                raise Forbidden("Only an administrator sets the default rules", "仅系统管理员可以设置默认提醒规则")
        else:
            await require_manage_plan_of(self.principal, "notify:write", lambda: tasks.plan(plan_id))
        try:
            rules = Rules.model_validate(data.rules).model_dump(mode="json")
        except ValueError as exc:
            raise ValidationFailed(
                "The rules are not valid",
                "提醒规则不合法",
                errors=[FieldProblem(loc=["body", "rules"], code="invalid", message=str(exc)[:500])],
            ) from exc
        row = await self.rules_repo.of_plan(plan_id, for_update=True)
        if row is None:
            row = await self.rules_repo.add(RuleSet(plan_id=plan_id, rules=rules, unit_daily_cap=data.unit_daily_cap))
        else:
            check_if_match(if_match, etag("rules", plan_id, row.version))
            row.rules, row.unit_daily_cap = rules, data.unit_daily_cap
            await self.rules_repo.save(row)
        await audit.record(self.session, AuditLog, self.principal, "set", "rule_set", plan_id, after=rules)
        return RulesRead(plan_id=plan_id, rules=row.rules, unit_daily_cap=row.unit_daily_cap, version=row.version)

    async def preferences(self) -> PreferencesRead:
        user_id = own_user_id(self.principal)
        row = await self.prefs_repo.of_user(user_id)
        if row is None:
            return PreferencesRead(user_id=user_id, prefs=Preferences().model_dump(mode="json"), version=0)
        return PreferencesRead(user_id=user_id, prefs=row.prefs, version=row.version)

    async def set_preferences(self, prefs: dict[str, Any]) -> PreferencesRead:
        user_id = own_user_id(self.principal)
        try:
            value = Preferences.model_validate(prefs).model_dump(mode="json")
        except ValueError as exc:
            raise ValidationFailed(
                "The preferences are not valid",
                "偏好设置不合法",
                errors=[FieldProblem(loc=["body"], code="invalid", message=str(exc)[:500])],
            ) from exc
        row = await self.prefs_repo.of_user(user_id, for_update=True)
        if row is None:
            row = await self.prefs_repo.add(Preference(user_id=user_id, prefs=value))
        else:
            row.prefs = value
            await self.prefs_repo.save(row)
        return PreferencesRead(user_id=user_id, prefs=row.prefs, version=row.version)


async def all_preferences(session: AsyncSession) -> dict[int, Preferences]:
    """Every user's stored preferences (the rest use the defaults)."""
    return {p.user_id: Preferences.model_validate(p.prefs) for p in await PreferenceRepository(session).all()}
