"""Postgres-backed jobs: long work (imports, scoring runs, deliveries) tracked as a resource.

A job row is inserted in the same transaction as the request that asks for it, so work is queued
only if the request commits. Workers claim rows with `FOR UPDATE SKIP LOCKED` under a lease they keep
renewing; a worker that dies stops renewing and its job is claimed again. The handler's writes and
the job's success are committed in one transaction, and only by the worker still holding the lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import traceback
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import asyncpg
from pydantic import BaseModel, Field
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from luoshi.auth import Principal
from luoshi.context import request_id_var
from luoshi.db import Database
from luoshi.logging import get_logger
from luoshi.metrics import JOBS, JOBS_OLDEST_WAIT, JOBS_WAITING, SCRAPE_HOOKS

JobStatus = Literal["queued", "running", "succeeded", "failed"]


def job_table(metadata: MetaData) -> Table:
    return Table(
        "job",
        metadata,
        Column("id", BigInteger, primary_key=True, autoincrement=True),
        Column("kind", String(100), nullable=False),
        Column("status", String(20), nullable=False, server_default="queued"),
        Column("payload", JSONB, nullable=False, server_default="{}"),
        Column("progress_done", Integer, nullable=False, server_default="0"),
        Column("progress_total", Integer),
        Column("result", JSONB),
        Column("errors", JSONB),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("max_attempts", Integer, nullable=False, server_default="3"),
        Column("run_after", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("locked_by", String(200)),
        Column("locked_until", DateTime(timezone=True)),
        Column("created_by", String(200)),
        Column("owner_user_id", BigInteger),
        Column("owner_unit_id", BigInteger),
        Column("request_id", String(128)),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("started_at", DateTime(timezone=True)),
        Column("finished_at", DateTime(timezone=True)),
        Index("ix_job_claim", "status", "run_after", postgresql_where=text("status IN ('queued', 'running')")),
    )


class JobRead(BaseModel):
    """A piece of long work and how far it got."""

    id: int
    kind: str = Field(examples=["breakdown_import"])
    status: JobStatus
    progress: dict[str, int | None] = Field(examples=[{"done": 40, "total": 45}])
    result: dict[str, Any] | None = None
    errors: list[dict[str, Any]] | None = Field(
        default=None,
        examples=[
            [
                {
                    "row": 7,
                    "column": "F",
                    "field": "完成时限",
                    "code": "deadline_unreadable",
                    "message": "Unreadable deadline '下个月吧'",
                    "message_zh": "完成时限无法识别：下个月吧",
                }
            ]
        ],
    )
    attempts: int
    created_by: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def job_read(row: Any) -> JobRead:
    return JobRead(
        id=row.id,
        kind=row.kind,
        status=row.status,
        progress={"done": row.progress_done, "total": row.progress_total},
        result=row.result,
        errors=row.errors,
        attempts=row.attempts,
        created_by=row.created_by,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )


class JobFailed(Exception):
    """The job cannot succeed (bad input): fail it at once with these errors, no retry."""

    def __init__(self, errors: list[dict[str, Any]], message: str = "job failed") -> None:
        super().__init__(message)
        self.errors = errors


@dataclass
class JobContext:
    job_id: int
    kind: str
    payload: dict[str, Any]
    session: AsyncSession
    attempt: int
    _report: Callable[[int, int | None], Awaitable[None]]

    async def progress(self, done: int, total: int | None = None) -> None:
        """Visible to GET /v1/jobs/{id} at once, before the job's transaction commits."""
        await self._report(done, total)


Handler = Callable[[JobContext], Awaitable[dict[str, Any] | None]]


def channel_name(table: Table) -> str:
    return f"{table.schema}_job"


async def enqueue(
    session: AsyncSession,
    table: Table,
    kind: str,
    payload: dict[str, Any],
    principal: Principal | None = None,
    *,
    max_attempts: int = 3,
) -> int:
    """Queue a job in the caller's transaction; workers are woken when it commits."""
    job_id = (
        await session.execute(
            insert(table)
            .values(
                kind=kind,
                payload=payload,
                max_attempts=max_attempts,
                created_by=principal.actor if principal else "system",
                owner_user_id=principal.user_id if principal else None,
                owner_unit_id=principal.unit_id if principal else None,
                request_id=request_id_var.get(),
            )
            .returning(table.c.id)
        )
    ).scalar_one()
    await session.execute(text(f"NOTIFY {channel_name(table)}"))
    return job_id


async def get_job(session: AsyncSession, table: Table, job_id: int) -> Any:
    return (await session.execute(select(table).where(table.c.id == job_id))).one_or_none()


class JobWorker:
    """Claims and runs jobs of one service until stopped. Any number may run at once."""

    def __init__(
        self,
        db: Database,
        table: Table,
        handlers: dict[str, Handler],
        dsn: str,
        *,
        lease_seconds: int = 30,
        poll_seconds: float = 2.0,
    ) -> None:
        self.db, self.table, self.handlers, self.dsn = db, table, handlers, dsn
        self.lease = lease_seconds
        self.poll = poll_seconds
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self.log = get_logger("luoshi.jobs")

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()

    async def run(self) -> None:
        listener = asyncio.create_task(self._listen())
        SCRAPE_HOOKS.append(self.observe_queue)
        try:
            while not self._stopping.is_set():
                try:
                    ran = await self.run_once()
                except Exception as exc:  # the database may be away; keep going
                    self.log.warning("job_worker_error", error=repr(exc))
                    ran = False
                if not ran:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._wake.wait(), self.poll)
                    self._wake.clear()
        finally:
            SCRAPE_HOOKS.remove(self.observe_queue)
            listener.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await listener

    async def observe_queue(self) -> None:
        """Set the waiting-jobs gauges (at scrape time): a queue that only grows means no worker is taking jobs."""
        t = self.table
        waited = func.extract("epoch", func.now() - func.min(t.c.run_after))
        async with self.db.engine.connect() as conn:
            count, oldest = (
                await conn.execute(
                    select(func.count(), waited).where(t.c.status == "queued", t.c.run_after <= func.now())
                )
            ).one()
        JOBS_WAITING.labels(self.db.service).set(count)
        JOBS_OLDEST_WAIT.labels(self.db.service).set(float(oldest or 0))

    async def _listen(self) -> None:
        """LISTEN for new jobs so they start at once; polling covers the gaps."""
        while not self._stopping.is_set():
            try:
                conn = await asyncpg.connect(self.dsn, timeout=5)
                try:
                    await conn.add_listener(channel_name(self.table), lambda *_: self._wake.set())
                    while not conn.is_closed():  # noqa: ASYNC110 - asyncpg offers no close event
                        await asyncio.sleep(1)
                finally:
                    with contextlib.suppress(Exception):
                        await conn.close()
            except asyncio.CancelledError:
                raise
            except Exception:
                await asyncio.sleep(self.poll)

    async def _claim(self) -> Any:
        t = self.table
        claimable = (
            select(t.c.id)
            .where(
                ((t.c.status == "queued") & (t.c.run_after <= func.now()))
                | ((t.c.status == "running") & (t.c.locked_until < func.now()))
            )
            # Only kinds this process can run: during a rolling upgrade an older process leaves a new kind
            # of job to the newer ones instead of failing it.
            .where(t.c.kind.in_(list(self.handlers)))
            .order_by(t.c.id)
            .limit(1)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        async with self.db.engine.begin() as conn:
            return (
                await conn.execute(
                    update(t)
                    .where(t.c.id == claimable)
                    .values(
                        status="running",
                        attempts=t.c.attempts + 1,
                        locked_by=self.worker_id,
                        locked_until=func.now() + text(f"interval '{self.lease} seconds'"),
                        started_at=func.coalesce(t.c.started_at, func.now()),
                    )
                    .returning(t)
                )
            ).one_or_none()

    async def run_once(self) -> bool:
        job = await self._claim()
        if job is None:
            return False
        token = request_id_var.set(job.request_id or f"job-{job.id}")
        heartbeat = asyncio.create_task(self._heartbeat(job.id))
        try:
            await self._execute(job)
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
            request_id_var.reset(token)
        return True

    async def _heartbeat(self, job_id: int) -> None:
        t = self.table
        while True:
            await asyncio.sleep(self.lease / 3)
            with contextlib.suppress(Exception):
                async with self.db.engine.begin() as conn:
                    await conn.execute(
                        update(t)
                        .where(t.c.id == job_id, t.c.locked_by == self.worker_id)
                        .values(locked_until=func.now() + text(f"interval '{self.lease} seconds'"))
                    )

    async def _report(self, job_id: int, done: int, total: int | None) -> None:
        t = self.table
        async with self.db.engine.begin() as conn:
            values: dict[str, Any] = {"progress_done": done}
            if total is not None:
                values["progress_total"] = total
            await conn.execute(update(t).where(t.c.id == job_id, t.c.locked_by == self.worker_id).values(**values))

    async def _execute(self, job: Any) -> None:
        t = self.table
        handler = self.handlers.get(job.kind)
        mine = (t.c.id == job.id) & (t.c.locked_by == self.worker_id)
        try:
            if handler is None:
                raise JobFailed(
                    [
                        {
                            "code": "unknown_job_kind",
                            "message": f"No handler for {job.kind}",
                            "message_zh": f"未知的任务类型 {job.kind}",
                        }
                    ]
                )
            async with self.db.sessionmaker() as session:
                ctx = JobContext(
                    job_id=job.id,
                    kind=job.kind,
                    payload=job.payload,
                    session=session,
                    attempt=job.attempts,
                    _report=lambda done, total: self._report(job.id, done, total),
                )
                result = await handler(ctx)
                finished = await session.execute(
                    update(t)
                    .where(mine)
                    .values(
                        status="succeeded",
                        result=result or {},
                        errors=None,
                        finished_at=func.now(),
                        locked_until=None,
                        progress_done=func.coalesce(t.c.progress_total, t.c.progress_done),
                    )
                )
                if finished.rowcount != 1:
                    # Our lease lapsed and another worker has the job: drop our work.
                    await session.rollback()
                    self.log.warning("job_lease_lost", job_id=job.id)
                    return
                await session.commit()
            JOBS.labels(self.db.service, job.kind, "succeeded").inc()
            self.log.info("job_succeeded", job_id=job.id, kind=job.kind)
        except JobFailed as exc:
            await self._finish_failed(mine, exc.errors)
            JOBS.labels(self.db.service, job.kind, "failed").inc()
            self.log.info("job_failed", job_id=job.id, kind=job.kind, errors=len(exc.errors))
        except Exception as exc:
            self.log.exception("job_error", job_id=job.id, kind=job.kind, attempt=job.attempts)
            error = {
                "code": "job_error",
                "message": f"{type(exc).__name__}: {exc}",
                "message_zh": "任务执行出错",
                "trace": traceback.format_exc(limit=3),
            }
            if job.attempts >= job.max_attempts:
                await self._finish_failed(mine, [error])
                JOBS.labels(self.db.service, job.kind, "failed").inc()
            else:
                backoff = min(2**job.attempts, 300)
                async with self.db.engine.begin() as conn:
                    await conn.execute(
                        update(t)
                        .where(mine)
                        .values(
                            status="queued",
                            locked_by=None,
                            locked_until=None,
                            errors=[error],
                            run_after=func.now() + text(f"interval '{backoff} seconds'"),
                        )
                    )

    async def _finish_failed(self, mine: Any, errors: list[dict[str, Any]]) -> None:
        async with self.db.engine.begin() as conn:
            await conn.execute(
                update(self.table)
                .where(mine)
                .values(
                    status="failed",
                    errors=errors,
                    finished_at=func.now(),
                    locked_until=None,
                )
            )
