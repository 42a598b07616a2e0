"""What an office takes to its monthly meeting and files (issue 17): the progress table (任务进展情况汇总表) as
.xlsx and .docx, the breakdown table as .docx, and a leader's overview across every active plan."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import quote

import docx
import openpyxl
import pytest

from tests.conftest import unique


@pytest.fixture
async def county(tasks, office, make_unit, make_user, fixed_clock) -> dict[str, Any]:
    """A plan under one heading: 1. led by the bureau with the commission cooperating, due 30 June 2026 (overdue
    on 2 November); 2. the statistics bureau's, due at the end of 2027 (yellow by November: eight of its
    22 months gone, nothing done). The bureau has reported once (60 %, which
    the office accepted, so the bureau is 办理中 at 60 %)."""
    fixed_clock("2026-03-02")
    gov = await make_unit(kind="government", level="county", name=unique("汇总县人民政府-"))
    names = {k: unique(f"汇总县{k}-") for k in ("市场监管局", "发改委", "统计局")}
    bureau, commission, statistics = [await make_unit(parent_id=gov["id"], name=n) for n in names.values()]
    title = unique("汇总县质量强县工作方案-")
    plan = await tasks.post(
        "/v1/plans",
        json={"title": title, "issuer": gov["name"], "issued_on": "2026-03-02", "status": "active"},
        headers=office["headers"],
    )
    assert plan.status_code == 201, plan.text
    plan_id = plan.json()["id"]

    async def task(body: dict[str, Any]) -> dict[str, Any]:
        made = await tasks.post(f"/v1/plans/{plan_id}/tasks", json=body, headers=office["headers"])
        assert made.status_code == 201, made.text
        return made.json()

    heading = await task({"number": "一、", "title": "夯实质量基础"})
    first = await task(
        {
            "number": "1",
            "parent_id": heading["id"],
            "title": "开展质量提升行动",
            "lead_unit": bureau["id"],
            "cooperating_units": [commission["id"]],
            "deadline": "2026年6月底前",
        }
    )
    await task(
        {
            "number": "2",
            "parent_id": heading["id"],
            "title": "建立质量统计制度",
            "lead_unit": statistics["id"],
            "deadline": "2027年12月底前",
        }
    )
    users = {k: await make_user("unit", unit_id=u["id"]) for k, u in (("bureau", bureau), ("commission", commission))}
    lead = next(a["assignment_id"] for a in first["assignments"] if a["role"] == "lead")
    fixed_clock("2026-05-20")
    report = await tasks.post(
        f"/v1/assignments/{lead}/reports",
        json={"text": "已完成全县重点产品抽检\n共抽检120批次", "percent": 60},
        headers=users["bureau"]["headers"],
    )
    assert report.status_code == 201, report.text
    etag = (await tasks.get(f"/v1/reports/{report.json()['id']}", headers=office["headers"])).headers["etag"]
    accepted = await tasks.post(
        f"/v1/reports/{report.json()['id']}/review",
        json={"decision": "accept"},
        headers={**office["headers"], "If-Match": etag},
    )
    assert accepted.status_code == 200, accepted.text
    fixed_clock("2026-11-02")
    return {"plan_id": plan_id, "title": title, "names": names, "users": users}


def _xlsx_rows(data: bytes) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def _docx_rows(data: bytes) -> list[list[str]]:
    table = docx.Document(io.BytesIO(data)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows]


OVERDUE = "红灯（已逾期：完成时限 2026-06-30，自 2026-07-01 起逾期 125 天）"
BEHIND = "黄灯（进度 0% 落后于时间进度 37%，自 2026-03-02 起算）"


async def test_the_progress_table_is_what_the_meeting_reads(tasks, office, county):
    """Each light says why, in the same cell."""
    names = county["names"]
    expected = [
        ["序号", "任务", "责任单位", "职责", "完成时限", "状态", "进度", "最新进展", "亮灯"],
        ["一、", "夯实质量基础", "", "", "", "", "", "", ""],
        [
            "1",
            "开展质量提升行动",
            names["市场监管局"],
            "牵头",
            "2026年6月30日",
            "办理中",
            "60%",
            "2026年5月20日：已完成全县重点产品抽检 共抽检120批次",
            "红灯（已逾期：完成时限 2026-06-30，自 2026-07-01 起逾期 125 天）",
        ],
        ["1", "开展质量提升行动", names["发改委"], "配合", "2026年6月30日", "已交办", "0%", "未报送", OVERDUE],
        ["2", "建立质量统计制度", names["统计局"], "牵头", "2027年12月31日", "已交办", "0%", "未报送", BEHIND],
    ]
    xlsx = await tasks.get(f"/v1/plans/{county['plan_id']}/progress.xlsx", headers=office["headers"])
    assert xlsx.status_code == 200, xlsx.text
    wanted = quote(f"{county['title']}任务进展情况汇总表.xlsx")
    assert xlsx.headers["content-disposition"] == f"attachment; filename*=UTF-8''{wanted}"
    rows = _xlsx_rows(xlsx.content)
    assert rows[0][0] == f"{county['title']}任务进展情况汇总表（截至2026年11月2日）"
    assert rows[1:] == expected

    word = await tasks.get(f"/v1/plans/{county['plan_id']}/progress.docx", headers=office["headers"])
    assert word.status_code == 200 and word.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    document = docx.Document(io.BytesIO(word.content))
    assert document.paragraphs[0].text == f"{county['title']}任务进展情况汇总表"
    assert document.paragraphs[1].text == "（截至2026年11月2日）"
    assert _docx_rows(word.content) == expected

    # a unit's user gets its own rows only, without the plan's headings
    mine = await tasks.get(
        f"/v1/plans/{county['plan_id']}/progress.xlsx", headers=county["users"]["commission"]["headers"]
    )
    assert mine.status_code == 200, mine.text
    assert _xlsx_rows(mine.content)[1:] == [expected[0], expected[3]]


async def test_the_breakdown_table_as_word_holds_what_the_spreadsheet_holds(tasks, office, county):
    xlsx = await tasks.get(f"/v1/plans/{county['plan_id']}/breakdown.xlsx", headers=office["headers"])
    word = await tasks.get(f"/v1/plans/{county['plan_id']}/breakdown.docx", headers=office["headers"])
    assert word.status_code == 200, word.text
    table = _docx_rows(word.content)
    assert table == _xlsx_rows(xlsx.content)[1:]
    assert [row[0] for row in table[1:]] == ["一、", "1", "2"]
    assert table[2][3:6] == [county["names"]["市场监管局"], county["names"]["发改委"], "2026年6月底前"]


async def test_a_leader_sees_every_active_plan_and_unit_worst_first(tasks, make_user, county):
    leader = await make_user("leader")
    answer = await tasks.get("/v1/overview", headers=leader["headers"])
    assert answer.status_code == 200, answer.text
    overview = answer.json()
    assert overview["as_of"] == "2026-11-02"
    plan = next(p for p in overview["plans"] if p["id"] == county["plan_id"])
    assert {k: plan[k] for k in ("name", "plans", "assignments", "red", "yellow", "green", "closed", "overdue")} == {
        "name": county["title"],
        "plans": 1,
        "assignments": 3,
        "red": 2,
        "yellow": 1,
        "green": 0,
        "closed": 0,
        "overdue": 2,
    }
    units = {u["name"]: u for u in overview["units"]}
    bureau = units[county["names"]["市场监管局"]]
    assert (bureau["red"], bureau["overdue"], bureau["reports"]) == (1, 1, 1)
    assert units[county["names"]["统计局"]]["on_time_report_rate"] is None  # nothing reported: no rate, not 0
    # worst first: units with red work come before those with none
    reds = [u["red"] for u in overview["units"]]
    assert reds == sorted(reds, reverse=True)
    assert overview["totals"]["assignments"] >= 3 and overview["totals"]["name"] == "合计"
    # not for a unit's user
    denied = await tasks.get("/v1/overview", headers=county["users"]["bureau"]["headers"])
    assert denied.status_code == 403, denied.text
