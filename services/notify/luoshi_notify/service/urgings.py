"""催办 on demand: the office urges the unit of one assignment now — a message to each of the unit's people on
their channels, keyed per assignment and day so a second urging the same day sends nothing — and prints the
督办通知单 (`.docx`). Audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_scope
from luoshi.clock import Clock
from luoshi.plan_access import require_manage_plan_of
from luoshi.workdays import workdays_between
from luoshi_notify.errors import AssignmentClosed, AssignmentNotFound
from luoshi_notify.models import AuditLog
from luoshi_notify.planning import Preferences, render
from luoshi_notify.planning.urging import UrgingNotice, urging_docx
from luoshi_notify.repository.notifications import NotificationRepository, addressed, notification_row, urging_days
from luoshi_notify.schemas.urgings import UrgingRead
from luoshi_notify.service.rules import all_preferences

RULE = "urge_on_demand"


def _sentence(note: str | None) -> str:
    note = (note or "").strip()
    return note if not note or note[-1] in "。！？；.!?" else note + "。"


class UrgingService:
    def __init__(self, session: AsyncSession, principal: Principal, tasks: Any, clock: Clock) -> None:
        self.session = session
        self.principal = principal
        self.tasks = tasks
        self.clock = clock

    async def _assignment(self, assignment_id: int, scope: str) -> tuple[dict[str, Any], Any]:
        require_scope(self.principal, scope)
        response = await self.tasks.request("GET", f"/v1/assignments/{assignment_id}")
        if response.status_code in (404, 422):  # 422: an id no assignment can have (beyond a bigint)
            raise AssignmentNotFound(f"No assignment {assignment_id}", f"交办事项 {assignment_id} 不存在")
        response.raise_for_status()
        assignment = response.json()
        plan = await self.tasks.plan(assignment["plan_id"])

        async def load() -> Any:
            return plan

        if scope == "notify:write":
            await require_manage_plan_of(self.principal, scope, load, known=plan)
        else:  # reading the notice: those who may urge, and those who read everything
            if not (self.principal.is_service or self.principal.is_admin or self.principal.has_role("leader")):
                await require_manage_plan_of(self.principal, scope, load, known=plan)
        return assignment, plan

    async def _office_name(self, plan: Any) -> str:
        return (await self.tasks.unit(plan.office_unit_id or plan.issuer_unit_id)).name

    async def urge(self, assignment_id: int, note: str | None) -> UrgingRead:
        assignment, plan = await self._assignment(assignment_id, "notify:write")
        if assignment["state"] == "closed":
            raise AssignmentClosed(
                f"Assignment {assignment_id} is closed", f"交办事项 {assignment_id} 已办结，无需催办"
            )
        day = self.clock.today()
        note = _sentence(note)
        office = await self._office_name(plan)
        context = {
            "task_title": assignment["task_title"],
            "plan_title": plan.title,
            "unit_name": assignment["unit_name"],
            "due_on": assignment["due_on"] or "无固定时限",
            "office_name": office,
            "note": note,
        }
        prefs = await all_preferences(self.session)
        rows = []
        for user in await self.tasks.unit_users(assignment["unit_id"]):
            if not user.is_active:
                continue
            pref = prefs.get(user.id, Preferences())
            message = render(RULE, pref.language, context)
            for channel, address in addressed(user, pref.channels):
                rows.append(
                    notification_row(
                        key=f"{RULE}:assignment:{assignment_id}:{day.isoformat()}:user:{user.id}:{channel}",
                        rule=RULE,
                        kind=RULE,
                        message=message,
                        channel=channel,
                        lang=pref.language,
                        recipient_user_id=user.id,
                        address=address,
                        unit_id=assignment["unit_id"],
                        plan_id=assignment["plan_id"],
                        task_id=assignment["task_id"],
                        assignment_id=assignment_id,
                        payload={"why": "unit", "day": day.isoformat(), "note": note, "by": self.principal.subject},
                    )
                )
        new = await NotificationRepository(self.session).insert_many(rows)
        if new:
            await audit.record(
                self.session,
                AuditLog,
                self.principal,
                "urge",
                "assignment",
                assignment_id,
                after={"day": day.isoformat(), "note": note, "unit_id": assignment["unit_id"], "messages": new},
            )
        days = await urging_days(self.session, assignment_id)
        return UrgingRead(
            assignment_id=assignment_id,
            plan_id=assignment["plan_id"],
            unit_id=assignment["unit_id"],
            unit_name=assignment["unit_name"],
            task_title=assignment["task_title"],
            day=day,
            new=bool(new),
            urged_times=len(days),
            notifications=len(rows),
            notice_url=f"/v1/assignments/{assignment_id}/urging-notice.docx",
        )

    async def notice(self, assignment_id: int) -> tuple[str, bytes]:
        """The 督办通知单 of the assignment as it stands today, with the office's note of its last urging."""
        assignment, plan = await self._assignment(assignment_id, "notify:read")
        today = self.clock.today()
        days = await urging_days(self.session, assignment_id)
        due_on = date.fromisoformat(assignment["due_on"]) if assignment["due_on"] else None
        notice = UrgingNotice(
            plan_title=plan.title,
            doc_number=plan.doc_number,
            task_number=assignment.get("task_number"),
            task_title=assignment["task_title"],
            unit_name=assignment["unit_name"],
            due_on=due_on,
            state=assignment["state"],
            overdue_workdays=workdays_between(due_on, today) if due_on and today > due_on else 0,
            urged_times=max(len(days), 1),
            note=days[-1]["note"] if days else "",
            issuer=await self._office_name(plan),
            issued_on=today,
        )
        return f"督办通知单-{assignment['unit_name']}-{assignment['task_title']}.docx", urging_docx(notice)
