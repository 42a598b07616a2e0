"""The one origin of `make run`: a small reverse proxy in front of the three services, routing every path exactly
as deploy/nginx/luoshi.conf does (both follow `routing.py`), so a browser app and every service's /docs work from
one address in development as behind nginx in production. Development only: nginx is the production proxy.

A plain ASGI app over httpx (already a dependency), streaming answers back; request bodies are read whole, which
the services' own body limits keep small. The console's files (web/console/dist, `luoshi console` builds it) are
served as nginx serves them: a file if there is one, else index.html for the paths the app routes itself.
"""

from __future__ import annotations

import asyncio
import mimetypes
import os
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

import httpx

from luoshi_ops import routing

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]

# Hop-by-hop headers (RFC 9110 7.6.1) are the connection's, not the message's: never passed on.
_HOP = {b"connection", b"keep-alive", b"proxy-connection", b"te", b"trailer", b"transfer-encoding", b"upgrade"}
DEFAULT_PORT = 8000


def upstreams_from_env(env: MutableMapping[str, str] | None = None) -> dict[str, str]:
    env = os.environ if env is None else env
    return {
        "tasks": env.get("TASKS_API_URL", "http://127.0.0.1:8001"),
        "scoring": env.get("SCORING_API_URL", "http://127.0.0.1:8002"),
        "notify": env.get("NOTIFY_URL", "http://127.0.0.1:8003"),
    }


class DevProxy:
    def __init__(self, upstreams: dict[str, str], console: Path | None = None) -> None:
        self.upstreams = {k: v.rstrip("/") for k, v in upstreams.items()}
        self.console = console.resolve() if console else None
        self.client: httpx.AsyncClient | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                # no timeout on reads: a job's poll is quick, an export may stream for a while
                self.client = httpx.AsyncClient(timeout=httpx.Timeout(60, read=None), follow_redirects=False)
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if self.client is not None:
                    await self.client.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        target = routing.resolve(scope["path"])
        if target is None:
            await _answer(send, 404, b"Not Found")
            return
        service, _forwarded = target
        if service == routing.CONSOLE:
            await self._console(scope, send)
            return
        raw = scope.get("raw_path") or scope["path"].encode()
        if scope["path"] != _forwarded:  # the service's name is stripped from the path as sent, encoding kept
            raw = raw[len(service) + 1 :]
        url = self.upstreams[service] + raw.decode("latin-1")
        if scope.get("query_string"):
            url += "?" + scope["query_string"].decode("latin-1")
        body = bytearray()
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        client_host = (scope.get("client") or ("", 0))[0]
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in _HOP]
        headers += [(b"x-forwarded-for", client_host.encode()), (b"x-forwarded-proto", scope["scheme"].encode())]
        assert self.client is not None
        request = self.client.build_request(scope["method"], url, headers=headers, content=bytes(body))
        try:
            response = await self.client.send(request, stream=True)
        except httpx.HTTPError:
            await _answer(send, 502, f"{service} is not answering".encode())
            return
        try:
            await send(
                {
                    "type": "http.response.start",
                    "status": response.status_code,
                    "headers": [(k, v) for k, v in response.headers.raw if k.lower() not in _HOP],
                }
            )
            async for chunk in response.aiter_raw():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            await response.aclose()

    async def _console(self, scope: Scope, send: Send) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            await _answer(send, 405, b"Method Not Allowed")
            return
        if self.console is None or not (self.console / "index.html").is_file():
            await _answer(send, 503, b"The web console is not built: install Node.js 20+, then `make run` builds it.")
            return
        wanted = (self.console / scope["path"].lstrip("/")).resolve()
        if wanted.is_relative_to(self.console) and wanted.is_file():
            found, headers = wanted, _ASSET if scope["path"].startswith("/assets/") else _PAGE
        elif scope["path"].startswith("/assets/"):
            await _answer(send, 404, b"Not Found")
            return
        else:  # a path of the app's own (/plans/4): the app reads it in the browser
            found, headers = self.console / "index.html", _PAGE
        body = await asyncio.to_thread(found.read_bytes)
        kind = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind.endswith(("javascript", "json")):
            kind += "; charset=utf-8"
        headers = [*headers, (b"content-type", kind.encode()), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


# The headers nginx sends with the console (routing.nginx_locations): hashed assets cached for good, pages never.
_COMMON = [(b"x-content-type-options", b"nosniff")]
_ASSET = [*_COMMON, (b"cache-control", b"public, max-age=31536000, immutable")]
_PAGE = [
    *_COMMON,
    (b"cache-control", b"no-cache"),
    (b"content-security-policy", routing.CONSOLE_CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


async def _answer(send: Send, status: int, text: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": text})


def serve(host: str, port: int, console: Path | None = None) -> None:
    import uvicorn

    app = DevProxy(upstreams_from_env(), console)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
