"""A plan's report schedule is written as plans write it (issue 17: `每月25日` as text was a 422, so a plan
accepted from a draft had no schedule, and its bulletins said nobody was late). The draft's accept is tested in
test_draft_dead_ends.py."""

from __future__ import annotations

from tests.conftest import unique


async def test_a_plan_takes_its_schedule_in_words(tasks, office, make_unit):
    gov = await make_unit(kind="government", level="county", name=unique("报送县人民政府-"))
    body = {
        "title": unique("报送方案-"),
        "issuer_unit_id": gov["id"],
        "status": "active",
        "report_schedule": "每季度末",
    }
    made = await tasks.post("/v1/plans", json=body, headers=office["headers"])
    assert made.status_code == 201, made.text
    schedule = made.json()["report_schedule"]
    assert (schedule["kind"], schedule["frequency"]) == ("recurring", "quarterly")
    changed = await tasks.patch(
        f"/v1/plans/{made.json()['id']}",
        json={"report_schedule": "每月25日"},
        headers={**office["headers"], "If-Match": made.headers["etag"]},
    )
    assert changed.status_code == 200, changed.text
    schedule = changed.json()["report_schedule"]
    assert (schedule["frequency"], schedule["day"]) == ("monthly", 25)
    refused = await tasks.patch(
        f"/v1/plans/{made.json()['id']}",
        json={"report_schedule": "看情况报送"},
        headers={**office["headers"], "If-Match": changed.headers["etag"]},
    )
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["errors"]
    assert problem["loc"] == ["body", "report_schedule"] and problem["code"] == "schedule_unreadable"
    assert problem["message_zh"].startswith("报送时间无法识别")
