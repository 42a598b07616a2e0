"""Request bodies limited before anything reads them: before authentication, before JSON or multipart parsing.

A declared Content-Length over the route's limit is answered 413 at once, without reading a byte; a body
sent in chunks is counted as it arrives and cut off at the limit. JSON routes take BODY_MAX_BYTES; the few
upload routes a service names take their own (larger) limit. Without this, a 16 MB JSON array sent with no
credentials was parsed in full before the 401, stalling the service for seconds.

The policy lives here; `RequestContextMiddleware` applies it, in the one ASGI layer every request crosses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.routing import compile_path
from starlette.types import Message, Receive

from luoshi.errors import PayloadTooLarge

# what a multipart upload carries beyond the file: boundaries, part headers, the other form fields
MULTIPART_SLACK = 64 * 1024


class BodyTooLarge(HTTPException):
    """Raised from `receive`; FastAPI lets an HTTPException through its body parsing (any other error is a 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"The body is larger than {limit} bytes")
        self.limit = limit


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The request body is larger than {limit:,} bytes", f"请求内容超过 {limit:,} 字节")


class BodyLimits:
    """The limit of each path: `default`, or the larger one of an upload route."""

    def __init__(self, default: int, larger: Mapping[str, int] | None = None) -> None:
        self.default = default
        self.larger: list[tuple[re.Pattern[str], int]] = [
            (compile_path(path)[0], limit) for path, limit in (larger or {}).items()
        ]

    def limit_for(self, path: str) -> int:
        for pattern, limit in self.larger:
            if pattern.match(path):
                return limit
        return self.default

    @staticmethod
    def counting(receive: Receive, limit: int) -> Receive:
        """`receive`, raising BodyTooLarge once the chunks received pass the limit."""
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        return counted
