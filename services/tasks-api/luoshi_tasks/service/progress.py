"""The progress table (任务进展情况汇总表) an office brings to its monthly meeting: every assignment in the
breakdown's order with its unit, role, deadline, state, progress, latest report and light, as .xlsx and .docx.
An office or leader gets the whole plan; a unit's user its own unit's rows."""

from __future__ import annotations

import asyncio
from datetime import date
from itertools import groupby
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.auth import Principal, require_scope
from luoshi.clock import Clock
from luoshi.worddoc import WordDocument
from luoshi_tasks.breakdown.numbering import number_level
from luoshi_tasks.breakdown.writer import write_table_xlsx
from luoshi_tasks.repository.progress import ProgressRepository
from luoshi_tasks.repository.tasks import TaskRepository
from luoshi_tasks.service.access import reads_everything
from luoshi_tasks.service.assignments import STATE_ZH
from luoshi_tasks.service.breakdown import document_order
from luoshi_tasks.service.lights import light_reason
from luoshi_tasks.service.plans import PlanService

TITLE_SUFFIX = "任务进展情况汇总表"
LIGHT_ZH = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}
ROLE_ZH = {"lead": "牵头", "cooperating": "配合"}
# (header, width in Excel characters, alignment); the .docx shares the widths as proportions
COLUMNS: list[tuple[str, float, str]] = [
    ("序号", 7, "center"),
    ("任务", 30, "left"),
    ("责任单位", 18, "left"),
    ("职责", 6, "center"),
    ("完成时限", 13, "center"),
    ("状态", 9, "center"),
    ("进度", 7, "center"),
    ("最新进展", 44, "left"),
    ("亮灯", 7, "center"),
]
LATEST_REPORT_CHARS = 300  # a meeting's table, not the report itself: the rest is one click away


def zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class ProgressTable:
    def __init__(self, session: AsyncSession, principal: Principal, clock: Clock) -> None:
        self.session, self.principal, self.clock = session, principal, clock

    async def rows(self, plan_id: int) -> tuple[str, date, list[list[str]], list[bool]]:
        """The plan's title, the day it is as of, the table's rows and which of them are section headings."""
        require_scope(self.principal, "tasks:read")
        plan = await PlanService(self.session, self.principal).get_plan(plan_id)
        whole = reads_everything(self.principal)
        today = self.clock.today()
        found = await ProgressRepository(self.session).rows(
            plan.id, today, None if whole else self.principal.unit_id or -1
        )
        by_task = {task_id: list(group) for task_id, group in groupby(found, key=lambda r: r["task_id"])}
        texts: list[list[str]] = []
        headings: list[bool] = []
        for task in document_order(await TaskRepository(self.session).all_in_plan(plan.id)):
            assignments = by_task.get(task.id, [])
            if not assignments:
                if whole:  # 一、… with no unit of its own: a heading that keeps the table's outline
                    texts.append([task.number or "", task.title, *[""] * (len(COLUMNS) - 2)])
                    headings.append(True)
                continue
            for row in assignments:
                texts.append(_cells(task, row, self.clock))
                headings.append(number_level(task.number or "") == 1.0)
        return plan.title, today, texts, headings

    async def xlsx(self, plan_id: int) -> tuple[str, bytes]:
        title, today, texts, headings = await self.rows(plan_id)
        name = f"{title}{TITLE_SUFFIX}（截至{zh_date(today)}）"
        data = await asyncio.to_thread(write_table_xlsx, name, "进展情况", COLUMNS, texts, bold_rows=headings)
        return f"{title}{TITLE_SUFFIX}", data

    async def docx(self, plan_id: int) -> tuple[str, bytes]:
        title, today, texts, headings = await self.rows(plan_id)

        def write() -> bytes:
            document = WordDocument(f"{title}{TITLE_SUFFIX}", landscape=True)
            document.title(f"{title}{TITLE_SUFFIX}", size=18)
            document.paragraph(f"（截至{zh_date(today)}）", size=14, indent=False, align="center")
            document.table(
                [h for h, _, _ in COLUMNS], texts, widths=[w for _, w, _ in COLUMNS], bold_rows=headings, size=10
            )
            return document.to_bytes()

        return f"{title}{TITLE_SUFFIX}", await asyncio.to_thread(write)


def _cells(task: Any, row: Any, clock: Clock) -> list[str]:
    latest = "未报送"
    if row["report_text"]:
        text = " ".join(row["report_text"].split())
        if len(text) > LATEST_REPORT_CHARS:
            text = text[: LATEST_REPORT_CHARS - 1] + "…"
        latest = f"{zh_date(clock.local_date(row['report_at']))}：{text}"
    return [
        task.number or "",
        task.title,
        row["unit_name"],
        ROLE_ZH.get(row["role"], row["role"]),
        zh_date(row["due_on"]) if row["due_on"] else (task.deadline_text or ""),
        STATE_ZH.get(row["state"], row["state"]),
        f"{row['progress']}%",
        latest,
        f"{LIGHT_ZH.get(row['light'], row['light'])}（{light_reason(row, clock.today()).text_zh}）",
    ]
