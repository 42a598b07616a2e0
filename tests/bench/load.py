"""A small HTTP/1.1 load generator on raw asyncio streams: cheap enough per request that the server,
not the client, is what gets measured on a two-core machine."""

from __future__ import annotations

import asyncio
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float]
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        lname = name.strip().lower()
        if lname == b"content-length":
            length = int(value)
        elif lname == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


async def run_load(
    port: int,
    paths: Callable[[random.Random], str],
    headers: dict[str, str],
    *,
    connections: int = 16,
    seconds: float = 4.0,
    max_requests: int = 200_000,
    warmup: float = 0.5,
) -> Result:
    """Closed-loop load: `connections` keep-alive connections, each sending its next request when the
    previous answer arrives, for `seconds` (bounded by `max_requests`)."""
    extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    latencies: list[float] = []
    errors = 0
    count = 0
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + seconds

    async def worker(seed: int) -> None:
        nonlocal errors, count
        rng = random.Random(seed)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while True:
                now = time.perf_counter()
                if now >= stop_at or count >= max_requests:
                    return
                request = f"GET {paths(rng)} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode()
                writer.write(request)
                status = await _read_response(reader)
                done = time.perf_counter()
                if now >= measure_from:
                    count += 1
                    latencies.append(done - now)
                    if status != 200:
                        errors += 1
        finally:
            writer.close()

    await asyncio.gather(*(worker(i) for i in range(connections)))
    elapsed = min(time.perf_counter(), stop_at) - measure_from
    return Result(requests=count, seconds=elapsed, latencies=latencies, errors=errors)
