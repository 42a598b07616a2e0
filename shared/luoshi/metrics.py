"""Prometheus metrics: requests and latency per route, database pool use, jobs, notify's delivery."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "luoshi_http_requests_total",
    "HTTP requests handled",
    ["service", "method", "route", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "luoshi_http_request_duration_seconds",
    "HTTP request latency",
    ["service", "method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
DB_POOL = Gauge(
    "luoshi_db_pool_connections",
    "Database pool connections by state",
    ["service", "state"],
    registry=REGISTRY,
)
DB_CONNECTIONS_OPENED = Counter(
    "luoshi_db_connections_opened_total",
    "Database connections opened, by pool (orm, raw): rising under steady load means churn",
    ["service", "pool"],
    registry=REGISTRY,
)
JOBS = Counter(
    "luoshi_jobs_total", "Jobs finished by kind and outcome", ["service", "kind", "status"], registry=REGISTRY
)
JOBS_WAITING = Gauge(
    "luoshi_jobs_waiting", "Queued jobs whose start time has come, not yet claimed", ["service"], registry=REGISTRY
)
JOBS_OLDEST_WAIT = Gauge(
    "luoshi_jobs_oldest_wait_seconds", "How long the oldest waiting job has waited", ["service"], registry=REGISTRY
)
NOTIFY_DELIVERIES = Counter(
    "luoshi_notify_deliveries_total",
    "Notification sends by channel and outcome: sent, retry, failed (dead-lettered)",
    ["channel", "outcome"],
    registry=REGISTRY,
)
NOTIFY_OLDEST_DUE = Gauge(
    "luoshi_notify_oldest_due_seconds",
    "How long the oldest notification that is due but not yet sent has waited",
    registry=REGISTRY,
)

# Refreshers of the gauges read from the database, run at each scrape. One that fails (the database is away)
# leaves its gauges as they were: /metrics answers during an outage, when it matters most.
SCRAPE_HOOKS: list[Callable[[], Awaitable[None]]] = []


async def refresh() -> None:
    """Each hook gets a second at most: a scrape must not wait on a slow database."""
    for hook in list(SCRAPE_HOOKS):
        with contextlib.suppress(Exception):  # a stale gauge is better than no metrics
            async with asyncio.timeout(1):
                await hook()


def render() -> tuple[bytes, str]:
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
