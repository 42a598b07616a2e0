"""Input the database cannot take is a 422 (or a 400 for a forged cursor), never a 500: each case below
is one the OpenAPI fuzzing (test_fuzz.py) found, or one of its kind, pinned here to run fast."""

import base64
import json

import pytest

from tests.conftest import unique
from tests.platform.test_errors import assert_problem

INT8_MAX = 2**63 - 1


def _cursor(value) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


async def test_nul_in_a_json_body_is_refused_and_named(tasks, office):
    response = await tasks.post(
        "/v1/units", json={"name": "测试\x00局", "kind": "department"}, headers=office["headers"]
    )
    body = assert_problem(response, 422, "validation_failed")
    assert body["errors"][0]["loc"] == ["body", "name"]
    assert body["errors"][0]["code"] == "invalid_character" and body["errors"][0]["message_zh"]


async def test_nul_in_a_query_or_a_form_is_refused(tasks, office):
    body = assert_problem(await tasks.get("/v1/units?q=a%00b", headers=office["headers"]), 422, "validation_failed")
    assert body["errors"][0]["loc"] == ["query", "q"]
    response = await tasks.post("/v1/auth/token", data={"username": "a\x00b", "password": "whatever1"})
    assert assert_problem(response, 422, "validation_failed")["errors"][0]["loc"] == ["body", "username"]


async def test_an_id_past_bigint_is_refused_and_the_last_bigint_is_merely_absent(tasks, office):
    body = assert_problem(
        await tasks.get(f"/v1/units/{INT8_MAX + 1}", headers=office["headers"]), 422, "validation_failed"
    )
    assert body["errors"][0] == {
        "loc": ["path", "unit_id"],
        "code": "int_out_of_range",
        "message": body["errors"][0]["message"],
        "message_zh": body["errors"][0]["message_zh"],
    }
    assert (await tasks.get(f"/v1/units/{INT8_MAX}", headers=office["headers"])).status_code == 404
    many = await tasks.get(f"/v1/units?id=1&id={-(2**63) - 1}", headers=office["headers"])
    assert assert_problem(many, 422, "validation_failed")["errors"][0]["loc"] == ["query", "id"]
    huge_in_body = await tasks.post(
        "/v1/units",
        json={"name": unique("测试局-"), "kind": "department", "parent_id": 2**70},
        headers=office["headers"],
    )
    assert assert_problem(huge_in_body, 422, "validation_failed")["errors"][0]["loc"] == ["body", "parent_id"]


async def test_the_openapi_document_gives_integer_parameters_the_bigint_range(tasks):
    spec = (await tasks.get("/openapi.json")).json()
    (param,) = [p for p in spec["paths"]["/v1/units/{unit_id}"]["get"]["parameters"] if p["name"] == "unit_id"]
    assert param["schema"]["maximum"] == INT8_MAX and param["schema"]["minimum"] == -(2**63)
    (limit,) = [p for p in spec["paths"]["/v1/units"]["get"]["parameters"] if p["name"] == "limit"]
    assert limit["schema"]["maximum"] == 500  # its own bound is kept


@pytest.mark.parametrize("forged", [["zzz"], [2**70], [{"a": 1}], [], ["2020-01-01", 1], [None], "x\x00"])
async def test_a_forged_cursor_is_a_400(tasks, office, forged):
    for path in ("/v1/units", "/v1/plans", "/v1/users"):
        response = await tasks.get(f"{path}?cursor={_cursor(forged)}", headers=office["headers"])
        assert_problem(response, 400, "bad_request")


async def test_a_page_two_cursor_still_works(tasks, office, make_unit):
    for _ in range(3):
        await make_unit()
    first = (await tasks.get("/v1/units?limit=2", headers=office["headers"])).json()
    second = await tasks.get(f"/v1/units?limit=2&cursor={first['next_cursor']}", headers=office["headers"])
    assert second.status_code == 200
    assert {u["id"] for u in second.json()["items"]}.isdisjoint(u["id"] for u in first["items"])


async def test_template_preview_refuses_an_unknown_kind_and_names_a_missing_value(notify, admin):
    unknown = await notify.post("/v1/templates/email/preview", json={"lang": "zh"}, headers=admin["headers"])
    assert_problem(unknown, 422, "validation_failed")
    missing = await notify.post(
        "/v1/templates/remind/preview", json={"lang": "en", "context": {"unit_name": "x"}}, headers=admin["headers"]
    )
    body = assert_problem(missing, 422, "validation_failed")
    assert body["errors"][0]["loc"][:2] == ["body", "context"]
    sample = await notify.post("/v1/templates/remind/preview", json={"lang": "zh"}, headers=admin["headers"])
    assert sample.status_code == 200 and sample.json()["subject"]


async def test_a_plan_title_with_control_characters_still_exports(tasks, office):
    plan = await tasks.post(
        "/v1/plans", json={"title": unique("示范\x0b方案-"), "issuer": "测试县人民政府"}, headers=office["headers"]
    )
    assert plan.status_code == 201, plan.text
    export = await tasks.get(f"/v1/plans/{plan.json()['id']}/breakdown.xlsx", headers=office["headers"])
    assert export.status_code == 200, export.text
    assert export.content[:2] == b"PK"


async def test_a_period_in_year_zero_is_refused(scoring, admin):
    response = await scoring.post(
        "/v1/benchmarks", json={"indicator_id": 1, "period": "0000", "value": 1.0}, headers=admin["headers"]
    )
    assert assert_problem(response, 422, "validation_failed")["errors"][0]["loc"] == ["body", "period"]


async def test_an_endpoint_that_reads_its_own_body_still_can(tasks, office):
    """The input guard never touches a body FastAPI did not parse (plan-drafts reads its multipart itself)."""
    boundary = "0d37f771f3609e9baf6be26654101f5f"
    broken = await tasks.post(
        "/v1/plan-drafts",
        content=f"--{boundary}\r\nTrue--{boundary}--\r\n".encode(),
        headers={**office["headers"], "Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert 400 <= broken.status_code < 500, broken.text
    two_files = await tasks.post(
        "/v1/plan-drafts",
        files=[("file", ("a.txt", b"x", "text/plain")), ("file", ("b.txt", b"y", "text/plain"))],
        headers=office["headers"],
    )
    assert two_files.status_code == 400, two_files.text  # its own max_files=1 still holds


@pytest.mark.parametrize(
    ("path", "forged"),
    [
        ("/v1/me/assignments?unit_id=1", ["zzz", 1]),
        ("/v1/me/assignments?unit_id=1", ["2026-01-01"]),
        ("/v1/deadlines?from=2026-01-01&to=2026-12-31", ["assignment", "zzz", 1]),
        ("/v1/deadlines?from=2026-01-01&to=2026-12-31", ["report", "2026-01-01", "x", 1]),
    ],
)
async def test_a_forged_cursor_of_a_compound_key_is_a_400(tasks, admin, path, forged):
    assert_problem(await tasks.get(f"{path}&cursor={_cursor(forged)}", headers=admin["headers"]), 400, "bad_request")


def test_exports_drop_control_characters_a_pasted_title_can_hold():
    from datetime import date
    from types import SimpleNamespace

    from luoshi_notify.planning.bulletin import bulletin_docx, compile_bulletin
    from luoshi_scoring.service.export import results_xlsx

    line = SimpleNamespace(kind="indicator", ref="1", name="合格率\x02", points=1.0)
    card = SimpleNamespace(
        rank=1, unit_name="质监局\x01", unit_id=1, lines=[line], total=1.0, percent=100.0, grade="优"
    )
    run = SimpleNamespace(period="2026", run_version=1)
    assert results_xlsx("示范\x0b方案", run, [card])[:2] == b"PK"
    bulletin = compile_bulletin(date(2026, 11, 30), [], [], {}, plan_title="示范\x0b方案")
    assert bulletin_docx(bulletin)[:2] == b"PK"


async def test_an_indicator_the_scoring_engine_could_not_score_is_refused(scoring, admin):
    """It used to be stored, and every assessment run of its plan then failed."""
    body = {"plan_id": 1, "name": "增速区间", "comparator": "range", "target": 5, "target_high": 3, "weight": 1}
    response = await scoring.post(
        "/v1/indicators", json={**body, "rule": {"kind": "pass_fail"}}, headers=admin["headers"]
    )
    assert_problem(response, 422, "validation_failed")


async def test_a_patch_cannot_null_what_must_have_a_value(tasks, office, make_unit):
    unit = await make_unit()
    etag = (await tasks.get(f"/v1/units/{unit['id']}", headers=office["headers"])).headers["etag"]
    for body in ({"name": None}, {"kind": None}, {"aliases": None}):
        response = await tasks.patch(
            f"/v1/units/{unit['id']}", json=body, headers={**office["headers"], "If-Match": etag}
        )
        assert_problem(response, 422, "validation_failed")
    orphan = await tasks.patch(
        f"/v1/units/{unit['id']}", json={"parent_id": INT8_MAX}, headers={**office["headers"], "If-Match": etag}
    )
    assert_problem(orphan, 404, "unit_not_found")  # was a foreign-key violation, a 500
    cleared = await tasks.patch(
        f"/v1/units/{unit['id']}", json={"short_name": None}, headers={**office["headers"], "If-Match": etag}
    )
    assert cleared.status_code == 200 and cleared.json()["short_name"] is None  # nullable columns still clear
    spec = (await tasks.get("/openapi.json")).json()["components"]["schemas"]["UnitUpdate"]["properties"]
    assert spec["name"]["type"] == "string" and "anyOf" not in spec["name"]


def test_the_safety_net_maps_only_data_the_client_sent_to_a_422():
    """What validation missed and PostgreSQL refused as data is the client's fault; a server bug stays a 500."""
    from asyncpg import exceptions as pg
    from sqlalchemy.exc import DBAPIError

    from luoshi.errors import _is_client_data_error

    encoded = pg.DataError("invalid input for query argument $1: 99999999999999999999 (value out of int64 range)")
    wrapped = DBAPIError("SELECT 1", {}, pg.StringDataRightTruncationError("value too long for type varchar(50)"))
    for client_fault in (encoded, wrapped, pg.NumericValueOutOfRangeError("integer out of range")):
        assert _is_client_data_error(client_fault)
    for server_fault in (pg.DivisionByZeroError("division by zero"), pg.DataError("expected str, got int")):
        assert not _is_client_data_error(server_fault)
