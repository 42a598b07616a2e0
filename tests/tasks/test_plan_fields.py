"""A plan's fields read and write the same names: `office_unit_id` and `issuer_unit_id` are written as they
are read, and take a unit by id or by any of its names (full, short, alias) — the office's short name as
/v1/me shows it too. The old write names (`office_unit`, `issuer`) still work."""

from tests.conftest import unique


async def test_a_plan_takes_its_office_by_the_names_it_reads(tasks, make_user, make_unit):
    gov = await make_unit(kind="government", level="county", name=unique("字段县人民政府-"))
    # the office's unit stands outside the issuer's tree (a zone committee under the city, say)
    office_unit = await make_unit(
        kind="zone_committee",
        name=unique("字段县产业集聚区管理委员会-"),
        short_name=unique("集聚区管委会"),
        aliases=[unique("创建办")],
    )
    office = await make_user("office", unit_id=office_unit["id"])
    me = (await tasks.get("/v1/me", headers=office["headers"])).json()
    assert me["unit"]["short_name"] == office_unit["short_name"]

    made = []
    for ref in (office_unit["id"], me["unit"]["short_name"], office_unit["name"], office_unit["aliases"][0]):
        plan = await tasks.post(
            "/v1/plans",
            json={"title": unique("字段方案-"), "issuer_unit_id": gov["id"], "office_unit_id": ref},
            headers=office["headers"],
        )
        assert plan.status_code == 201, plan.text
        assert (plan.json()["issuer_unit_id"], plan.json()["office_unit_id"]) == (gov["id"], office_unit["id"])
        made.append(plan.json())

    old = await tasks.post(  # the old write names
        "/v1/plans",
        json={"title": unique("字段方案-"), "issuer": gov["name"], "office_unit": office_unit["short_name"]},
        headers=office["headers"],
    )
    assert old.status_code == 201, old.text
    assert old.json()["office_unit_id"] == office_unit["id"]

    plan = made[0]
    etag = (await tasks.get(f"/v1/plans/{plan['id']}", headers=office["headers"])).headers["etag"]
    changed = await tasks.patch(
        f"/v1/plans/{plan['id']}",
        json={"office_unit_id": office_unit["name"]},
        headers={**office["headers"], "If-Match": etag},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["office_unit_id"] == office_unit["id"]

    both = await tasks.post(
        "/v1/plans",
        json={"title": unique("字段方案-"), "issuer": gov["name"], "office_unit": 1, "office_unit_id": 2},
        headers=office["headers"],
    )
    assert both.status_code == 422
    assert [e["loc"] for e in both.json()["errors"]] == [["body", "office_unit"]]


async def test_a_parent_task_of_another_plan_is_refused(tasks, office, plan_setup):
    other = await tasks.post(
        "/v1/plans",
        json={"title": unique("另一方案-"), "issuer_unit_id": plan_setup["units"]["gov"]["id"]},
        headers=office["headers"],
    )
    assert other.status_code == 201, other.text
    child = await tasks.post(
        f"/v1/plans/{other.json()['id']}/tasks",
        json={"title": "下级任务", "parent_id": plan_setup["task"]["id"]},
        headers=office["headers"],
    )
    assert child.status_code == 422, child.text
    assert child.json()["code"] == "reference_outside_plan"
    assert [e["loc"] for e in child.json()["errors"]] == [["body", "parent_id"]]
