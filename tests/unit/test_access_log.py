"""The access log: one JSON line per request in the shape of every other line, with the request id."""

from __future__ import annotations

import json

import pytest

from luoshi.context import request_id_var
from luoshi.logging import AccessLog, configure_logging, get_logger


def lines(captured: str) -> list[dict]:
    return [json.loads(line) for line in captured.splitlines() if line.strip()]


def test_an_access_line_has_the_shape_of_every_other_line(capsys: pytest.CaptureFixture[str]) -> None:
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
    AccessLog("tasks-api").request("r", "GET", "/v1/plans", "/v1/plans", 200, 3.0)
    out = capsys.readouterr().out
    assert "request" in out and "/v1/plans" in out and not out.lstrip().startswith("{")
    configure_logging("tasks-api")
