"""Lists and jobs as an app behind one origin meets them (issue 16, "Jobs, lists, filters"): every list is a page,
every service refuses a query parameter its operation does not take, and a job's `Location` names the service
that runs it, so following it behind the one origin reaches that service."""

from __future__ import annotations

import pytest

from tests.platform.test_errors import assert_problem
from tests.platform.test_nginx_conf import _locations, route


async def test_every_list_is_a_page(services):
    bare = []
    for name, client in services.items():
        for path, operations in (await client.get("/openapi.json")).json()["paths"].items():
            get = operations.get("get")
            schema = (get or {}).get("responses", {}).get("200", {}).get("content", {}).get("application/json", {})
            if schema.get("schema", {}).get("type") == "array":
                bare.append(f"{name} {path}")
    assert not bare, f"lists that are not pages: {bare}"


@pytest.mark.parametrize(
    ("client_name", "path"), [("tasks", "/v1/units"), ("scoring", "/v1/indicators"), ("notify", "/v1/notifications")]
)
async def test_an_unknown_query_parameter_is_named(services, admin, client_name, path):
    response = await services[client_name].get(path, params={"light": "red", "limit": 5}, headers=admin["headers"])
    body = assert_problem(response, 422, "validation_failed")
    assert [e["loc"] for e in body["errors"]] == [["query", "light"]]


async def test_a_job_location_leads_to_the_service_that_runs_it(services, admin):
    notify = services["notify"]
    started = await notify.post("/v1/sweeps", headers=admin["headers"])
    assert started.status_code == 202, started.text
    location = started.headers["Location"]
    chosen, forwarded = route(location, _locations())
    assert (chosen.upstream, forwarded) == ("notify", location)
    assert (await notify.get(location, headers=admin["headers"])).json()["id"] == started.json()["id"]
    # and no two services answer at the same job path
    job_paths = {}
    for name, client in services.items():
        paths = (await client.get("/openapi.json")).json()["paths"]
        job_paths[name] = next(
            p for p, ops in paths.items() if ops.get("get", {}).get("operationId") == "get_job_status"
        )
    assert len(set(job_paths.values())) == 3, job_paths
    for name, path in job_paths.items():
        assert route(path.replace("{job_id}", "7"), _locations())[0].upstream == name
