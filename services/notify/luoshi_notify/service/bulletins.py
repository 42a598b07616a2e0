"""月度通报: after a reporting deadline, which units reported on time, late or not at all, and which tasks are
overdue — from tasks-api's figures for that one day — stored, exported, and sent to every unit of the plan."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi import audit
from luoshi.auth import Principal, require_scope
from luoshi.pagination import Page, make_page
from luoshi.plan_access import require_manage_plan_of
from luoshi.workdays import workdays_between
from luoshi_notify.errors import BulletinNotFound
from luoshi_notify.models import AuditLog, Bulletin
from luoshi_notify.planning import render
from luoshi_notify.planning.bulletin import BulletinData, BulletinRow, OverdueTask, summary_text
from luoshi_notify.repository.bulletins import BulletinRepository
from luoshi_notify.repository.notifications import NotificationRepository, notification_row
from luoshi_notify.schemas.bulletins import BulletinRead

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def compile_from_tasks(tasks: Any, plan_id: int, period_due_on: date) -> BulletinData:
    plan = await tasks.plan(plan_id)
    performance = await tasks.plan_performance(plan_id, period_due_on, period_due_on, "extended")
    rows = []
    for unit in performance.units:
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
            )
        )
    board = (await tasks.request("GET", f"/v1/plans/{plan_id}/board")).json()
    overdue = [
        OverdueTask(
            unit_id=o["unit_id"],
            unit_name=o["unit_name"],
            assignment_id=o["assignment_id"],
            task_title=o["task_title"],
            due_on=o["due_on"],
            state="open",
            overdue_workdays=workdays_between(date.fromisoformat(o["due_on"]), period_due_on),
        )
        for o in board.get("overdue", [])
        if date.fromisoformat(o["due_on"]) < period_due_on
    ]
    return BulletinData(
        plan_title=plan.title,
        period_label=f"{period_due_on.year}年{period_due_on.month}月",
        period_due_on=period_due_on,
        rows=sorted(rows, key=lambda r: r.unit_name),
        overdue=sorted(overdue, key=lambda o: (o.unit_name, o.due_on)),
    )


def bulletin_files(bulletin: BulletinRead) -> dict[str, tuple[str, bytes]]:
    from luoshi_notify.planning.bulletin import bulletin_docx, bulletin_xlsx

    data = BulletinData.model_validate(bulletin.data)
    return {"xlsx": (XLSX, bulletin_xlsx(data)), "docx": (DOCX, bulletin_docx(data))}


class BulletinService:
    def __init__(self, session: AsyncSession, principal: Principal | None, tasks: Any = None) -> None:
        self.session = session
        self.principal = principal
        self.tasks = tasks
        self.repo = BulletinRepository(session)

    async def compile(self, plan_id: int, period_due_on: date) -> BulletinRead:
        if self.principal is not None:
            await require_manage_plan_of(self.principal, "notify:write", lambda: self.tasks.plan(plan_id))
        data = await compile_from_tasks(self.tasks, plan_id, period_due_on)
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
