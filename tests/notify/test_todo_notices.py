"""Issue 17 in notify: the plan's office hears of each new item in its queue (a report submitted, an extension or a
completion requested); a unit hears why its completion request was returned; urgings and escalations not yet read
are the reader's work queue here — each only to the people concerned."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from luoshi_notify.service.deliver import Deliverer
from luoshi_notify.service.loops import consume_tasks_events
from tests.tasks.conftest import all_todo, office_plan

__all__ = ["office_plan"]


async def _etag(tasks, path: str, user: dict[str, Any]) -> str:
    return (await tasks.get(path, headers=user["headers"])).headers["ETag"]


async def _inbox(notify, user: dict[str, Any], plan_id: int) -> dict[str, list[dict[str, Any]]]:
    items = (await notify.get("/v1/inbox", params={"limit": 500}, headers=user["headers"])).json()["items"]
    kinds: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        if item["link"].get("plan_id") == plan_id:
            kinds.setdefault(item["kind"], []).append(item)
    return kinds


async def test_the_office_hears_of_new_work_and_the_unit_of_a_return(tasks, notify, notify_app, office_plan):
    plan_id, users, lead = office_plan["plan"]["id"], office_plan["users"], office_plan["lead"]
    ox, oy, ua, ub = users["ox"], users["oy"], users["ua"], users["ub"]
    report = await tasks.post(
        f"/v1/assignments/{lead}/reports", json={"text": "进展", "percent": 20}, headers=ua["headers"]
    )
    assert report.status_code == 201, report.text
    ext = await tasks.post(
        f"/v1/assignments/{lead}/extensions",
        json={"requested_due_on": "2027-09-30", "reason": "设备到货延迟"},
        headers=ua["headers"],
    )
    assert ext.status_code == 201, ext.text
    path = f"/v1/assignments/{lead}"
    asked = await tasks.post(
        f"{path}/transitions",
        json={"action": "request_completion"},
        headers={**ua["headers"], "If-Match": await _etag(tasks, path, ua)},
    )
    assert asked.status_code == 200, asked.text
    returned = await tasks.post(
        f"{path}/transitions",
        json={"action": "return", "comment": "佐证材料不全"},
        headers={**ox["headers"], "If-Match": await _etag(tasks, path, ox)},
    )
    assert returned.status_code == 200, returned.text

    while await consume_tasks_events(notify_app.state.db, notify_app.state.tasks_client):
        pass
    deliverer = Deliverer(notify_app.state.db, kit=notify_app.state.channel_kit)
    try:
        await deliverer.drain()
    finally:
        await deliverer.aclose()

    office = await _inbox(notify, ox, plan_id)
    assert {k: len(v) for k, v in office.items()} == {
        "report_submitted": 1,
        "extension_requested": 1,
        "completion_requested": 1,
    }
    assert "设备到货延迟" in office["extension_requested"][0]["body"]
    assert office["completion_requested"][0]["subject"].startswith("【待审】")
    unit = await _inbox(notify, ua, plan_id)
    assert len(unit["completion_returned"]) == 1 and "佐证材料不全" in unit["completion_returned"][0]["body"]
    assert "report_submitted" not in unit
    assert await _inbox(notify, oy, plan_id) == {}
    assert set(await _inbox(notify, ub, plan_id)) == {"task_assigned"}


async def test_unread_urgings_are_the_readers_work_queue(notify, notify_app, office_plan):
    plan_id, users = office_plan["plan"]["id"], office_plan["users"]
    ua, ub = users["ua"], users["ub"]
    async with notify_app.state.db.sessionmaker() as session:  # two notices as the sweep leaves them
        ids = []
        for user, kind, subject in (
            (ua, "urge", "【催办】“开展质量提升行动”已逾期3个工作日"),
            (ub, "escalate", "【督办】逾期未办结"),
        ):
            ids.append(
                await session.scalar(
                    text(
                        "INSERT INTO notify.inbox_item (user_id, kind, subject, body, link) "
                        "VALUES (:user, :kind, :subject, '请抓紧办理', CAST(:link AS jsonb)) RETURNING id"
                    ),
                    {"user": user["id"], "kind": kind, "subject": subject, "link": f'{{"plan_id": {plan_id}}}'},
                )
            )
        await session.commit()

    mine = [i for i in await all_todo(notify, ua) if i["plan_id"] == plan_id]
    assert [(i["kind"], i["id"], i["source"]) for i in mine] == [("notice.urging", ids[0], "notify")]
    assert mine[0]["title"].startswith("【催办】") and mine[0]["path"] == f"/v1/inbox/{ids[0]}"
    assert (await notify.get(mine[0]["path"], headers=ua["headers"])).json()["subject"] == mine[0]["title"]
    assert (await notify.get(mine[0]["path"], headers=ub["headers"])).status_code == 404
    assert [i["kind"] for i in await all_todo(notify, ub) if i["plan_id"] == plan_id] == ["notice.escalation"]

    assert (await notify.post(f"/v1/inbox/{ids[0]}/read", headers=ua["headers"])).json() == {"marked": 1}
    assert [i for i in await all_todo(notify, ua) if i["plan_id"] == plan_id] == []
