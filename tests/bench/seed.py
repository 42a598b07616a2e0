"""Bench data: 3,000 units and 1,000,000 tasks (one lead assignment each, a fifth with a cooperating unit),
made once with COPY and kept between runs."""

from __future__ import annotations

import random
from datetime import date, timedelta

import asyncpg

UNITS = 3000
TASKS = 1_000_000
PLANS = 100


async def seed(url: str) -> list[int]:
    conn = await asyncpg.connect(url)
    try:
        unit_ids = [r["id"] for r in await conn.fetch("SELECT id FROM tasks.unit ORDER BY id")]
        if len(unit_ids) < UNITS:
            await conn.copy_records_to_table(
                "unit",
                schema_name="tasks",
                columns=["name", "short_name", "aliases", "kind", "contacts"],
                records=[
                    (
                        f"夏邑县第{i}号测试单位",
                        f"测试{i}",
                        [f"县测试{i}"],
                        "department",
                        '[{"name": "联络员", "phone": "0370-1234567", "is_head": false}]',
                    )
                    for i in range(len(unit_ids), UNITS)
                ],
            )
            unit_ids = [r["id"] for r in await conn.fetch("SELECT id FROM tasks.unit ORDER BY id")]
        have = await conn.fetchval("SELECT count(*) FROM tasks.task")
        if have >= TASKS:
            return unit_ids
        print(f"seeding {TASKS:,} tasks (once; kept in the bench database) …", flush=True)
        await conn.execute("TRUNCATE tasks.plan CASCADE")
        issuer = unit_ids[0]
        plan_ids = [
            await conn.fetchval(
                "INSERT INTO tasks.plan (title, issuer_unit_id, status, issued_on, report_schedule) "
                "VALUES ($1, $2, 'active', '2026-01-01', $3::jsonb) RETURNING id",
                f"基准测试方案{i}",
                issuer,
                '{"kind": "recurring", "frequency": "monthly", "day": 30}',
            )
            for i in range(PLANS)
        ]
        rng = random.Random(42)
        per_plan = TASKS // PLANS
        base = date(2026, 1, 1)
        task_rows, dues = [], []
        for p, plan_id in enumerate(plan_ids):
            for i in range(per_plan):
                due = base + timedelta(days=rng.randrange(0, 730))
                dues.append(due)
                task_rows.append((plan_id, i + 1, f"{i + 1}", f"第{p}号方案第{i + 1}项任务：加强质量管理", due, base))
        await conn.copy_records_to_table(
            "task",
            schema_name="tasks",
            columns=["plan_id", "position", "number", "title", "due_on", "start_on"],
            records=task_rows,
        )
        task_ids = [r["id"] for r in await conn.fetch("SELECT id, plan_id FROM tasks.task ORDER BY id")]
        plan_of = {r["id"]: r["plan_id"] for r in await conn.fetch("SELECT id, plan_id FROM tasks.task")}
        states = ["assigned", "acknowledged", "in_progress", "in_progress", "completion_requested", "closed"]
        assignment_rows = []
        for task_id, due in zip(task_ids, dues, strict=True):
            lead = rng.choice(unit_ids)
            state = rng.choice(states)
            assignment_rows.append(
                (task_id, plan_of[task_id], lead, "lead", state, rng.randrange(0, 101), base, due, due)
            )
            if rng.random() < 0.2:
                other = rng.choice(unit_ids)
                if other != lead:
                    assignment_rows.append((task_id, plan_of[task_id], other, "cooperating", state, 0, base, due, due))
        await conn.copy_records_to_table(
            "assignment",
            schema_name="tasks",
            columns=[
                "task_id",
                "plan_id",
                "unit_id",
                "role",
                "state",
                "progress",
                "start_on",
                "due_on",
                "original_due_on",
            ],
            records=assignment_rows,
        )
        await conn.execute("ANALYZE tasks.plan; ANALYZE tasks.task; ANALYZE tasks.assignment; ANALYZE tasks.unit")
        return unit_ids
    finally:
        await conn.close()


NOTIFICATIONS = 2000


async def seed_notifications(url: str, unit_ids: list[int]) -> None:
    """Notifications for notify's list (its delivery bench removes only the ones it sent), kept between runs."""
    from types import SimpleNamespace

    from luoshi_notify.repository.notifications import INSERT_COLUMNS, INSERT_SQL, notification_row

    conn = await asyncpg.connect(url)
    try:
        have = await conn.fetchval("SELECT count(*) FROM notify.notification WHERE key LIKE 'bench-list:%'")
        if have >= NOTIFICATIONS:
            return
        rng = random.Random(7)
        rows = [
            notification_row(
                key=f"bench-list:{i}",
                rule=rng.choice(["remind", "due_today", "urge", "escalate"]),
                kind="remind",
                message=SimpleNamespace(
                    subject=f"【提醒】第{i}项任务将于3个工作日内到期",
                    text=f"夏邑县第{i % UNITS}号测试单位：您单位承担的任务将于3个工作日内到期，请按时办理并报送进展。",
                    markdown=None,
                ),
                channel="inbox",
                unit_id=unit_ids[i % len(unit_ids)],
                status="sent",
            )
            for i in range(have, NOTIFICATIONS)
        ]
        await conn.execute(INSERT_SQL, *([row[c] for row in rows] for c in INSERT_COLUMNS))
    finally:
        await conn.close()
