"""Structured JSON logs (structlog) with the request id on every line.

Our own log calls take structlog's fast path (a filtering bound logger writing bytes rendered by orjson);
libraries that log through the standard library (uvicorn, SQLAlchemy, Alembic) are rendered to the same
JSON shape by structlog's ProcessorFormatter.
"""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any

import orjson
import structlog

from luoshi.context import request_id_var


def _add_request_id(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    rid = request_id_var.get()
    if rid is not None:
        event.setdefault("request_id", rid)
    return event


def _rename_logger_name(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    if "logger_name" in event:
        event["logger"] = event.pop("logger_name")
    return event


def _serialize(value: Any, **_: Any) -> bytes:
    return orjson.dumps(value, default=str)


class _StdoutLogger:
    """Writes each rendered line to whatever sys.stdout is now (test runners swap it), flushed, so a
    line is in the log file when the response is."""

    def msg(self, message: bytes) -> None:
        out = sys.stdout
        buffer = getattr(out, "buffer", None)
        if buffer is not None:
            buffer.write(message + b"\n")
            buffer.flush()
        else:
            out.write(message.decode() + "\n")

    debug = info = warning = warn = error = critical = exception = fatal = log = msg


_JSON_ACCESS = {"on": False}
"""Whether access lines take the fast path: set by configure_logging (JSON at INFO or below)."""


def configure_logging(service: str, level: str = "INFO", json: bool = True) -> None:
    def add_service(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
        event["service"] = service
        return event

    shared: list[Any] = [
        _rename_logger_name,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_request_id,
        add_service,
    ]
    numeric = logging.getLevelNamesMapping().get(level.upper(), logging.INFO)
    _JSON_ACCESS["on"] = json and numeric <= logging.INFO
    if json:
        structlog.configure(
            processors=[*shared, structlog.processors.format_exc_info, structlog.processors.JSONRenderer(_serialize)],
            wrapper_class=structlog.make_filtering_bound_logger(numeric),
            logger_factory=lambda *_: _StdoutLogger(),
            cache_logger_on_first_use=True,
        )
        renderer: Any = structlog.processors.JSONRenderer(lambda v, **_: orjson.dumps(v, default=str).decode())
    else:
        structlog.configure(
            processors=[*shared, structlog.dev.ConsoleRenderer()],
            wrapper_class=structlog.make_filtering_bound_logger(numeric),
            logger_factory=structlog.PrintLoggerFactory(),
            cache_logger_on_first_use=True,
        )
        renderer = structlog.dev.ConsoleRenderer()
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*shared, structlog.stdlib.add_logger_name],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(numeric)
    # uvicorn's access log repeats ours, without the request id.
    logging.getLogger("uvicorn.access").handlers[:] = []
    logging.getLogger("uvicorn.access").propagate = False
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


def get_logger(name: str) -> Any:
    return structlog.get_logger(**{"logger_name": name})


class AccessLog:
    """One line per request. It is on every request's path, so in JSON mode it is written straight by orjson in
    the shape structlog gives every other line (event, level, logger, timestamp, request_id, service): a quarter
    of structlog's cost, which runs its processor chain per line. Otherwise (console output, a level above INFO)
    it goes through structlog like any line. Lines are written by batch (`RequestRecorder`): each goes into stdout's
    buffer, and `flush` sends the batch out in one write."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.log = get_logger("luoshi.access")

    def request(
        self, request_id: str, method: str, path: str, route: str, status: int, ms: float, at: float | None = None
    ) -> None:
        """`at`: when the request was answered (a Unix time), if not now."""
        if not _JSON_ACCESS["on"]:
            # by name: a batch is written after its requests, when their request id is no longer the context's
            self.log.info("request", request_id=request_id, method=method, path=path, route=route, status=status, ms=ms)
            return
        self._write(
            orjson.dumps(
                {
                    "method": method,
                    "path": path,
                    "route": route,
                    "status": status,
                    "ms": ms,
                    "event": "request",
                    "logger": "luoshi.access",
                    "level": "info",
                    "timestamp": (datetime.now(UTC) if at is None else datetime.fromtimestamp(at, UTC))
                    .isoformat()
                    .replace("+00:00", "Z"),
                    "request_id": request_id,
                    "service": self.service,
                }
            )
        )

    def _write(self, line: bytes) -> None:
        buffer = getattr(sys.stdout, "buffer", None)  # whatever stdout is now: test runners swap it
        if buffer is None:  # a text stream: written through
            _StdoutLogger().msg(line)
            return
        buffer.write(line + b"\n")

    def flush(self) -> None:
        """What was written so far, out now (a batch of lines is complete)."""
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            return
        try:
            buffer.flush()
        except ValueError:  # closed meanwhile (a test runner's capture ended)
            pass
