"""The demo's notices, made through notify's API: a sweep of today's deadlines and the bulletin of the last
reporting deadline, so the demo users find their inbox and a 通报 waiting.

The sweep is `full`: notify's own loop has usually swept today before the demo plan existed, and an ordinary
sweep looks only at notices due since then — which would skip the demo's urging and escalation, whose moments
fell on the days just before (luoshi_tasks.demo_plan dates two tasks so that they do)."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import httpx

from luoshi.deadlines import deadline_adapter, last_due_before


def load_demo_notices(
    tasks_url: str,
    notify_url: str,
    username: str,
    password: str,
    plan_id: int,
    today: date | None = None,
    timeout: float = 60,
) -> dict[str, Any]:
    today = today or date.today()
    with httpx.Client(base_url=tasks_url, timeout=30) as tasks, httpx.Client(base_url=notify_url, timeout=60) as nt:
        token = tasks.post("/v1/auth/token", data={"username": username, "password": password}).raise_for_status()
        nt.headers["Authorization"] = tasks.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        started = nt.post("/v1/sweeps", params={"full": "true"}).raise_for_status()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            job = nt.get(started.headers["Location"]).raise_for_status().json()
            if job["status"] in ("succeeded", "failed"):
                break
            time.sleep(0.2)
        # the plan's own last reporting deadline: bulletins are compiled for nothing else
        schedule = tasks.get(f"/v1/plans/{plan_id}").raise_for_status().json()["report_schedule"]
        period = last_due_before(deadline_adapter.validate_python(schedule), today) if schedule else None
        bulletin = None
        if period is not None:
            existing = nt.get("/v1/bulletins", params={"plan_id": plan_id}).raise_for_status().json()["items"]
            bulletin = next((b for b in existing if b["period_due_on"] == period.isoformat()), None)
            if bulletin is None:
                bulletin = (
                    nt.post("/v1/bulletins", json={"plan_id": plan_id, "period_due_on": period.isoformat()})
                    .raise_for_status()
                    .json()
                )
        return {"sweep": job.get("result"), "bulletin_id": bulletin["id"] if bulletin else None}
