"""Prometheus metrics: requests and latency per route, database pool use, jobs."""

from __future__ import annotations

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
JOBS = Counter(
    "luoshi_jobs_total", "Jobs finished by kind and outcome", ["service", "kind", "status"], registry=REGISTRY
)


def render() -> tuple[bytes, str]:
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
