"""Units: create, read with ETag, change with If-Match, list with a cursor, every change audited."""

from tests.conftest import unique
from tests.platform.test_errors import assert_problem


async def test_update_needs_the_current_etag(tasks, office):
    created = await tasks.post(
        "/v1/units", json={"name": unique("县质监局-"), "kind": "department"}, headers=office["headers"]
    )
    unit = created.json()
    read = await tasks.get(f"/v1/units/{unit['id']}", headers=office["headers"])
    etag = read.headers["etag"]
    assert etag == created.headers["etag"]

    missing = await tasks.patch(f"/v1/units/{unit['id']}", json={"aliases": ["质监局"]}, headers=office["headers"])
    assert_problem(missing, 428, "if_match_required")

    first = await tasks.patch(
        f"/v1/units/{unit['id']}", json={"aliases": ["质监局"]}, headers={**office["headers"], "If-Match": etag}
    )
    assert first.status_code == 200, first.text
    assert first.json()["aliases"] == ["质监局"]
    assert first.headers["etag"] != etag

    # a second writer still holding the old ETag loses, and the first change survives
    stale = await tasks.patch(
        f"/v1/units/{unit['id']}", json={"aliases": ["别的"]}, headers={**office["headers"], "If-Match": etag}
    )
    body = assert_problem(stale, 412, "stale_etag")
    assert body["current_etag"] == first.headers["etag"]
    again = await tasks.get(f"/v1/units/{unit['id']}", headers=office["headers"])
    assert again.json()["aliases"] == ["质监局"]


async def test_every_change_is_audited_with_who_and_request_id(tasks, office):
    created = (
        await tasks.post("/v1/units", json={"name": unique("审计局-"), "kind": "department"}, headers=office["headers"])
    ).json()
    etag = (await tasks.get(f"/v1/units/{created['id']}", headers=office["headers"])).headers["etag"]
    await tasks.patch(
        f"/v1/units/{created['id']}",
        json={"short_name": "审计"},
        headers={**office["headers"], "If-Match": etag, "X-Request-ID": "audit-test-42"},
    )
    log = await tasks.get(f"/v1/audit?entity=unit&entity_id={created['id']}", headers=office["headers"])
    entries = log.json()["items"]
    assert [e["action"] for e in entries] == ["update", "create"]
    update = entries[0]
    assert update["actor"] == f"user:{office['username']}"
    assert update["request_id"] == "audit-test-42"
    assert update["before"]["short_name"] is None and update["after"]["short_name"] == "审计"


async def test_list_is_cursor_paginated_and_filterable(tasks, office, make_unit):
    parent = await make_unit(kind="government", level="county")
    children = [await make_unit(parent_id=parent["id"]) for _ in range(5)]
    seen, cursor = [], None
    while True:
        url = f"/v1/units?parent_id={parent['id']}&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = (await tasks.get(url, headers=office["headers"])).json()
        seen += [u["id"] for u in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [c["id"] for c in children]
    by_alias = await make_unit(aliases=[unique("别名")])
    found = (await tasks.get("/v1/units", params={"q": by_alias["aliases"][0]}, headers=office["headers"])).json()
    assert [u["id"] for u in found["items"]] == [by_alias["id"]]


async def test_unit_cannot_become_its_own_ancestor(tasks, office, make_unit):
    top = await make_unit()
    below = await make_unit(parent_id=top["id"])
    etag = (await tasks.get(f"/v1/units/{top['id']}", headers=office["headers"])).headers["etag"]
    response = await tasks.patch(
        f"/v1/units/{top['id']}", json={"parent_id": below["id"]}, headers={**office["headers"], "If-Match": etag}
    )
    assert_problem(response, 422, "unit_cycle")


async def test_duplicate_name_is_a_conflict(tasks, office, make_unit):
    unit = await make_unit()
    response = await tasks.post(
        "/v1/units", json={"name": unit["name"], "kind": "department"}, headers=office["headers"]
    )
    assert_problem(response, 409, "unit_name_taken")


async def test_a_listed_unit_is_the_unit_as_created(tasks, office, make_unit, database_url):
    """The list is written straight from rows (a list the console reads most): each unit is the JSON its creation
    answered with, field for field, and a contact stored without its optional fields (by an import, a migration)
    reads with their defaults, as one entered through the API does."""
    import asyncpg

    parent = await make_unit(kind="government", level="county")
    contact = {"name": "王强", "title": "局长", "phone": "0370-1234567", "email": None, "is_head": True}
    created = [
        await make_unit(parent_id=parent["id"], contacts=[contact], aliases=[unique("别名")]),
        await make_unit(parent_id=parent["id"]),
    ]
    listed = (await tasks.get(f"/v1/units?parent_id={parent['id']}", headers=office["headers"])).json()["items"]
    assert listed == created
    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute(
            """UPDATE tasks.unit SET contacts = '[{"name": "李娜"}]'::jsonb WHERE id = $1""", created[1]["id"]
        )
    finally:
        await conn.close()
    listed = (await tasks.get(f"/v1/units?parent_id={parent['id']}", headers=office["headers"])).json()["items"]
    assert listed[1]["contacts"] == [{"name": "李娜", "title": None, "phone": None, "email": None, "is_head": False}]


async def test_each_filter_of_the_units_list_keeps_what_it_names(tasks, office, make_unit):
    tag = unique("滤")
    county = await make_unit(kind="government", level="county", name=f"{tag}县人民政府")
    bureau = await make_unit(parent_id=county["id"], name=f"{tag}县市场监督管理局", short_name=f"{tag}市监")
    zone = await make_unit(kind="zone_committee", name=f"{tag}产业集聚区管理委员会", aliases=[f"{tag}园区"])
    ours = {u["id"] for u in (county, bureau, zone)}

    async def ids(**params: object) -> list[int]:
        page = await tasks.get("/v1/units", params={"limit": 200, **params}, headers=office["headers"])
        assert page.status_code == 200, page.text
        return [u["id"] for u in page.json()["items"] if u["id"] in ours]

    assert await ids(q=f"{tag}县") == [county["id"], bureau["id"]]  # by a part of the name
    assert await ids(q=f"{tag}市监") == [bureau["id"]]  # by short name
    assert await ids(q=f"{tag}园区") == [zone["id"]]  # by alias
    assert await ids(q=f"{tag}%") == []  # LIKE's own characters are matched as themselves
    assert await ids(q=tag, kind="government") == [county["id"]]
    assert await ids(id=[zone["id"], bureau["id"]]) == [bureau["id"], zone["id"]]
    assert await ids(id=[county["id"], bureau["id"], zone["id"]], root_only="true") == [county["id"], zone["id"]]
    assert await ids(parent_id=county["id"], root_only="true") == [bureau["id"]]  # a parent named wins
