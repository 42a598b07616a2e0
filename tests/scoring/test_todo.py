"""待办 in scoring-api (issue 17): the plan's office finds the values its units entered waiting to be verified,
and loses them from its queue once verified; another office and the units themselves see none of them."""

from __future__ import annotations

from tests.tasks.conftest import all_todo, office_plan

__all__ = ["office_plan"]


async def test_the_office_verifies_what_its_units_entered(scoring, office_plan):
    plan_id, users, units = office_plan["plan"]["id"], office_plan["users"], office_plan["units"]
    ox, oy, ua = users["ox"], users["oy"], users["ua"]
    indicator = await scoring.post(
        "/v1/indicators",
        json={
            "plan_id": plan_id,
            "name": "主导产品监督抽查合格率",
            "unit": "%",
            "comparator": ">=",
            "target": 90,
            "weight": 10,
            "rule": {"kind": "pass_fail"},
            "unit_ids": [units["a"]["id"], units["b"]["id"]],
        },
        headers=ox["headers"],
    )
    assert indicator.status_code == 201, indicator.text
    value = await scoring.post(
        f"/v1/indicators/{indicator.json()['id']}/values", json={"period": "2026", "value": 92}, headers=ua["headers"]
    )
    assert value.status_code == 201, value.text
    value = value.json()

    queue = [i for i in await all_todo(scoring, ox) if i["plan_id"] == plan_id]
    assert [(i["kind"], i["id"], i["source"]) for i in queue] == [("value.verify", value["id"], "scoring")]
    item = queue[0]
    assert item["path"] == f"/v1/values/{value['id']}" and item["unit_id"] == units["a"]["id"]
    assert "主导产品监督抽查合格率" in item["title"] and "2026" in item["title"]
    current = await scoring.get(item["path"], headers=ox["headers"])
    assert item["etag"] == current.headers["ETag"]
    assert [i for i in await all_todo(scoring, oy) if i["plan_id"] == plan_id] == []
    assert [i for i in await all_todo(scoring, ua) if i["plan_id"] == plan_id] == []

    verified = await scoring.post(f"{item['path']}/verify", headers={**ox["headers"], "If-Match": item["etag"]})
    assert verified.status_code == 200, verified.text
    assert [i for i in await all_todo(scoring, ox) if i["plan_id"] == plan_id] == []
