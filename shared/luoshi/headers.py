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
        tail = (_HSTS,) if hsts else ()
        # the four sets an answer can get (API or docs; with a credential or not), built once: this is on every request
        self._sets = {
            (docs, credential): (*_raw(DOCS_CSP if docs else API_CSP), *((_NO_STORE,) if credential else ()), *tail)
            for docs in (False, True)
            for credential in (False, True)
        }

    def for_request(self, scope: Scope) -> tuple[tuple[bytes, bytes], ...]:
        """The headers this request's answer gets, unless the route set them itself."""
        path = scope["path"]
        docs = path.endswith(("/docs", "/docs/oauth2-redirect")) or "/docs-assets/" in path
        credential = False
        for name, _ in scope["headers"]:  # a plain loop: this runs on every request
            if name == b"authorization" or name == b"x-api-key":
                credential = True
                break
        return self._sets[(docs, credential)]

    @staticmethod
    def add(headers: list[tuple[bytes, bytes]], extra: tuple[tuple[bytes, bytes], ...]) -> list[tuple[bytes, bytes]]:
        present = {name.lower() for name, _ in headers}
        return [*headers, *(pair for pair in extra if pair[0] not in present)]
