"""The breakdown table (任务分解表) through the API: import as a job, atomic failure, export round trip."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from luoshi_tasks.breakdown import read_breakdown, write_breakdown_csv, write_breakdown_xlsx
from tests.conftest import unique
from tests.fixtures.breakdown_factory import make_breakdown_rows
from tests.tasks.test_workflow import transition

# Every unit the factory's rows name, by the short name the plan writes.
SHORT_NAMES = (
    "质监局",
    "产业集聚区管委会",
    "发改委",
    "统计局",
    "环保局",
    "安监局",
    "财政局",
    "工信局",
    "工商局",
    "商务局",
    "国土局",
    "住建局",
    "规划中心",
    "园林中心",
    "县政府办",
    "卫生局",
    "国税局",
    "地税局",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def wait_job(tasks, location: str, headers: dict[str, str], seconds: float = 20) -> dict[str, Any]:
    for _ in range(int(seconds / 0.05)):
        body = (await tasks.get(location, headers=headers)).json()
        if body["status"] in ("succeeded", "failed"):
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"job stuck: {body}")


@pytest.fixture
async def county(tasks, office, make_unit) -> dict[str, Any]:
    """A county government with the departments the sample plan names (short names as the plan writes them)."""
    gov = await make_unit(kind="government", level="county", name=unique("测试县人民政府-"))
    units = {}
    for short in SHORT_NAMES:
        units[short] = await make_unit(parent_id=gov["id"], name=unique(f"测试县{short}-"), short_name=short)
    return {"gov": gov, "units": units}


async def new_plan(tasks, office, gov) -> dict[str, Any]:
    r = await tasks.post(
        "/v1/plans",
        json={
            "title": unique("示范区创建方案-"),
            "doc_number": "测政〔2026〕29号",
            "issuer": gov["name"],
            "issued_on": "2026-03-20",
            "status": "active",
        },
        headers=office["headers"],
    )
    assert r.status_code == 201, r.text
    return r.json()


async def import_file(
    tasks, office, plan_id: int, name: str, data: bytes, mime: str = XLSX, query: str = ""
) -> dict[str, Any]:
    r = await tasks.post(
        f"/v1/plans/{plan_id}/breakdown{query}", files={"file": (name, data, mime)}, headers=office["headers"]
    )
    assert r.status_code == 202, r.text
    assert r.json()["status"] in ("queued", "running", "succeeded")
    return await wait_job(tasks, r.headers["location"], office["headers"])


async def all_tasks(tasks, headers, plan_id: int) -> list[dict[str, Any]]:
    items, cursor = [], None
    while True:
        url = f"/v1/plans/{plan_id}/tasks?limit=50" + (f"&cursor={cursor}" if cursor else "")
        page = (await tasks.get(url, headers=headers)).json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items


async def test_import_of_a_45_task_table_then_walk_an_imported_assignment(
    tasks, office, county, make_user, fixed_clock
):
    fixed_clock("2015-07-01")
    plan = await new_plan(tasks, office, county["gov"])
    rows = make_breakdown_rows(45)
    job = await import_file(tasks, office, plan["id"], "分解表.xlsx", write_breakdown_xlsx(plan["title"], rows))
    assert job["status"] == "succeeded", job
    assert job["result"]["tasks_created"] == 45 and job["result"]["units_created"] == []
    assert job["progress"]["done"] == job["progress"]["total"] == 45

    got = await all_tasks(tasks, office["headers"], plan["id"])
    assert [t["number"] for t in got] == [r["number"] for r in rows]
    by_id = {t["id"]: t for t in got}
    # （三）大力实施品牌带动 > 1 > （1）: numbers repeat across sections, the tree follows the table
    item = next(t for t in got if t["title"] == "对新获得中国名牌产品的企业奖励10万元")
    measure = by_id[item["parent_id"]]
    assert (measure["number"], by_id[measure["parent_id"]]["title"]) == ("1", "大力实施品牌带动")
    assert by_id[by_id[measure["parent_id"]]["parent_id"]]["title"] == "工作重点"

    brand = next(t for t in got if t["title"] == "大力实施品牌带动")
    roles = {(a["unit_id"], a["role"]) for a in brand["assignments"]}
    units = county["units"]
    assert roles == {
        (units["质监局"]["id"], "lead"),
        (units["财政局"]["id"], "cooperating"),
        (units["工商局"]["id"], "cooperating"),
    }
    assert brand["deadline"]["kind"] == "window" and brand["deadline_text"] == "2015年6月至2015年12月"
    monthly = next(t for t in got if t["title"] == "质量诚信体系完善")
    assert monthly["deadline"]["kind"] == "recurring" and monthly["deadline_text"] == "每月30日"

    audit = (await tasks.get(f"/v1/audit?entity=plan&entity_id={plan['id']}", headers=office["headers"])).json()
    assert audit["items"][0]["action"] == "import" and audit["items"][0]["after"]["tasks_created"] == 45

    # 质监局 finds the imported task among its own and carries it through every state
    zhijian = (await make_user("unit", unit_id=units["质监局"]["id"]))["headers"]
    mine = (await tasks.get(f"/v1/me/assignments?plan_id={plan['id']}&limit=100", headers=zhijian)).json()["items"]
    lead = next(a for a in mine if a["task_id"] == brand["id"])
    assert lead["role"] == "lead" and lead["state"] == "assigned"
    aid = lead["id"]
    for action, who, comment in (
        ("acknowledge", zhijian, None),
        ("start", zhijian, None),
        ("request_completion", zhijian, None),
        ("return", office["headers"], "请补充材料"),
        ("request_completion", zhijian, None),
    ):
        r = await transition(tasks, aid, action, who, comment)
        assert r.status_code == 200, r.text
    ext = await tasks.post(
        f"/v1/assignments/{aid}/extensions",
        json={"requested_due_on": "2016-03-31", "reason": "等待省级评审"},
        headers=zhijian,
    )
    assert ext.status_code == 201, ext.text
    granted = await tasks.post(
        f"/v1/extensions/{ext.json()['id']}/decision",
        json={"decision": "grant"},
        headers={**office["headers"], "If-Match": f'"extension-{ext.json()["id"]}-v1"'},
    )
    assert granted.status_code == 200, granted.text
    closed = await transition(tasks, aid, "close", office["headers"])
    assert closed.json()["state"] == "closed"
    log = (await tasks.get(f"/v1/audit?entity=assignment&entity_id={aid}", headers=office["headers"])).json()["items"]
    assert [e["action"] for e in reversed(log)] == [
        "transition:acknowledge",
        "transition:start",
        "transition:request_completion",
        "transition:return",
        "transition:request_completion",
        "transition:close",
    ]
    assert all(e["actor"].startswith("user:") and e["at"] for e in log)


async def test_a_bad_table_fails_whole_with_every_row_named(tasks, office, county):
    plan = await new_plan(tasks, office, county["gov"])
    existing = [{"number": "九", "title": "已有任务", "lead_units": ["质监局"], "deadline_text": "2026年12月底前"}]
    first = await import_file(tasks, office, plan["id"], "ok.csv", write_breakdown_csv(existing), "text/csv")
    assert first["status"] == "succeeded", first
    rows = make_breakdown_rows(12)
    rows[4]["lead_units"] = ["月球开发局"]  # spreadsheet row 7 (title + header above)
    rows[6]["deadline_text"] = "尽快吧"  # row 9
    rows[9]["title"] = ""  # row 12
    job = await import_file(tasks, office, plan["id"], "bad.xlsx", write_breakdown_xlsx(plan["title"], rows))
    assert job["status"] == "failed"
    found = {(e["row"], e["code"]) for e in job["errors"]}
    assert found == {(7, "unit_unknown"), (9, "deadline_unreadable"), (12, "title_empty")}, job["errors"]
    unit_error = next(e for e in job["errors"] if e["code"] == "unit_unknown")
    assert unit_error["column"] == "D" and unit_error["field"] == "牵头单位" and unit_error["value"] == "月球开发局"
    assert "月球开发局" in unit_error["message_zh"]
    deadline_error = next(e for e in job["errors"] if e["code"] == "deadline_unreadable")
    assert deadline_error["column"] == "F" and deadline_error["field"] == "完成时限"
    # the same table allowed to create units: 月球开发局 would be created, but the table still fails whole
    again = await import_file(
        tasks, office, plan["id"], "bad.xlsx", write_breakdown_xlsx(plan["title"], rows), query="?create_units=true"
    )
    assert again["status"] == "failed"
    assert {(e["row"], e["code"]) for e in again["errors"]} == {(9, "deadline_unreadable"), (12, "title_empty")}
    # nothing written by either: the plan still has only the task of the first import, and no unit was created
    assert [t["title"] for t in await all_tasks(tasks, office["headers"], plan["id"])] == ["已有任务"]
    listed = (await tasks.get("/v1/units?q=月球开发局", headers=office["headers"])).json()
    assert listed["items"] == []


async def test_an_overlong_cell_is_named_and_nothing_is_written(tasks, office, county):
    """A 201-character 责任人 used to fail the job as a generic database error after rows were written."""
    plan = await new_plan(tasks, office, county["gov"])
    rows = make_breakdown_rows(6)
    rows[3]["person"] = "张" * 201  # spreadsheet row 6 (title + header above), column G (责任人)
    rows[5]["number"] = "一" * 51  # row 8, column A (序号): a number is at most 50 characters
    job = await import_file(tasks, office, plan["id"], "long.xlsx", write_breakdown_xlsx(plan["title"], rows))
    assert job["status"] == "failed", job
    assert [(e["row"], e["column"], e["field"], e["code"], e["max_length"]) for e in job["errors"]] == [
        (6, "G", "责任人", "cell_too_long", 200),
        (8, "A", "序号", "cell_too_long", 50),
    ]
    assert "201" in job["errors"][0]["message_zh"]
    assert await all_tasks(tasks, office["headers"], plan["id"]) == []


async def test_create_units_adds_unknown_units_under_the_issuer(tasks, office, county):
    plan = await new_plan(tasks, office, county["gov"])
    rows = make_breakdown_rows(5)
    stranger = unique("文化广电局-")
    rows[2]["cooperating_units"] = [*rows[2]["cooperating_units"], stranger]
    data = write_breakdown_xlsx(plan["title"], rows)
    refused = await import_file(tasks, office, plan["id"], "t.xlsx", data)
    assert refused["status"] == "failed" and [e["code"] for e in refused["errors"]] == ["unit_unknown"]
    assert refused["errors"][0]["column"] == "E"

    job = await import_file(tasks, office, plan["id"], "t.xlsx", data, query="?create_units=true")
    assert job["status"] == "succeeded", job
    created = job["result"]["units_created"]
    assert [u["name"] for u in created] == [stranger]
    unit = (await tasks.get(f"/v1/units/{created[0]['id']}", headers=office["headers"])).json()
    assert unit["parent_id"] == county["gov"]["id"]
    task = next(t for t in await all_tasks(tasks, office["headers"], plan["id"]) if t["number"] == "（二）")
    assert created[0]["id"] in {a["unit_id"] for a in task["assignments"]}


async def test_export_then_import_gives_the_same_table(tasks, office, county):
    source = await new_plan(tasks, office, county["gov"])
    rows = make_breakdown_rows(48)
    job = await import_file(tasks, office, source["id"], "in.xlsx", write_breakdown_xlsx(source["title"], rows))
    assert job["status"] == "succeeded", job
    # a task added later under an early section must still export beneath it
    section = next(t for t in await all_tasks(tasks, office["headers"], source["id"]) if t["number"] == "一")
    late = await tasks.post(
        f"/v1/plans/{source['id']}/tasks",
        json={
            "number": "（十一）",
            "parent_id": section["id"],
            "title": "质量强县宣传月",
            "lead_unit": "质监局",
            "cooperating_units": ["商务局"],
            "deadline": "2015年9月底前",
        },
        headers=office["headers"],
    )
    assert late.status_code == 201, late.text

    exported = await tasks.get(f"/v1/plans/{source['id']}/breakdown.xlsx", headers=office["headers"])
    assert exported.status_code == 200 and exported.headers["content-type"].startswith(XLSX)
    assert "attachment" in exported.headers["content-disposition"]
    first = read_breakdown(exported.content, "export.xlsx")

    target = await new_plan(tasks, office, county["gov"])
    job = await import_file(tasks, office, target["id"], "export.xlsx", exported.content)
    assert job["status"] == "succeeded", job
    again = await tasks.get(f"/v1/plans/{target['id']}/breakdown.xlsx", headers=office["headers"])
    second = read_breakdown(again.content, "export.xlsx")

    def table(sheet):
        return [r.model_dump(exclude={"cells"}) for r in sheet.rows]

    assert len(first.rows) == 49
    assert table(first) == table(second)
    # and it is the table that went in, with the late task in its place
    assert [r.number for r in first.rows][:12] == [*(r["number"] for r in rows[:11]), "（十一）"]
    assert [
        (r.title, r.lead_units, r.cooperating_units, r.deadline_text) for r in first.rows if r.title != "质量强县宣传月"
    ] == [(r["title"], r["lead_units"], r["cooperating_units"], r["deadline_text"]) for r in rows]


async def test_a_unit_user_cannot_import_and_a_non_table_is_refused(tasks, office, county, make_user):
    plan = await new_plan(tasks, office, county["gov"])
    unit_user = await make_user("unit", unit_id=county["units"]["质监局"]["id"])
    r = await tasks.post(
        f"/v1/plans/{plan['id']}/breakdown", files={"file": ("a.csv", b"x", "text/csv")}, headers=unit_user["headers"]
    )
    assert r.status_code in (403, 404)
    job = await import_file(tasks, office, plan["id"], "notes.csv", "今天开会\n明天出差\n".encode(), "text/csv")
    assert job["status"] == "failed" and job["errors"][0]["code"] != "title_empty"
    assert len(await all_tasks(tasks, office["headers"], plan["id"])) == 0
