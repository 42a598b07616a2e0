"""Request bodies limited before anything reads them: before authentication, before JSON or multipart parsing.

A declared Content-Length over the route's limit is answered 413 at once, without reading a byte; a body
sent in chunks is counted as it arrives and cut off at the limit. JSON routes take BODY_MAX_BYTES; the few
upload routes a service names take their own (larger) limit. Without this, a 16 MB JSON array sent with no
credentials was parsed in full before the 401, stalling the service for seconds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from luoshi.errors import PayloadTooLarge, app_error_response

# what a multipart upload carries beyond the file: boundaries, part headers, the other form fields
MULTIPART_SLACK = 64 * 1024


class _BodyTooLarge(HTTPException):
    """Raised from `receive`; FastAPI lets an HTTPException through its body parsing (any other error is a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"The body is larger than {limit} bytes")
        self.limit = limit


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The request body is larger than {limit:,} bytes", f"请求内容超过 {limit:,} 字节")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, default: int, larger: Mapping[str, int] | None = None) -> None:
        self.app = app
        self.default = default
        self.larger: list[tuple[re.Pattern[str], int]] = [
            (compile_path(path)[0], limit) for path, limit in (larger or {}).items()
        ]

    def limit_for(self, path: str) -> int:
        for pattern, limit in self.larger:
            if pattern.match(path):
                return limit
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await app_error_response(too_large(limit), scope["path"])(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except _BodyTooLarge:
            if started:
                raise
            await app_error_response(too_large(limit), scope["path"])(scope, receive, send)
