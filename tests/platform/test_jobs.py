"""Jobs: 202 + Location, progress, results or errors, and a dead worker's job is picked up again."""

import asyncio

from sqlalchemy import insert, text

from luoshi.jobs import JobFailed, enqueue
from luoshi_tasks.main import JOB_HANDLERS
from luoshi_tasks.models import Job


async def _echo(ctx):
    await ctx.progress(1, 2)
    if ctx.payload.get("fail"):
        raise JobFailed([{"row": 3, "code": "bad", "message": "row 3 is bad", "message_zh": "第3行有误"}])
    return {"echo": ctx.payload["value"], "attempt": ctx.attempt}


JOB_HANDLERS["test_echo"] = _echo


async def _wait(tasks, job_id, headers, until=("succeeded", "failed")):
    for _ in range(100):
        body = (await tasks.get(f"/v1/jobs/{job_id}", headers=headers)).json()
        if body["status"] in until:
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id} stuck: {body}")


async def test_job_runs_and_reports_result(tasks, tasks_app, office):
    async with tasks_app.state.db.sessionmaker() as session:
        job_id = await enqueue(session, Job, "test_echo", {"value": 7})
        await session.commit()
    body = await _wait(tasks, job_id, office["headers"])
    assert body["status"] == "succeeded"
    assert body["result"] == {"echo": 7, "attempt": 1}
    assert body["progress"] == {"done": 2, "total": 2}


async def test_failed_job_lists_its_errors(tasks, tasks_app, office):
    async with tasks_app.state.db.sessionmaker() as session:
        job_id = await enqueue(session, Job, "test_echo", {"value": 1, "fail": True})
        await session.commit()
    body = await _wait(tasks, job_id, office["headers"])
    assert body["status"] == "failed"
    assert body["errors"] == [{"row": 3, "code": "bad", "message": "row 3 is bad", "message_zh": "第3行有误"}]


async def test_job_of_a_killed_worker_is_picked_up_again(tasks, tasks_app, office):
    # A worker claimed this job and died: its lease ran out and nobody renews it.
    async with tasks_app.state.db.sessionmaker() as session:
        job_id = (
            await session.execute(
                insert(Job)
                .values(
                    kind="test_echo",
                    payload={"value": 9},
                    status="running",
                    attempts=1,
                    locked_by="dead-host:1",
                    locked_until=text("now() - interval '1 second'"),
                )
                .returning(Job.c.id)
            )
        ).scalar_one()
        await session.execute(text("NOTIFY tasks_job"))
        await session.commit()
    body = await _wait(tasks, job_id, office["headers"])
    assert body["status"] == "succeeded"
    assert body["result"] == {"echo": 9, "attempt": 2}


async def test_a_job_is_not_visible_to_other_users(tasks, tasks_app, make_user, make_unit):
    unit = await make_unit()
    owner = await make_user("unit", unit_id=unit["id"])
    stranger = await make_user("unit", unit_id=unit["id"])
    async with tasks_app.state.db.sessionmaker() as session:
        from luoshi.auth import principal_from_claims

        principal = principal_from_claims({"sub": owner["id"], "name": owner["username"], "roles": ["unit"]})
        job_id = await enqueue(session, Job, "test_echo", {"value": 1}, principal)
        await session.commit()
    assert (await tasks.get(f"/v1/jobs/{job_id}", headers=owner["headers"])).status_code == 200
    assert (await tasks.get(f"/v1/jobs/{job_id}", headers=stranger["headers"])).status_code == 404
