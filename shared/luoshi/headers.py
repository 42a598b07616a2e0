"""Security headers on every answer (OWASP API8, 等保 2.0 安全通信): no content sniffing, no framing, no
referrer, nothing cached that a token fetched; a strict Content-Security-Policy for the API's own answers and a
looser one for /docs, whose Swagger UI needs its own scripts and inline start-up code.

`RequestContextMiddleware` adds them, in the one ASGI layer every request crosses."""

from __future__ import annotations

from starlette.types import Scope

API_CSP = "default-src 'none'; frame-ancestors 'none'"
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-ancestors 'none'"
)
_HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")
_NO_STORE = (b"cache-control", b"no-store")


def _raw(csp: str) -> tuple[tuple[bytes, bytes], ...]:
    return (
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"content-security-policy", csp.encode()),
    )


class SecurityHeaders:
    def __init__(self, *, hsts: bool = False) -> None:
        self.hsts = hsts
        self._api = _raw(API_CSP)
        self._docs = _raw(DOCS_CSP)

    def for_request(self, scope: Scope) -> tuple[tuple[bytes, bytes], ...]:
        """The headers this request's answer gets, unless the route set them itself."""
        path = scope["path"]
        docs = path.endswith(("/docs", "/docs/oauth2-redirect")) or "/docs-assets/" in path
        extra = self._docs if docs else self._api
        for name, _ in scope["headers"]:  # a plain loop: this runs on every request
            if name == b"authorization" or name == b"x-api-key":
                extra = (*extra, _NO_STORE)
                break
        if self.hsts:
            extra = (*extra, _HSTS)
        return extra

    @staticmethod
    def add(headers: list[tuple[bytes, bytes]], extra: tuple[tuple[bytes, bytes], ...]) -> list[tuple[bytes, bytes]]:
        present = {name.lower() for name, _ in headers}
        return [*headers, *(pair for pair in extra if pair[0] not in present)]
