"""The three services as the tooling starts them: ASGI app, port variable, default port."""

from __future__ import annotations

import os
from collections.abc import Mapping

SERVICES = {
    "tasks": ("luoshi_tasks.main:app", "TASKS_API_PORT", 8001),
    "scoring": ("luoshi_scoring.main:app", "SCORING_API_PORT", 8002),
    "notify": ("luoshi_notify.main:app", "NOTIFY_PORT", 8003),
}


def service_port(service: str, environ: Mapping[str, str] = os.environ) -> int:
    """The port `luoshi serve SERVICE` listens on: its own variable, else PORT, else the default."""
    _target, port_var, default_port = SERVICES[service]
    return int(environ.get(port_var, environ.get("PORT", default_port)))
