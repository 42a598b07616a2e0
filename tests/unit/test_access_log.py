"""The access log: one JSON line per request in the shape of every other line, with the request id."""

from __future__ import annotations

import json
from datetime import UTC

import pytest

from luoshi.context import request_id_var
from luoshi.logging import AccessLog, configure_logging, get_logger


def lines(captured: str) -> list[dict]:
    return [json.loads(line) for line in captured.splitlines() if line.strip()]


def test_an_access_line_has_the_shape_of_every_other_line(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():  # the logging handler on the real stdout, not on this test's capture (closed after it)
        configure_logging("tasks-api")
    token = request_id_var.set("req-42")
    try:
        get_logger("luoshi.access").info("request", method="GET", path="/v1/units/7", route="/v1/units/{unit_id}")
        AccessLog("tasks-api").request("req-42", "GET", "/v1/units/7", "/v1/units/{unit_id}", 200, 1.25)
    finally:
        request_id_var.reset(token)
    other, access = lines(capsys.readouterr().out)
    assert set(access) == set(other) | {"status", "ms"}
    assert {k: access[k] for k in ("event", "level", "logger", "request_id", "service")} == {
        "event": "request",
        "level": "info",
        "logger": "luoshi.access",
        "request_id": "req-42",
        "service": "tasks-api",
    }
    assert (access["method"], access["path"], access["route"], access["status"], access["ms"]) == (
        "GET",
        "/v1/units/7",
        "/v1/units/{unit_id}",
        200,
        1.25,
    )
    assert access["timestamp"].endswith("Z") and access["timestamp"][:4] == other["timestamp"][:4]


def test_no_access_line_above_info_and_a_plain_one_on_the_console(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("tasks-api", level="WARNING")
    AccessLog("tasks-api").request("r", "GET", "/v1/plans", "/v1/plans", 200, 3.0)
    assert capsys.readouterr().out == ""
    configure_logging("tasks-api", json=False)
    AccessLog("tasks-api").request("req-on-console", "GET", "/v1/plans", "/v1/plans", 200, 3.0)
    out = capsys.readouterr().out
    assert "request" in out and "/v1/plans" in out and not out.lstrip().startswith("{")
    assert "req-on-console" in out  # named, though no request is in progress when a batch is written
    with capsys.disabled():  # the logging handler on the real stdout, not on this test's capture (closed after it)
        configure_logging("tasks-api")


def _count(service: str, route: str, status: str) -> float:
    from luoshi.metrics import REGISTRY

    value = REGISTRY.get_sample_value(
        "luoshi_http_requests_total", {"service": service, "method": "GET", "route": route, "status": status}
    )
    return value or 0.0


async def test_requests_are_recorded_in_batches_and_a_flush_loses_none(capsys: pytest.CaptureFixture[str]) -> None:
    """On a running loop a request's line and counts wait for the batch; a flush (a scrape, shutdown) writes every
    one of them, each with the time it was answered."""
    from datetime import datetime

    from luoshi.requestrecord import RequestRecorder, flush_all

    with capsys.disabled():  # the logging handler on the real stdout, not on this test's capture (closed after it)
        configure_logging("tasks-api")
    recorder = RequestRecorder("batch-probe")
    before = _count("batch-probe", "/v1/plans/{plan_id}", "200")
    for n in range(3):
        recorder.record(f"req-{n}", "GET", f"/v1/plans/{n}", "/v1/plans/{plan_id}", 200, 0.004)
    recorder.record("probe", "GET", "/healthz", "/healthz", 200, 0.001)
    assert _count("batch-probe", "/v1/plans/{plan_id}", "200") == before  # not yet: the batch waits for the loop
    answered_by = datetime.now(UTC)
    flush_all()
    assert _count("batch-probe", "/v1/plans/{plan_id}", "200") == before + 3
    assert _count("batch-probe", "/healthz", "200") >= 1  # probes are counted ...
    written = [line for line in lines(capsys.readouterr().out) if line.get("service") == "batch-probe"]
    assert [line["request_id"] for line in written] == ["req-0", "req-1", "req-2"]  # ... but not logged
    assert all(line["ms"] == 4.0 and line["path"].startswith("/v1/plans/") for line in written)
    assert all(datetime.fromisoformat(line["timestamp"]) <= answered_by for line in written)
    flush_all()
    assert _count("batch-probe", "/v1/plans/{plan_id}", "200") == before + 3  # counted once


def test_outside_a_loop_a_request_is_recorded_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    from luoshi.requestrecord import RequestRecorder

    with capsys.disabled():
        configure_logging("tasks-api")
    RequestRecorder("once-probe").record("req-1", "GET", "/v1/units/1", "/v1/units/{unit_id}", 404, 0.002)
    assert _count("once-probe", "/v1/units/{unit_id}", "404") == 1
    (line,) = [line for line in lines(capsys.readouterr().out) if line.get("service") == "once-probe"]
    assert (line["request_id"], line["status"]) == ("req-1", 404)


async def test_metrics_count_a_request_answered_just_before_the_scrape(tasks, office) -> None:
    route = "/v1/units/{unit_id}"
    before = _count("tasks-api", route, "404")
    assert (await tasks.get("/v1/units/987654320", headers=office["headers"])).status_code == 404
    scraped = (await tasks.get("/metrics")).text
    (line,) = [
        line
        for line in scraped.splitlines()
        if line.startswith("luoshi_http_requests_total{")
        and all(label in line for label in ('service="tasks-api"', 'method="GET"', f'route="{route}"', 'status="404"'))
    ]
    assert float(line.rsplit(" ", 1)[1]) == before + 1
