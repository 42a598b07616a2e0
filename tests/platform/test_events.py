"""`/v1/events` is one router (luoshi.routers.events_router) in tasks-api and scoring-api, with one rule for who
reads it: services, admins and office users — the office of any county, since the outbox is the service's, not a
plan's; anyone else signed in gets the same 403 problem from both services."""

from __future__ import annotations

from luoshi.auth import make_service_token
from tests.conftest import unique
from tests.platform.test_errors import assert_problem


async def test_both_services_give_every_reader_the_same_answer(tasks, scoring, tasks_app, make_unit, make_user):
    county = await make_unit(kind="government", level="county", name=unique("甲县人民政府-"))
    office_unit = await make_unit(parent_id=county["id"], name=unique("甲县质量强县办-"))
    other_county = await make_unit(kind="government", level="county", name=unique("乙县人民政府-"))
    bureau = await make_unit(parent_id=county["id"], name=unique("甲县市场监管局-"))
    office = await make_user("office", unit_id=office_unit["id"])
    stranger = await make_user("office", unit_id=other_county["id"])
    unit_user = await make_user("unit", unit_id=bureau["id"])
    leader = await make_user("leader")
    secret = tasks_app.state.settings.service_secret.get_secret_value()
    service = {"Authorization": f"Bearer {make_service_token(secret, 'notify')}"}

    for who, headers in (("service", service), ("office", office["headers"]), ("other county", stranger["headers"])):
        answers = {}
        for name, client in (("tasks", tasks), ("scoring", scoring)):
            r = await client.get("/v1/events?limit=5", headers=headers)
            assert r.status_code == 200, (who, name, r.text)
            assert set(r.json()) == {"items", "next_cursor"}
            answers[name] = r.status_code
        assert answers["tasks"] == answers["scoring"], who

    for who, headers in (("unit", unit_user["headers"]), ("leader", leader["headers"])):
        bodies = [
            assert_problem(await client.get("/v1/events", headers=headers), 403, "forbidden")
            for client in (tasks, scoring)
        ]
        assert bodies[0]["detail"] == bodies[1]["detail"], who

    for client in (tasks, scoring):
        assert_problem(await client.get("/v1/events"), 401, "unauthenticated")
