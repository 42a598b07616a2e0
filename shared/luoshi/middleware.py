"""One pure-ASGI layer every request crosses: the request id, the body limit, the security headers, the
last-resort 500, and the record of the request (its access log line and metrics, written in batches by
`RequestRecorder`).

Pure ASGI rather than BaseHTTPMiddleware, and one layer rather than one per concern: it sits on every hot path
and must cost microseconds.
"""

from __future__ import annotations

import os
import re
import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from luoshi.bodylimit import BodyLimits, BodyTooLarge, too_large
from luoshi.context import REQUEST_ID_HEADER, request_id_var
from luoshi.errors import app_error_response, unhandled_error_response
from luoshi.headers import SecurityHeaders
from luoshi.logging import get_logger
from luoshi.requestrecord import RequestRecorder

_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_HEADER = REQUEST_ID_HEADER.lower().encode()
_READS = frozenset({"GET", "HEAD", "OPTIONS"})


class RequestContextMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        service: str,
        body_limits: BodyLimits,
        security_headers: SecurityHeaders,
    ) -> None:
        self.app = app
        self.service = service
        self.body_limits = body_limits
        self.security_headers = security_headers
        self.log = get_logger("luoshi.access")
        self.recorder = RequestRecorder(service)

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
            rid = os.urandom(16).hex()  # a random 128-bit id, as uuid4().hex without building the UUID
        token = request_id_var.set(rid)
        started = time.perf_counter()
        status = 500
        response_started = response_finished = False
        extra_headers = (*self.security_headers.for_request(scope), (_HEADER, rid.encode()))

        async def send_with_id(message: Message) -> None:
            nonlocal status, response_started, response_finished
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = True
                message["headers"] = SecurityHeaders.add(list(message.get("headers", [])), extra_headers)
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                response_finished = True
            await send(message)

        path = scope["path"]
        try:
            # a read's body is never an upload: the default limit, without matching the upload routes' paths
            limit = self.body_limits.default if scope["method"] in _READS else self.body_limits.limit_for(path)
            declared = _content_length(scope)
            if declared is not None and declared > limit:
                # refused before routing, authentication or parsing: not a byte of the body is read
                await app_error_response(too_large(limit), path)(scope, receive, send_with_id)
                return
            try:
                await self.app(scope, BodyLimits.counting(receive, limit), send_with_id)
            except BodyTooLarge:
                if response_started:
                    raise
                await app_error_response(too_large(limit), path)(scope, receive, send_with_id)
        except Exception as exc:
            # Answered here rather than by Starlette's outermost layer, which re-raises after its 500: uvicorn
            # then drops the keep-alive connection (the client's next request is reset) and the 500 carries no
            # request id. A response already under way can only be cut off.
            if response_started and not response_finished:
                raise
            if not response_started:
                await unhandled_error_response(exc, path)(scope, receive, send_with_id)
            else:
                self.log.exception("error_after_response", path=path)
        finally:
            route: Any = scope.get("route")
            self.recorder.record(
                rid,
                scope["method"],
                path,
                getattr(route, "path", None) or "<unmatched>",
                status,
                time.perf_counter() - started,
            )
            request_id_var.reset(token)


def _content_length(scope: Scope) -> int | None:
    for key, value in scope["headers"]:
        if key == b"content-length":
            return int(value) if value.isdigit() else None
    return None
