"""A body over the limit is refused before it is read (finding 3 of issue 14): 413 as a problem, before
authentication, on every service; sent in chunks with no declared length it is cut off at the limit; and the
service keeps answering meanwhile. The real processes, over loopback."""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from urllib.parse import urlsplit

import httpx
import pytest

SIXTEEN_MB = 16 * 1024 * 1024
ROUTES = {"tasks": "/v1/units", "scoring": "/v1/indicators", "notify": "/v1/channels"}


async def _raw(url: str, head: str, chunks: int = 0, chunk: bytes = b"") -> tuple[int, dict, bytes]:
    """Send a request by hand (so a huge body can be promised without being sent); the status, headers, body."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        writer.write(head.encode())
        await writer.drain()
        for _ in range(chunks):  # chunked: sent until the server answers or the chunks run out
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            try:
                await asyncio.wait_for(writer.drain(), 5)
            except (ConnectionError, TimeoutError):
                break
            if reader.at_eof() or len(reader._buffer) > 0:  # type: ignore[attr-defined]
                break
        status_line = await asyncio.wait_for(reader.readline(), 10)
        headers = {}
        while (line := await asyncio.wait_for(reader.readline(), 10)) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        body = await asyncio.wait_for(reader.readexactly(int(headers.get("content-length", 0))), 10)
        return int(status_line.split()[1]), headers, body
    finally:
        writer.close()


@pytest.mark.parametrize("service", ["tasks", "scoring", "notify"])
async def test_a_16_mb_body_without_credentials_is_a_413_and_health_answers_meanwhile(live, service):
    url = live.urls[service]
    path = ROUTES[service]
    host = urlsplit(url).netloc
    # declared: refused on the headers alone, nothing read, no credentials looked at
    status, headers, body = await _raw(
        url,
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {SIXTEEN_MB}\r\n\r\n",
    )
    assert status == 413, body
    assert headers["content-type"].startswith("application/problem+json")
    assert json.loads(body)["code"] == "payload_too_large" and headers.get("x-request-id")

    # chunked, no length: cut off at the limit while the health probe keeps answering
    probes: list[float] = []

    async def probe() -> None:
        async with httpx.AsyncClient(base_url=url) as client:
            for _ in range(5):
                started = time.perf_counter()
                assert (await client.get("/healthz")).status_code == 200
                probes.append(time.perf_counter() - started)
                await asyncio.sleep(0.02)

    upload = _raw(
        url,
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        chunks=SIXTEEN_MB // 65536,
        chunk=b"[" + b"1," * 32767 + b"1",
    )
    (status, _headers, body), _ = await asyncio.gather(upload, probe())
    assert status == 413, body
    assert json.loads(body)["code"] == "payload_too_large"
    # the bar: /healthz within 100 ms while the body arrives (the median of five, on a busy machine)
    assert statistics.median(probes) < 0.1, probes


async def test_an_upload_route_takes_its_own_larger_limit(live):
    # 2 MB is over the JSON limit but within a report attachment's: read, then refused for want of credentials;
    # 11 MB is over the attachment limit too
    async with httpx.AsyncClient(base_url=live.urls["tasks"], timeout=30) as client:
        files = {"file": ("报告.pdf", b"%PDF" + b"0" * (2 * 1024 * 1024), "application/pdf")}
        assert (await client.post("/v1/reports/1/attachments", files=files)).status_code == 401
        files = {"file": ("报告.pdf", b"%PDF" + b"0" * (11 * 1024 * 1024), "application/pdf")}
        r = await client.post("/v1/reports/1/attachments", files=files)
        assert r.status_code == 413 and r.json()["code"] == "payload_too_large"
