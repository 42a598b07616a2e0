"""A signed-webhook receiver for `make bench`, run as its own uvicorn process: counts distinct event ids."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from luoshi_notify.channels.webhook import verify_signature

SECRET = "bench-secret"
received: set[str] = set()


async def hook(request: Request) -> JSONResponse:
    body = await request.body()
    h = request.headers
    if not verify_signature(SECRET, h["x-luoshi-timestamp"], body, h["x-luoshi-signature"]):
        return JSONResponse({}, status_code=401)
    received.add(h["x-luoshi-event-id"])
    return JSONResponse({"ok": True})


async def count(request: Request) -> JSONResponse:
    return JSONResponse({"received": len(received)})


app = Starlette(routes=[Route("/hook", hook, methods=["POST"]), Route("/count", count)])
