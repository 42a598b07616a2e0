"""Who may manage a plan means the same in all three services (luoshi.plan_access): its office and the office
user who created it may; an office user of another county office may not — not its tasks in tasks-api, not its
indicators in scoring-api, not its reminder rules or bulletins in notify; and only an admin sets the rules
every plan without its own follows."""

from __future__ import annotations

from tests.conftest import unique
from tests.platform.test_errors import assert_problem


async def test_the_creator_and_the_office_may_another_office_may_not(tasks, scoring, notify, make_unit, make_user):
    county = await make_unit(kind="government", level="county", name=unique("甲县人民政府-"))
    office_unit = await make_unit(parent_id=county["id"], name=unique("甲县质量强县办-"))
    creator_unit = await make_unit(parent_id=county["id"], name=unique("甲县市场监管局-"))
    other_county = await make_unit(kind="government", level="county", name=unique("乙县人民政府-"))
    creator = await make_user("office", unit_id=creator_unit["id"])
    office = await make_user("office", unit_id=office_unit["id"])
    stranger = await make_user("office", unit_id=other_county["id"])

    r = await tasks.post(
        "/v1/plans",
        json={"title": unique("甲县质量强县方案-"), "issuer": county["name"], "office_unit": office_unit["id"]},
        headers=creator["headers"],
    )
    assert r.status_code == 201, r.text
    plan = r.json()
    assert plan["office_unit_id"] == office_unit["id"]

    # tasks-api: a task of the plan
    for who, status in ((stranger, 403), (creator, 201), (office, 201)):
        r = await tasks.post(
            f"/v1/plans/{plan['id']}/tasks",
            json={"title": "建立质量档案", "lead_unit": creator_unit["id"]},
            headers=who["headers"],
        )
        assert r.status_code == status, (who["username"], r.text)

    # scoring-api: an indicator of the plan, then a change to it (decided on scoring's own row)
    indicator = {
        "plan_id": plan["id"],
        "name": "产品质量监督抽查合格率",
        "unit": "%",
        "comparator": ">=",
        "target": 90,
        "weight": 10,
        "rule": {"kind": "pass_fail"},
    }
    assert_problem(await scoring.post("/v1/indicators", json=indicator, headers=stranger["headers"]), 403, "forbidden")
    made = await scoring.post("/v1/indicators", json=indicator, headers=creator["headers"])
    assert made.status_code == 201, made.text
    url = f"/v1/indicators/{made.json()['id']}"
    etag = made.headers["etag"]
    r = await scoring.patch(url, json={"target": 95}, headers={**stranger["headers"], "If-Match": etag})
    assert_problem(r, 403, "forbidden")
    r = await scoring.patch(url, json={"target": 95}, headers={**creator["headers"], "If-Match": etag})
    assert r.status_code == 200 and r.json()["target"] == 95, r.text
    r = await scoring.patch(url, json={"target": 96}, headers={**office["headers"], "If-Match": r.headers["etag"]})
    assert r.status_code == 200, r.text

    # notify: the plan's reminder rules and its bulletin
    rules = {"rules": {"send_hour": 8}}
    r = await notify.put(f"/v1/rules/{plan['id']}", json=rules, headers=stranger["headers"])
    assert_problem(r, 403, "forbidden")
    r = await notify.put(f"/v1/rules/{plan['id']}", json=rules, headers=creator["headers"])
    assert r.status_code == 200, r.text
    # a change needs the version read: `If-Match: *` (how the probe of issue 14 overwrote rules) is refused
    r = await notify.put(f"/v1/rules/{plan['id']}", json=rules, headers={**creator["headers"], "If-Match": "*"})
    assert_problem(r, 428, "if_match_required")
    r = await notify.post(
        "/v1/bulletins", json={"plan_id": plan["id"], "period_due_on": "2026-10-30"}, headers=stranger["headers"]
    )
    assert_problem(r, 403, "forbidden")
    # the defaults every plan follows: an admin's
    r = await notify.put("/v1/rules/0", json=rules, headers=office["headers"])
    assert_problem(r, 403, "forbidden")
