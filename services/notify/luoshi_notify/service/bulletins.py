"""月度通报: after a reporting deadline, which units reported on time, late or not at all, and which tasks are
overdue — from tasks-api's figures for that one day — stored, exported, and sent to every unit of the plan."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_scope
from luoshi.clock import Clock
from luoshi.deadlines import deadline_adapter, last_due_before, next_due, occurrences
from luoshi.errors import FieldProblem
from luoshi.pagination import Page, make_page
from luoshi.plan_access import require_manage_plan_of
from luoshi.workdays import workdays_between
from luoshi_notify.errors import BulletinNotFound, NotAReportingDeadline
from luoshi_notify.models import AuditLog, Bulletin
from luoshi_notify.planning import render
from luoshi_notify.planning.bulletin import (
    NOT_OPEN_STATES,
    BulletinData,
    BulletinRow,
    OverdueTask,
    summary_text,
    zh_date,
)
from luoshi_notify.repository.bulletins import BulletinRepository
from luoshi_notify.repository.notifications import NotificationRepository, notification_row
from luoshi_notify.schemas.bulletins import BulletinRead

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def _every(tasks: Any, path: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    items, cursor = [], None
    while True:
        page = await tasks.request(
            "GET", path, params={**params, "limit": 500, **({"cursor": cursor} if cursor else {})}
        )
        body = page.json()
        items += body["items"]
        cursor = body.get("next_cursor")
        if not cursor:
            return items


def check_reporting_deadline(report_schedule: dict[str, Any] | None, period_due_on: date) -> None:
    """A bulletin is of one reporting deadline of the plan's schedule (每月30日: the 30th, February's last day);
    any other day is refused, naming the deadlines either side of it."""
    schedule = deadline_adapter.validate_python(report_schedule) if report_schedule else None
    if schedule is not None and period_due_on in occurrences(schedule, period_due_on, period_due_on):
        return
    if schedule is None:
        en, zh = "The plan has no report schedule", "该方案未设定报送时间"
    else:
        before = last_due_before(schedule, period_due_on)
        after = next_due(schedule, period_due_on)
        near = [d for d in (before, after) if d is not None]
        en = f"{period_due_on} is not a reporting deadline of the plan; the nearest: " + ", ".join(
            d.isoformat() for d in near
        )
        zh = f"{zh_date(period_due_on)}不是该方案的报送截止日，最近的报送截止日：" + "、".join(zh_date(d) for d in near)
    raise NotAReportingDeadline(
        en,
        zh,
        errors=[
            FieldProblem(
                loc=["body", "period_due_on"],
                code="not_a_reporting_deadline",
                message="not a reporting deadline of the plan",
                message_zh="不是该方案的报送截止日",
            )
        ],
    )


async def compile_from_tasks(tasks: Any, plan_id: int, period_due_on: date, issued_on: date) -> BulletinData:
    """Counts per unit from tasks-api's performance for the one day; the tasks not reported and the overdue
    tasks named from the plan's task list and the period's reports (open assignments started by the deadline
    with no report submitted for it; open assignments due before it)."""
    plan = await tasks.plan(plan_id)
    check_reporting_deadline(plan.report_schedule, period_due_on)
    performance = await tasks.plan_performance(plan_id, period_due_on, period_due_on, "extended")
    reports = await _every(
        tasks,
        "/v1/reports",
        {"plan_id": plan_id, "due_from": period_due_on.isoformat(), "due_to": period_due_on.isoformat()},
    )
    reported = {r["assignment_id"] for r in reports}
    unreported: dict[int, list[str]] = {}
    overdue = []
    for task in await _every(tasks, f"/v1/plans/{plan_id}/tasks", {}):
        started = task.get("start_on") is None or date.fromisoformat(task["start_on"]) <= period_due_on
        for a in task["assignments"]:
            if a["state"] in NOT_OPEN_STATES:
                continue
            if started and a["assignment_id"] not in reported:
                unreported.setdefault(a["unit_id"], []).append(task["title"])
            due_on = date.fromisoformat(a["due_on"]) if a.get("due_on") else None
            if due_on is not None and due_on < period_due_on:
                overdue.append(
                    OverdueTask(
                        unit_id=a["unit_id"],
                        unit_name=a["unit_name"],
                        assignment_id=a["assignment_id"],
                        task_title=task["title"],
                        due_on=due_on,
                        state=a["state"],
                        overdue_workdays=workdays_between(due_on, period_due_on),
                    )
                )
    rows, names = [], {}
    for unit in performance.units:
        names[unit.unit_id] = unit.unit_name
        if not unit.reports_due:
            continue
        missing = max(unit.reports_due - unit.reports_on_time - unit.reports_late, 0)
        status = "missing" if missing else "late" if unit.reports_late else "on_time"
        rows.append(
            BulletinRow(
                unit_id=unit.unit_id,
                unit_name=unit.unit_name,
                status=status,
                on_time=unit.reports_on_time,
                late=unit.reports_late,
                missing=missing,
                missing_tasks=sorted(unreported.get(unit.unit_id, [])) if missing else [],
            )
        )
    for o in overdue:  # the same full names as the rows
        o.unit_name = names.get(o.unit_id, o.unit_name)
    signer = plan.office_unit_id or plan.issuer_unit_id
    return BulletinData(
        plan_title=plan.title,
        period_label=f"{period_due_on.year}年{period_due_on.month}月",
        period_due_on=period_due_on,
        rows=sorted(rows, key=lambda r: r.unit_name),
        overdue=sorted(overdue, key=lambda o: (o.unit_name, o.unit_id, o.due_on, o.task_title)),
        issuer=(await tasks.unit(signer)).name,
        issued_on=issued_on,
    )


def bulletin_files(bulletin: BulletinRead) -> dict[str, tuple[str, bytes]]:
    from luoshi_notify.planning.bulletin import bulletin_docx, bulletin_xlsx

    data = BulletinData.model_validate(bulletin.data)
    return {"xlsx": (XLSX, bulletin_xlsx(data)), "docx": (DOCX, bulletin_docx(data))}


class BulletinService:
    def __init__(
        self, session: AsyncSession, principal: Principal | None, tasks: Any = None, clock: Clock | None = None
    ) -> None:
        self.session = session
        self.principal = principal
        self.tasks = tasks
        self.clock = clock or Clock()
        self.repo = BulletinRepository(session)

    async def compile(self, plan_id: int, period_due_on: date) -> BulletinRead:
        if self.principal is not None:
            await require_manage_plan_of(self.principal, "notify:write", lambda: self.tasks.plan(plan_id))
        data = await compile_from_tasks(self.tasks, plan_id, period_due_on, self.clock.today())
        title = f"关于{data.period_label}任务落实情况的通报"
        row = await self.repo.upsert(plan_id, period_due_on, title, data.model_dump(mode="json"))
        await self._send(row, data)
        await audit.record(
            self.session,
            AuditLog,
            self.principal,
            "compile",
            "bulletin",
            row.id,
            after={"late": data.late_units, "missing": data.missing_units},
        )
        return BulletinRead.model_validate(row)

    async def _send(self, row: Bulletin, data: BulletinData) -> None:
        """To every user of every unit in the bulletin, in the inbox: the same notice for all."""
        context = {
            "period": data.period_label,
            "plan_title": data.plan_title,
            "on_time_count": len(data.on_time_units),
            "late_count": len(data.late_units),
            "missing_count": len(data.missing_units),
            "overdue_count": len(data.overdue),
            "summary": summary_text(data),
        }
        message = render("bulletin", "zh", context)
        rows = [
            notification_row(
                key=f"bulletin:{row.id}:user:{user.id}:inbox",
                rule="bulletin",
                kind="bulletin",
                message=message,
                channel="inbox",
                recipient_user_id=user.id,
                unit_id=unit.unit_id,
                plan_id=row.plan_id,
                payload={"bulletin_id": row.id},
            )
            for unit in data.rows
            for user in await self.tasks.unit_users(unit.unit_id)
        ]
        await NotificationRepository(self.session).insert_many(rows)

    async def list(self, *, limit: int, cursor: list[Any] | None, plan_id: int | None) -> Page[BulletinRead]:
        assert self.principal is not None
        require_scope(self.principal, "notify:read")
        rows = await self.repo.list(limit=limit, after_id=int(cursor[0]) if cursor else None, plan_id=plan_id)
        page = make_page(rows, limit, lambda r: [r.id])
        return Page[BulletinRead](
            items=[BulletinRead.model_validate(r) for r in page.items], next_cursor=page.next_cursor
        )

    async def get(self, bulletin_id: int) -> BulletinRead:
        assert self.principal is not None
        require_scope(self.principal, "notify:read")
        row = await self.repo.get(bulletin_id)
        if row is None:
            raise BulletinNotFound(f"No bulletin {bulletin_id}", f"通报 {bulletin_id} 不存在")
        return BulletinRead.model_validate(row)
