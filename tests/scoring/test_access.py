"""Who may do what in scoring-api: units their own values, the plan's office the rest, leaders read only;
stale writes lose; bad values are refused with the field named."""

from tests.platform.test_errors import assert_problem


async def make_indicator(scoring, office, plan_setup, **extra):
    r = await scoring.post(
        "/v1/indicators",
        json={
            "plan_id": plan_setup["plan"]["id"],
            "name": "主导产品监督抽查合格率",
            "unit": "%",
            "comparator": ">=",
            "target": 90,
            "weight": 10,
            "rule": {"kind": "pass_fail"},
            "unit_ids": [plan_setup["units"]["a"]["id"], plan_setup["units"]["b"]["id"]],
            **extra,
        },
        headers=office["headers"],
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_units_enter_and_see_only_their_own(scoring, office, plan_setup):
    ind = await make_indicator(scoring, office, plan_setup)
    users, units = plan_setup["users"], plan_setup["units"]
    url = f"/v1/indicators/{ind['id']}/values"
    a = await scoring.post(url, json={"period": "2026", "value": 91}, headers=users["a"]["headers"])
    assert a.status_code == 201 and a.json()["unit_id"] == units["a"]["id"]
    b = await scoring.post(url, json={"period": "2026", "value": 88}, headers=users["b"]["headers"])
    assert b.status_code == 201
    # A cannot enter for B, nor read B's value; C does not report this indicator at all
    assert_problem(
        await scoring.post(
            url, json={"period": "2026", "value": 99, "unit_id": units["b"]["id"]}, headers=users["a"]["headers"]
        ),
        403,
        "forbidden",
    )
    assert_problem(
        await scoring.get(f"/v1/values/{b.json()['id']}", headers=users["a"]["headers"]), 404, "value_not_found"
    )
    listed = (await scoring.get(url, headers=users["a"]["headers"])).json()["items"]
    assert [v["unit_id"] for v in listed] == [units["a"]["id"]]
    assert_problem(
        await scoring.post(url, json={"period": "2026", "value": 95}, headers=users["c"]["headers"]), 403, "forbidden"
    )
    # the same period twice is a conflict naming the existing value
    again = assert_problem(
        await scoring.post(url, json={"period": "2026", "value": 92}, headers=users["a"]["headers"]),
        409,
        "value_exists",
    )
    assert again["value_id"] == a.json()["id"]


async def test_values_are_checked_field_by_field(scoring, office, plan_setup, fixed_clock):
    ind = await make_indicator(scoring, office, plan_setup)
    headers = plan_setup["users"]["a"]["headers"]
    url = f"/v1/indicators/{ind['id']}/values"
    for body, loc, code in (
        ({"period": "2026", "value": 120}, "value", "percent_range"),
        ({"period": "2026-Q1", "value": 90}, "period", "period_form"),
        ({"period": "2026", "value": 90, "unit": "个"}, "unit", "unit_mismatch"),
        ({"period": "2099", "value": 90}, "period", "period_not_open"),
    ):
        problem = assert_problem(await scoring.post(url, json=body, headers=headers), 422, "value_invalid")
        assert problem["errors"][0]["loc"] == ["body", loc] and problem["errors"][0]["code"] == code


async def test_leader_reads_only_and_stale_if_match_loses(scoring, office, plan_setup, make_user):
    ind = await make_indicator(scoring, office, plan_setup)
    leader = await make_user("leader")
    assert (await scoring.get(f"/v1/indicators/{ind['id']}", headers=leader["headers"])).status_code == 200
    assert_problem(
        await scoring.post(
            "/v1/benchmarks", json={"indicator_id": ind["id"], "period": "2026", "value": 80}, headers=leader["headers"]
        ),
        403,
        "forbidden",
    )
    headers = plan_setup["users"]["a"]["headers"]
    value = (
        await scoring.post(f"/v1/indicators/{ind['id']}/values", json={"period": "2026", "value": 91}, headers=headers)
    ).json()
    stale = f'"value-{value["id"]}-v{value["version"]}"'
    r = await scoring.patch(f"/v1/values/{value['id']}", json={"value": 93}, headers={**headers, "If-Match": stale})
    assert r.status_code == 200
    assert_problem(
        await scoring.patch(f"/v1/values/{value['id']}", json={"value": 94}, headers={**headers, "If-Match": stale}),
        412,
        "stale_etag",
    )
    assert_problem(
        await scoring.patch(f"/v1/values/{value['id']}", json={"value": 94}, headers=headers), 428, "if_match_required"
    )
    # a unit cannot verify; the office can
    etag = (await scoring.get(f"/v1/values/{value['id']}", headers=office["headers"])).headers["etag"]
    assert_problem(
        await scoring.post(f"/v1/values/{value['id']}/verify", headers={**headers, "If-Match": etag}), 403, "forbidden"
    )
    verified = await scoring.post(f"/v1/values/{value['id']}/verify", headers={**office["headers"], "If-Match": etag})
    assert verified.status_code == 200 and verified.json()["status"] == "verified"


async def test_indicator_of_an_unknown_plan_is_refused(scoring, office):
    r = await scoring.post(
        "/v1/indicators",
        json={
            "plan_id": 987654321,
            "name": "不存在的方案的指标",
            "weight": 5,
            "rule": {"kind": "pass_fail"},
            "target": 1,
        },
        headers=office["headers"],
    )
    assert_problem(r, 404, "plan_not_found")
