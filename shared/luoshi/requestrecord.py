"""What is recorded of every request after it is answered: its access log line and its metrics, in batches.

A request appends one tuple; a callback on the loop, at most FLUSH_SECONDS later, writes the lines and counts them.
Measured (issue 19): done one request at a time inside the request, they were about a fifth of a read by id's CPU
(cold caches between the handler's work), and the same work in a batch costs a fraction. A scrape of /metrics and
the app's shutdown flush first, so neither a count nor a line is lost or late where it is read.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from typing import Any

from luoshi.logging import AccessLog
from luoshi.metrics import HTTP_LATENCY, HTTP_REQUESTS

QUIET_ROUTES = {"/healthz", "/readyz", "/metrics"}
"""Counted, but not written to the access log: probes would drown it."""

_RECORDERS: weakref.WeakSet[RequestRecorder] = weakref.WeakSet()


class RequestRecorder:
    FLUSH_SECONDS = 0.1

    def __init__(self, service: str) -> None:
        self.service = service
        self.access = AccessLog(service)
        self._pending: list[tuple[str, str, str, str, int, float, float]] = []
        self._flush_due = False
        # prometheus_client's labels() takes a lock and builds a key on every call; keep the children.
        self._counters: dict[tuple[str, str, int], Any] = {}
        self._histograms: dict[tuple[str, str], Any] = {}
        _RECORDERS.add(self)

    def record(self, request_id: str, method: str, path: str, route: str, status: int, seconds: float) -> None:
        self._pending.append((request_id, method, path, route, status, seconds, time.time()))
        if self._flush_due:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # outside a server's loop: at once
            self.flush()
            return
        self._flush_due = True
        loop.call_later(self.FLUSH_SECONDS, self.flush)

    def flush(self) -> None:
        self._flush_due = False
        pending, self._pending = self._pending, []
        if not pending:
            return
        for request_id, method, path, route, status, seconds, at in pending:
            counter = self._counters.get((method, route, status))
            if counter is None:
                counter = self._counters[(method, route, status)] = HTTP_REQUESTS.labels(
                    self.service, method, route, str(status)
                )
            counter.inc()
            histogram = self._histograms.get((method, route))
            if histogram is None:
                histogram = self._histograms[(method, route)] = HTTP_LATENCY.labels(self.service, method, route)
            histogram.observe(seconds)
            if route not in QUIET_ROUTES:
                self.access.request(request_id, method, path, route, status, round(seconds * 1000, 2), at=at)
        self.access.flush()


def flush_all() -> None:
    """Every recorder's pending requests, counted and written now (before a scrape, at shutdown)."""
    for recorder in list(_RECORDERS):
        recorder.flush()
