"""The demo assessment, made the way an office would make it, through the two APIs: the Xiayi plan's
indicators, this year's values for eight units, a benchmark, a scheme, one run, published."""

from __future__ import annotations

import json
import random
import time
from datetime import date
from importlib import resources
from typing import Any

import httpx

SCHEME_NAME = "年度创建工作考核（演示）"


def _data() -> dict[str, Any]:
    return json.loads(resources.files("luoshi_scoring.demo").joinpath("xiayi_indicators.json").read_text("utf-8"))


def _unit_ids(tasks: httpx.Client, names: list[str]) -> dict[str, int]:
    found = {}
    for name in names:
        items = tasks.get("/v1/units", params={"q": name, "limit": 50}).raise_for_status().json()["items"]
        match = [u for u in items if name in (u["name"], u.get("short_name"), *(u.get("aliases") or []))]
        if match:
            found[name] = match[0]["id"]
    return found


def _wait(client: httpx.Client, location: str, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(location).raise_for_status().json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.2)
    raise RuntimeError("the demo assessment did not finish")


def load_demo_scoring(
    tasks_url: str,
    scoring_url: str,
    username: str,
    password: str,
    plan_id: int,
    today: date | None = None,
    timeout: float = 120,
) -> dict[str, Any]:
    """Idempotent: does nothing when the plan already has a scheme. Returns {"assessment_id", "created"}."""
    year = str((today or date.today()).year)
    data = _data()
    with httpx.Client(base_url=tasks_url, timeout=30) as tasks, httpx.Client(base_url=scoring_url, timeout=60) as sc:
        token = tasks.post("/v1/auth/token", data={"username": username, "password": password}).raise_for_status()
        auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
        tasks.headers.update(auth)
        sc.headers.update(auth)
        if sc.get("/v1/schemes", params={"plan_id": plan_id}).raise_for_status().json()["items"]:
            published = sc.get("/v1/assessments", params={"limit": 1}).raise_for_status().json()["items"]
            return {"assessment_id": published[0]["id"] if published else None, "created": False}
        units = _unit_ids(tasks, data["reporting_units"])
        rng = random.Random(2015)
        for item in data["indicators"]:
            body = {k: item[k] for k in ("name", "unit", "comparator", "target", "weight", "rule")}
            body |= {
                "plan_id": plan_id,
                "baseline": item.get("baseline"),
                "benchmark_name": item.get("benchmark_name"),
                "unit_ids": list(units.values()),
            }
            indicator = sc.post("/v1/indicators", json=body).raise_for_status().json()
            low, high = item["values"]
            for unit_id in units.values():
                if "choices" in item:
                    value = float(rng.choice(item["choices"]))
                elif item.get("integer"):
                    value = float(rng.randint(int(low), int(high)))
                else:
                    value = round(rng.uniform(low, high), 1 if high > 5 else 2)
                sc.post(
                    f"/v1/indicators/{indicator['id']}/values",
                    json={"unit_id": unit_id, "period": year, "value": value, "evidence": f"{year}年度统计报表"},
                ).raise_for_status()
            if item.get("benchmark") is not None:
                sc.post(
                    "/v1/benchmarks",
                    json={
                        "indicator_id": indicator["id"],
                        "period": year,
                        "value": item["benchmark"],
                        "source": "省统计公报",
                    },
                ).raise_for_status()
        scheme = (
            sc.post(
                "/v1/schemes",
                json={
                    "plan_id": plan_id,
                    "name": SCHEME_NAME,
                    "unit_ids": list(units.values()),
                    "performance": [
                        {"metric": "on_time_completion_rate", "points": 10},
                        {"metric": "overdue", "points": 5, "per_item": 1},
                    ],
                    "adjustments": [
                        {"item": "通报批评", "kind": "deduction", "points": 2, "cap": 6},
                        {"item": "新获中国名牌", "kind": "bonus", "points": 5},
                    ],
                },
            )
            .raise_for_status()
            .json()
        )
        if "质监局" in units:
            sc.post(
                f"/v1/schemes/{scheme['id']}/adjustments",
                json={
                    "unit_id": units["质监局"],
                    "period": year,
                    "item": "新获中国名牌",
                    "evidence": "区内企业新获中国名牌产品称号",
                },
            ).raise_for_status()
        started = sc.post("/v1/assessments", json={"scheme_id": scheme["id"], "period": year}).raise_for_status()
        job = _wait(sc, started.headers["Location"], timeout)
        if job["status"] != "succeeded":
            raise RuntimeError(f"the demo assessment failed: {job['errors']}")
        assessment_id = started.json()["id"]
        etag = sc.get(f"/v1/assessments/{assessment_id}").raise_for_status().headers["ETag"]
        sc.post(f"/v1/assessments/{assessment_id}/publish", headers={"If-Match": etag}).raise_for_status()
        return {"assessment_id": assessment_id, "created": True}
