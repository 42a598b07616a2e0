"""The baseline: a minimal FastAPI app reading the same rows through raw asyncpg."""

from __future__ import annotations

import os
from contextlib import asynccontextmanager

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

UNIT_SQL = (
    "SELECT id, parent_id, name, short_name, aliases, kind, level, contacts, version, created_at, updated_at "
    "FROM tasks.unit WHERE id = $1"
)


@asynccontextmanager
async def lifespan(app: FastAPI):
    app.state.pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=4, max_size=10)
    yield
    await app.state.pool.close()


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
