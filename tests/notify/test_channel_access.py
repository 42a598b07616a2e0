"""Notification channels belong to the plans they carry: an office cannot add a channel that hears every plan,
nor see, test, take over or redirect another county's channel. Before this, any office user could add an
unscoped webhook and receive every county's escalations."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import unique


def webhook(name: str, plan_ids: list[int] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "kind": "webhook",
        "config": {"url": "https://hooks.example.gov.cn/luoshi", "secret": "s3cret-s3cret-s3cret"},
    }
    if plan_ids is not None:
        body["scope"] = {"plan_ids": plan_ids, "kinds": ["escalate"]}
    return body


@pytest.fixture
async def two_counties(tasks, make_unit, make_user) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for county in ("east", "west"):
        gov = await make_unit(kind="government", level="county", name=unique(f"{county}县人民政府-"))
        office_unit = await make_unit(parent_id=gov["id"], name=unique(f"{county}县督查室-"))
        office = await make_user("office", unit_id=office_unit["id"])
        plan = await tasks.post(
            "/v1/plans",
            json={"title": unique(f"{county}方案-"), "issuer": gov["name"], "office_unit": office_unit["id"]},
            headers=office["headers"],
        )
        assert plan.status_code == 201, plan.text
        out[county] = {"office": office, "plan": plan.json()}
    return out


async def test_only_an_administrator_adds_a_channel_for_every_plan(notify, admin, two_counties):
    east = two_counties["east"]
    r = await notify.post("/v1/channels", json=webhook(unique("全县机器人-")), headers=east["office"]["headers"])
    assert r.status_code == 403, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "plan_ids" in r.json()["detail"]
    r = await notify.post("/v1/channels", json=webhook(unique("全县机器人-")), headers=admin["headers"])
    assert r.status_code == 201, r.text


async def test_an_office_manages_the_channels_of_its_own_plans_only(notify, admin, two_counties):
    east, west = two_counties["east"], two_counties["west"]
    east_h, west_h = east["office"]["headers"], west["office"]["headers"]
    # west cannot point east's notices at itself
    r = await notify.post("/v1/channels", json=webhook(unique("西县-"), [east["plan"]["id"]]), headers=west_h)
    assert r.status_code == 403, r.text
    r = await notify.post(
        "/v1/channels", json=webhook(unique("西县-"), [west["plan"]["id"], east["plan"]["id"]]), headers=west_h
    )
    assert r.status_code == 403, r.text
    # east adds its own
    mine = await notify.post("/v1/channels", json=webhook(unique("东县督办群-"), [east["plan"]["id"]]), headers=east_h)
    assert mine.status_code == 201, mine.text
    channel = mine.json()
    shared = await notify.post("/v1/channels", json=webhook(unique("全县-")), headers=admin["headers"])
    assert shared.status_code == 201

    # west neither sees it nor the administrator's, nor can test, rotate or take it over
    west_sees = {c["id"] for c in (await notify.get("/v1/channels", headers=west_h)).json()["items"]}
    assert channel["id"] not in west_sees and shared.json()["id"] not in west_sees
    east_sees = {c["id"] for c in (await notify.get("/v1/channels", headers=east_h)).json()["items"]}
    assert channel["id"] in east_sees and shared.json()["id"] not in east_sees
    r = await notify.post(f"/v1/channels/{channel['id']}/test", json={"recipient": ""}, headers=west_h)
    assert r.status_code == 403, r.text
    etag = {"If-Match": f'"channel-{channel["id"]}-v{channel["version"]}"'}
    hijack = webhook(channel["name"], [west["plan"]["id"]]) | {"config": {"url": "https://west.example/x"}}
    r = await notify.put(f"/v1/channels/{channel['id']}", json=hijack, headers=west_h | etag)
    assert r.status_code == 403, r.text
    # east cannot widen its channel to every plan, nor change the administrator's
    r = await notify.put(f"/v1/channels/{channel['id']}", json=webhook(channel["name"]), headers=east_h | etag)
    assert r.status_code == 403, r.text
    s = shared.json()
    r = await notify.put(
        f"/v1/channels/{s['id']}",
        json=webhook(s["name"], [east["plan"]["id"]]),
        headers=east_h | {"If-Match": f'"channel-{s["id"]}-v{s["version"]}"'},
    )
    assert r.status_code == 403, r.text
    # what east may do: rotate its own channel's secret
    rotated = webhook(channel["name"], [east["plan"]["id"]])
    rotated["config"]["secret"] = "a-new-s3cret-a-new-s3cret"
    r = await notify.put(f"/v1/channels/{channel['id']}", json=rotated, headers=east_h | etag)
    assert r.status_code == 200, r.text
    # and the stored channel is east's as it left it
    after = {
        c["id"]: c
        for c in (await notify.get("/v1/channels", params={"limit": 500}, headers=admin["headers"])).json()["items"]
    }
    assert after[channel["id"]]["scope"]["plan_ids"] == [east["plan"]["id"]]
    assert after[channel["id"]]["config"]["url"] == "https://hooks.example.gov.cn/luoshi"


async def test_a_scope_names_plans_and_rules_only(notify, admin):
    r = await notify.post(
        "/v1/channels", json=webhook(unique("x-")) | {"scope": {"plan_ids": "all"}}, headers=admin["headers"]
    )
    assert r.status_code == 422 and "plan_ids" in r.text
    r = await notify.post(
        "/v1/channels", json=webhook(unique("x-")) | {"scope": {"units": [1]}}, headers=admin["headers"]
    )
    assert r.status_code == 422 and "units" in r.text
