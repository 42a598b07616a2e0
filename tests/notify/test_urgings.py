"""催办 on demand (issue 17): the office urges the unit of an assignment now — in its people's inbox, once a
day, audited — and prints the 督办通知单 as .docx."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
import pytest

from luoshi.clock import FixedClock
from luoshi_notify.service.deliver import Deliverer
from tests.conftest import unique
from tests.platform.test_errors import assert_problem
from tests.tasks.test_workflow import transition


async def deliver(notify_app) -> None:
    deliverer = Deliverer(notify_app.state.db, kit=notify_app.state.channel_kit)
    try:
        await deliverer.drain()
    finally:
        await deliverer.aclose()


@pytest.fixture
def notify_today(notify_app):
    original = notify_app.state.clock
    clock = FixedClock(datetime(2026, 12, 4, 2, tzinfo=UTC))  # Friday 4 December, 10:00 in Shanghai
    notify_app.state.clock = clock
    yield clock
    notify_app.state.clock = original


async def test_the_office_urges_a_unit_now_once_a_day_and_prints_the_notice(
    tasks, notify, notify_app, make_unit, make_user, notify_today
):
    gov = await make_unit(kind="government", level="county", name=unique("催办县人民政府-"))
    office_unit = await make_unit(parent_id=gov["id"], name=unique("催办县督查室-"))
    unit = await make_unit(parent_id=gov["id"], name=unique("催办县质监局-"))
    office = await make_user("office", unit_id=office_unit["id"])
    other_office = await make_user("office", unit_id=gov["id"])
    clerk = await make_user("unit", unit_id=unit["id"])
    plan = await tasks.post(
        "/v1/plans",
        json={
            "title": unique("催办方案-"),
            "doc_number": "催政〔2026〕1号",
            "issuer": gov["name"],
            "issued_on": "2026-01-05",
            "status": "active",
            "office_unit": office_unit["id"],
        },
        headers=office["headers"],
    )
    assert plan.status_code == 201, plan.text
    tasks_made = {}
    for title, due in (("开展监督抽查", "2026-11-20"), ("建立质量档案", "2026-12-31")):
        task = await tasks.post(
            f"/v1/plans/{plan.json()['id']}/tasks",
            json={"title": title, "lead_unit": unit["id"], "deadline": due},
            headers=office["headers"],
        )
        assert task.status_code == 201, task.text
        tasks_made[title] = task.json()["assignments"][0]["assignment_id"]
    aid = tasks_made["开展监督抽查"]

    urged = await notify.post(
        f"/v1/assignments/{aid}/urgings", json={"note": "请于本周五前报送抽查结果"}, headers=office["headers"]
    )
    assert urged.status_code == 201, urged.text
    body = urged.json()
    assert body["new"] is True and body["day"] == "2026-12-04" and body["urged_times"] == 1
    assert body["notifications"] >= 1 and body["notice_url"] == f"/v1/assignments/{aid}/urging-notice.docx"
    await deliver(notify_app)
    inbox = (await notify.get("/v1/inbox", headers=clerk["headers"])).json()["items"]
    mine = [i for i in inbox if i["kind"] == "urge_on_demand"]
    assert len(mine) == 1 and "开展监督抽查" in mine[0]["subject"]
    assert "请于本周五前报送抽查结果。" in mine[0]["body"] and office_unit["name"] in mine[0]["body"]

    # the same day again: nothing sent twice
    again = await notify.post(f"/v1/assignments/{aid}/urgings", headers=office["headers"])
    assert again.status_code == 200 and again.json()["new"] is False and again.json()["urged_times"] == 1
    await deliver(notify_app)
    inbox = (await notify.get("/v1/inbox", headers=clerk["headers"])).json()["items"]
    assert len([i for i in inbox if i["kind"] == "urge_on_demand"]) == 1
    # audited, once
    log = (await notify.get(f"/v1/audit?entity=assignment&entity_id={aid}", headers=office["headers"])).json()
    urgings = [line for line in log["items"] if line["action"] == "urge"]
    assert len(urgings) == 1 and urgings[0]["after"]["note"] == "请于本周五前报送抽查结果。"

    # the 督办通知单, in Chinese, with its 落款
    printed = await notify.get(body["notice_url"], headers=office["headers"])
    assert printed.status_code == 200, printed.text
    assert printed.headers["content-type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(printed.content))
    paragraphs = [p.text for p in document.paragraphs if p.text]
    cells = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows[1:]}
    assert paragraphs[0] == "督办通知单" and paragraphs[-2:] == [office_unit["name"], "2026年12月4日"]
    assert cells["督办事项"] == "开展监督抽查" and cells["责任单位"] == unit["name"]
    assert cells["完成时限"] == "2026年11月20日，已逾期10个工作日"
    assert cells["督办意见"] == "请于本周五前报送抽查结果。" and cells["督办次数"] == "第1次"
    assert cells["所属方案"].endswith("（催政〔2026〕1号）") and cells["办理状态"] == "已交办"

    # the next day counts as a second urging
    notify_today.moment = datetime(2026, 12, 7, 2, tzinfo=UTC)
    second = await notify.post(f"/v1/assignments/{aid}/urgings", headers=office["headers"])
    assert second.status_code == 201 and second.json()["urged_times"] == 2

    # only the plan's office: not another office, not the unit; a closed task or an unknown one is refused
    assert_problem(await notify.post(f"/v1/assignments/{aid}/urgings", headers=clerk["headers"]), 403, "forbidden")
    assert_problem(
        await notify.post(f"/v1/assignments/{aid}/urgings", headers=other_office["headers"]), 403, "forbidden"
    )
    assert_problem(
        await notify.post("/v1/assignments/999999999/urgings", headers=office["headers"]), 404, "assignment_not_found"
    )
    done = tasks_made["建立质量档案"]
    for action, who in (("acknowledge", clerk), ("request_completion", clerk), ("close", office)):
        assert (await transition(tasks, done, action, who["headers"])).status_code == 200
    assert_problem(
        await notify.post(f"/v1/assignments/{done}/urgings", headers=office["headers"]), 409, "assignment_closed"
    )
