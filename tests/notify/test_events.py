"""A unit hears when a task is assigned to it, its report is returned, its extension is decided; everyone of
the assessed units hears when an assessment is published — each once, through the services' event outboxes."""

from __future__ import annotations

from luoshi_notify.service.deliver import Deliverer
from luoshi_notify.service.loops import consume_tasks_events


async def test_task_events_reach_the_units_inbox_once(tasks, notify, notify_app, office, plan_setup, fixed_clock):
    fixed_clock("2026-03-10")
    a = plan_setup["users"]["a"]
    lead = next(x for x in plan_setup["task"]["assignments"] if x["role"] == "lead")["assignment_id"]
    report = (
        await tasks.post(f"/v1/assignments/{lead}/reports", json={"text": "进展", "percent": 10}, headers=a["headers"])
    ).json()
    returned = await tasks.post(
        f"/v1/reports/{report['id']}/review",
        json={"decision": "return", "comment": "请补充数据"},
        headers={**office["headers"], "If-Match": f'"report-{report["id"]}-v{report["version"]}"'},
    )
    assert returned.status_code == 200, returned.text
    ext = (
        await tasks.post(
            f"/v1/assignments/{lead}/extensions",
            json={"requested_due_on": "2027-01-31", "reason": "设备延迟"},
            headers=a["headers"],
        )
    ).json()
    decided = await tasks.post(
        f"/v1/extensions/{ext['id']}/decision",
        json={"decision": "refuse", "comment": "理由不足"},
        headers={**office["headers"], "If-Match": f'"extension-{ext["id"]}-v{ext["version"]}"'},
    )
    assert decided.status_code == 200, decided.text

    for _ in range(2):  # reading the outbox twice adds nothing
        while await consume_tasks_events(notify_app.state.db, notify_app.state.tasks_client):
            pass
    deliverer = Deliverer(notify_app.state.db, kit=notify_app.state.channel_kit)
    try:
        await deliverer.drain()
    finally:
        await deliverer.aclose()
    inbox = (await notify.get("/v1/inbox?limit=100", headers=a["headers"])).json()["items"]
    mine = {}
    for item in inbox:
        mine.setdefault(item["kind"], []).append(item)
    assert len(mine["task_assigned"]) == 1 and "提升产品质量" in mine["task_assigned"][0]["subject"]
    assert len(mine["report_returned"]) == 1 and "请补充数据" in mine["report_returned"][0]["body"]
    assert len(mine["extension_decided"]) == 1 and "理由不足" in mine["extension_decided"][0]["body"]
    # the cooperating unit heard only of its own assignment
    b_inbox = (await notify.get("/v1/inbox?limit=100", headers=plan_setup["users"]["b"]["headers"])).json()["items"]
    assert [i["kind"] for i in b_inbox] == ["task_assigned"]
