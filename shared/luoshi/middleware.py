"""One pure-ASGI middleware for the request id, the access log and the metrics.

Pure ASGI rather than BaseHTTPMiddleware: it sits on every hot path and must cost microseconds.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from luoshi.context import REQUEST_ID_HEADER, request_id_var
from luoshi.logging import get_logger
from luoshi.metrics import HTTP_LATENCY, HTTP_REQUESTS

_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_HEADER = REQUEST_ID_HEADER.lower().encode()
_QUIET_ROUTES = {"/healthz", "/readyz", "/metrics"}


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service
        self.log = get_logger("luoshi.access")
        # prometheus_client's labels() takes a lock and builds a key on every call; keep the children.
        self._counters: dict[tuple[str, str, int], Any] = {}
        self._histograms: dict[tuple[str, str], Any] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = None
        for key, value in scope["headers"]:
            if key == _HEADER:
                candidate = value.decode("latin-1")
                if _VALID_ID.match(candidate):
                    rid = candidate
                break
        if rid is None:
            rid = uuid.uuid4().hex
        token = request_id_var.set(rid)
        started = time.perf_counter()
        status = 500
        rid_header = (_HEADER, rid.encode())

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), rid_header]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route: Any = scope.get("route")
            template = getattr(route, "path", None) or "<unmatched>"
            method = scope["method"]
            counter = self._counters.get((method, template, status))
            if counter is None:
                counter = HTTP_REQUESTS.labels(self.service, method, template, str(status))
                self._counters[(method, template, status)] = counter
            counter.inc()
            histogram = self._histograms.get((method, template))
            if histogram is None:
                histogram = HTTP_LATENCY.labels(self.service, method, template)
                self._histograms[(method, template)] = histogram
            histogram.observe(elapsed)
            if template not in _QUIET_ROUTES:
                self.log.info(
                    "request",
                    method=method,
                    path=scope["path"],
                    route=template,
                    status=status,
                    ms=round(elapsed * 1000, 2),
                )
            request_id_var.reset(token)
