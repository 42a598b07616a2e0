"""`make bench-scale`'s synthetic province: 100 counties of 100 departments each, two people a department, five plans
a county of 4,000 tasks each, five units on every task (a lead and four cooperating, all of the plan's county), and a
year of quarterly reports from every lead unit. Written once by SQL on the server (generate_series), kept in its own
database between runs.

The secondary indexes of the three big tables are dropped while the rows go in and built again after (one sort
each instead of ten million index insertions), and with a superuser's connection the foreign-key triggers are
switched off for the bulk insert (the rows are made consistent by construction)."""

from __future__ import annotations

import os
import time

import asyncpg

COUNTIES = int(os.environ.get("BENCH_SCALE_COUNTIES", "100"))
DEPARTMENTS = 100  # per county: 10,000 units
PEOPLE = 2  # per department: 20,000 users
PLANS = 5  # per county: 500 plans
TASKS = 4_000  # per plan: 2,000,000 tasks
UNITS_PER_TASK = 5  # a lead and four cooperating: 10,000,000 assignments
QUARTERS = ("2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31")  # each lead's reports: 8,000,000

BIG_TABLES = ("task", "assignment", "report")

_PHRASES = [
    "加强质量基础设施建设",
    "开展品牌培育行动",
    "推进标准化试点示范",
    "实施质量提升工程",
    "强化计量检测服务",
    "培育知名商标",
    "开展质量月活动",
    "推进检验检测认证",
    "加强特种设备安全监管",
    "提升产品质量监督抽查合格率",
    "建设质量强县示范区",
    "开展企业首席质量官培训",
    "推动知识产权运营",
    "完善质量信用体系",
    "推进农业标准化生产",
    "加强食品安全监管",
    "开展服务质量测评",
    "培育地理标志产品",
    "推进工程质量治理",
    "建立质量奖励制度",
]
_REPORTS = [
    "本季度按计划推进，已完成阶段目标。",
    "已召开专题推进会，落实责任分工。",
    "完成调研摸底，形成工作台账。",
    "受资金影响进度滞后，已申请追加预算。",
    "已组织企业培训三期，参训二百余人次。",
]


def _sql_array(items: list[str]) -> str:
    return "ARRAY[" + ",".join(f"'{s}'" for s in items) + "]"


async def counts(conn: asyncpg.Connection) -> dict[str, int]:
    return {
        t: await conn.fetchval(f"SELECT count(*) FROM tasks.{t}") for t in ("unit", "user_account", "plan", *BIG_TABLES)
    }


def wanted() -> dict[str, int]:
    units = COUNTIES * (1 + DEPARTMENTS)
    tasks = COUNTIES * PLANS * TASKS
    return {
        "unit": units,
        "user_account": COUNTIES * DEPARTMENTS * PEOPLE,
        "plan": COUNTIES * PLANS,
        "task": tasks,
        "assignment": tasks * UNITS_PER_TASK,
        "report": tasks * len(QUARTERS),
    }


async def seed(url: str, password_hash: str, say=print) -> None:
    """The province, unless the database holds it already (its row counts at least those wanted)."""
    conn = await asyncpg.connect(url, command_timeout=None)
    try:
        have = await counts(conn)
        if all(have[t] >= n for t, n in wanted().items()):
            return
        say(f"seeding a province once ({', '.join(f'{n:,} {t}' for t, n in wanted().items())}) …")
        for table in ("unit", "user_account", "plan"):
            await conn.execute(f"TRUNCATE tasks.{table} CASCADE")
        superuser = await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        indexes = await conn.fetch(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.schemaname = 'tasks' AND i.tablename = ANY($1::text[])
                 AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
            list(BIG_TABLES),
        )
        for row in indexes:
            await conn.execute(f'DROP INDEX tasks."{row["indexname"]}"')
        if superuser:
            await conn.execute("SET session_replication_role = replica")
        steps = [
            (
                "counties",
                f"""INSERT INTO tasks.unit (name, short_name, kind, level)
                    SELECT '第' || c || '县人民政府', '第' || c || '县', 'government', 'county'
                    FROM generate_series(1, {COUNTIES}) c ORDER BY c""",
            ),
            (
                "departments",
                f"""INSERT INTO tasks.unit (parent_id, name, short_name, kind, level, contacts)
                    SELECT c.id, c.short_name || '第' || d || '局', '局' || d, 'department', 'county',
                           '[{{"name": "联络员", "phone": "0370-1234567", "is_head": false}}]'::jsonb
                    FROM tasks.unit c CROSS JOIN generate_series(1, {DEPARTMENTS}) d
                    WHERE c.kind = 'government' ORDER BY c.id, d""",
            ),
            (
                "people",
                f"""INSERT INTO tasks.user_account (username, display_name, password_hash, unit_id)
                    SELECT 'u' || u.id || '-' || n, u.short_name || '联络员' || n, $1, u.id
                    FROM tasks.unit u CROSS JOIN generate_series(1, {PEOPLE}) n WHERE u.kind = 'department'""",
            ),
            (
                "their roles",
                """INSERT INTO tasks.user_role (user_id, role) SELECT id, 'unit' FROM tasks.user_account
                   WHERE username LIKE 'u%-%'""",
            ),
            (
                "plans",
                f"""INSERT INTO tasks.plan (title, issuer_unit_id, office_unit_id, status, issued_on, report_schedule)
                    SELECT c.short_name || '质量强县实施方案（' || n || '）', c.id, c.id, 'active', DATE '2026-01-01',
                           '{{"kind": "recurring", "frequency": "quarterly", "day": 31, "month": 3}}'::jsonb
                    FROM tasks.unit c CROSS JOIN generate_series(1, {PLANS}) n WHERE c.kind = 'government'""",
            ),
            (
                "tasks",
                f"""INSERT INTO tasks.task (plan_id, position, number, title, start_on, due_on)
                    SELECT p.id, g, g::text,
                           '第' || g || '项：' || ({_sql_array(_PHRASES)})[1 + (g * 7 + p.id) % {len(_PHRASES)}],
                           DATE '2026-01-01', DATE '2026-01-01' + ((g * 7919 + p.id * 104729) % 730)::int
                    FROM tasks.plan p CROSS JOIN generate_series(1, {TASKS}) g""",
            ),
            (
                "assignments",
                f"""WITH dept AS (
                        SELECT id, parent_id, row_number() OVER (PARTITION BY parent_id ORDER BY id) - 1 AS k
                        FROM tasks.unit WHERE kind = 'department'
                    )
                    INSERT INTO tasks.assignment (task_id, plan_id, unit_id, role, state, progress, start_on, due_on,
                                                  original_due_on, closed_at, closed_on)
                    SELECT t.id, t.plan_id, d.id, CASE WHEN j = 0 THEN 'lead' ELSE 'cooperating' END, s.state,
                           (t.id * 17 + j * 5) % 101, t.start_on, t.due_on, t.due_on,
                           CASE WHEN s.state = 'closed' THEN t.due_on::timestamptz END,
                           CASE WHEN s.state = 'closed' THEN t.due_on END
                    FROM tasks.task t JOIN tasks.plan p ON p.id = t.plan_id
                    CROSS JOIN generate_series(0, {UNITS_PER_TASK - 1}) j
                    JOIN dept d ON d.parent_id = p.issuer_unit_id AND d.k = (t.position * 7 + j * 13) % {DEPARTMENTS}
                    CROSS JOIN LATERAL (SELECT (ARRAY['assigned', 'acknowledged', 'in_progress', 'in_progress',
                                                      'completion_requested', 'closed'])[1 + (t.id * 31 + j) % 6]
                                        AS state) s""",
            ),
            (
                "reports",
                f"""INSERT INTO tasks.report (assignment_id, period_due_on, text, percent, state, late, submitted_at)
                    SELECT a.id, q.due, ({_sql_array(_REPORTS)})[1 + (a.id + q.n) % {len(_REPORTS)}],
                           least(100, a.progress * q.n / 4), 'accepted', (a.id + q.n) % 7 = 0,
                           q.due::timestamptz - interval '2 days' + ((a.id + q.n) % 7 = 0)::int * interval '5 days'
                    FROM tasks.assignment a
                    CROSS JOIN (VALUES {", ".join(f"({n}, DATE '{d}')" for n, d in enumerate(QUARTERS, 1))}) q(n, due)
                    WHERE a.role = 'lead'""",
            ),
        ]
        for label, sql in steps:
            started = time.monotonic()
            status = await (conn.execute(sql, password_hash) if "$1" in sql else conn.execute(sql))
            say(f"  {label}: {status.split()[-1]} rows in {time.monotonic() - started:.0f} s")
        if superuser:
            await conn.execute("SET session_replication_role = DEFAULT")
        started = time.monotonic()
        await conn.execute("SET maintenance_work_mem = '512MB'")
        for row in indexes:
            await conn.execute(row["indexdef"])
        say(f"  {len(indexes)} indexes built in {time.monotonic() - started:.0f} s")
        started = time.monotonic()
        await conn.execute("VACUUM (ANALYZE) tasks.unit, tasks.user_account, tasks.plan, tasks.task")
        await conn.execute("VACUUM (ANALYZE) tasks.assignment, tasks.report")
        say(f"  vacuumed and analysed in {time.monotonic() - started:.0f} s")
    finally:
        await conn.close()
