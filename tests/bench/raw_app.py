"""The baseline: a minimal FastAPI app reading the same rows through raw asyncpg."""

from __future__ import annotations

import json
import os
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

UNIT_SQL = (
    "SELECT id, parent_id, name, short_name, aliases, kind, level, contacts, version, created_at, updated_at "
    "FROM tasks.unit WHERE id = $1"
)


async def _json_codec(conn: asyncpg.Connection) -> None:
    for name in ("json", "jsonb"):  # rows' JSON columns as values, as the service reads them
        await conn.set_type_codec(name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=4, max_size=10)
    # the lists' own pool reads JSON columns as values (the unit by id above stays as it was measured before)
    app.state.lists = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=4, max_size=10, init=_json_codec)
    yield
    await app.state.pool.close()
    await app.state.lists.close()


app = FastAPI(lifespan=lifespan)


@app.get("/units/{unit_id}")
async def get_unit(unit_id: int, request: Request) -> Response:
    async with request.app.state.pool.acquire() as conn:
        row = await conn.fetchrow(UNIT_SQL, unit_id)
    if row is None:
        return JSONResponse({"detail": "not found"}, status_code=404)
    return JSONResponse(
        {
            **dict(row),
            "created_at": row["created_at"].isoformat(),
            "updated_at": row["updated_at"].isoformat(),
            "contacts": row["contacts"],
        }
    )


@app.get("/my/{unit_id}")
async def my_tasks(unit_id: int, request: Request, due_from: str | None = None, limit: int = 50) -> Response:
    """The same SQL tasks-api runs for "my tasks", through raw asyncpg."""
    from datetime import date

    from luoshi_tasks.repository.assignments import MY_ASSIGNMENTS_SQL

    rows = await request.app.state.pool.fetch(
        MY_ASSIGNMENTS_SQL,
        date.today(),
        unit_id,
        limit + 1,
        None,
        None,
        None,
        date.fromisoformat(due_from) if due_from else None,
        None,
        None,
        None,
        False,
    )
    return JSONResponse(
        [
            {
                **dict(r),
                "start_on": _iso(r["start_on"]),
                "due_on": _iso(r["due_on"]),
                "original_due_on": _iso(r["original_due_on"]),
                "state_changed_at": _iso(r["state_changed_at"]),
                "closed_at": _iso(r["closed_at"]),
                "closed_on": _iso(r["closed_on"]),
            }
            for r in rows[:limit]
        ]
    )


def _iso(value):
    return value.isoformat() if value is not None else None


# The lists a console calls most, each read the way a hand-written FastAPI + asyncpg app would: one query, rows
# straight to JSON.
UNITS_SQL = (
    "SELECT id, parent_id, name, short_name, aliases, kind, level, contacts, version, created_at, updated_at "
    "FROM tasks.unit ORDER BY id LIMIT $1"
)
PLANS_SQL = (
    "SELECT id, title, doc_number, issuer_unit_id, issued_on, status, office_unit_id, report_schedule, version "
    "FROM tasks.plan ORDER BY id DESC LIMIT $1"
)


def _tasks_sql() -> str:
    from luoshi_tasks.repository.assignments import ASSIGNMENT_FROM, LIGHT_SQL

    # `tk`: ASSIGNMENT_FROM names the task `t` already
    return f"""
SELECT tk.id, tk.plan_id, tk.parent_id, tk.position, tk.number, tk.title, tk.measures, tk.deadline_text, tk.start_on,
       tk.due_on, tk.version,
       coalesce((SELECT json_agg(json_build_object('assignment_id', a.id, 'unit_id', a.unit_id, 'unit_name', u.name,
                                                   'role', a.role, 'state', a.state, 'due_on', a.due_on,
                                                   'light', {LIGHT_SQL.replace("$today", "$3")}) ORDER BY a.id)
                 FROM {ASSIGNMENT_FROM.replace("$today", "$3")} WHERE a.task_id = tk.id), '[]') AS assignments
FROM (SELECT * FROM tasks.task WHERE plan_id = $1 ORDER BY position LIMIT $2) tk ORDER BY tk.position"""


def _positional(sql: str) -> str:
    """The board's SQL (written for SQLAlchemy's :name parameters) for asyncpg."""
    return sql.replace("CAST(:today AS date)", "$2::date").replace(":plan", "$1")


def _jsonable(row: asyncpg.Record) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


@app.get("/units")
async def list_units(request: Request, limit: int = 50) -> Response:
    rows = await request.app.state.lists.fetch(UNITS_SQL, limit + 1)
    return JSONResponse({"items": [_jsonable(r) for r in rows[:limit]], "next_cursor": None})


@app.get("/plans")
async def list_plans(request: Request, limit: int = 20) -> Response:
    rows = await request.app.state.lists.fetch(PLANS_SQL, limit + 1)
    return JSONResponse({"items": [_jsonable(r) for r in rows[:limit]], "next_cursor": None})


@app.get("/plans/{plan_id}/tasks")
async def list_tasks(plan_id: int, request: Request, limit: int = 50) -> Response:
    from datetime import date

    rows = await request.app.state.lists.fetch(_tasks_sql(), plan_id, limit + 1, date.today())
    return JSONResponse({"items": [_jsonable(r) for r in rows[:limit]], "next_cursor": None})


@app.get("/plans/{plan_id}/board")
async def board(plan_id: int, request: Request) -> Response:
    from datetime import date

    from luoshi_tasks.repository.views import BOARD_SQL, OVERDUE_SQL

    async with request.app.state.lists.acquire() as conn:
        units = await conn.fetch(_positional(BOARD_SQL), plan_id, date.today())
        overdue = await conn.fetch(_positional(OVERDUE_SQL), plan_id, date.today())
    return JSONResponse({"units": [_jsonable(r) for r in units], "overdue": [_jsonable(r) for r in overdue]})


@app.get("/todo/{unit_id}")
async def todo(unit_id: int, request: Request, limit: int = 50) -> Response:
    """A unit's 待办 through the same statement tasks-api runs."""
    from datetime import date

    from luoshi_tasks.repository.todo import TodoScope, todo_statement
    from luoshi_tasks.service.todo import owed_periods

    pool = request.app.state.lists
    owed = await owed_periods(pool, unit_id, date.today())
    scope = TodoScope(manager=False, unit=True, drafts=False, manages_all=False, unit_id=unit_id, user_id=None)
    statement = todo_statement(scope, owed=owed, tz="Asia/Shanghai", limit=limit, after=None)
    rows = await pool.fetch(statement[0], *statement[1]) if statement else []
    return JSONResponse({"items": [_jsonable(r) for r in rows[:limit]], "next_cursor": None})


NOTIFICATIONS_SQL = (
    "SELECT id, key, rule, kind, plan_id, task_id, assignment_id, unit_id, recipient_user_id, address, channel, lang, "
    "subject, body, status, send_after, attempts, last_error, sent_at, created_at "
    "FROM notify.notification ORDER BY id DESC LIMIT $1"
)


@app.get("/notifications")
async def notifications(request: Request, limit: int = 50) -> Response:
    rows = await request.app.state.lists.fetch(NOTIFICATIONS_SQL, limit + 1)
    return JSONResponse({"items": [_jsonable(r) for r in rows[:limit]], "next_cursor": None})
