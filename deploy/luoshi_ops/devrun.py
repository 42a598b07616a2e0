"""`make run`: database, migrations, demo, the three services and the one origin in front of them; Ctrl-C stops all
it started. The services' JSON logs go to .data/logs/, so the terminal shows the origin's URL first, then what to
do with it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from luoshi.settings import REPO_ROOT
from luoshi_ops import console, devdb, devproxy
from luoshi_ops.services import SERVICES

NAMES = {"tasks": "tasks-api", "scoring": "scoring-api", "notify": "notify"}


def _wait_ready(url: str, proc: subprocess.Popen, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return False


def _start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as out:  # the child keeps its own handle
        return subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)


def run() -> int:
    env = dict(os.environ)
    started_db = False
    if not env.get("DATABASE_URL"):
        started_db = devdb.start()
        devdb.ensure_database(devdb.admin_url(), "luoshi")
        env["DATABASE_URL"] = devdb.url("luoshi")
        print(f"embedded PostgreSQL: {env['DATABASE_URL']} (data in {devdb.DATA_DIR})", flush=True)
    os.environ["DATABASE_URL"] = env["DATABASE_URL"]

    from luoshi_notify.demo_notify import load_demo_notices
    from luoshi_ops.migrate import upgrade
    from luoshi_scoring.demo_scoring import load_demo_scoring
    from luoshi_tasks.commands import load_demo
    from luoshi_tasks.demo_plan import load_demo_plan
    from luoshi_tasks.settings import TasksSettings

    upgrade(env["DATABASE_URL"])
    demo = asyncio.run(load_demo(TasksSettings()))
    try:
        console_note = f"the web console ({console.build()}, rebuilt when its sources change)"
    except console.ConsoleUnavailable as exc:
        console_note = f"no web console: {exc}"

    host = env.get("HOST", "127.0.0.1")
    children: list[subprocess.Popen] = []
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    parent = os.getppid()
    urls = {}
    origin_port = int(env.get("ORIGIN_PORT", devproxy.DEFAULT_PORT))
    origin = f"http://{host}:{origin_port}"
    # sign-in links (scoring-api's and notify's /docs) and feed URLs name the one origin
    env.setdefault("PUBLIC_BASE_URL", origin)
    logs = REPO_ROOT / ".data" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    try:
        for key, (_target, port_var, default_port) in SERVICES.items():
            port = int(env.get(port_var, default_port))
            urls[key] = f"http://{host}:{port}"
        for key, (_target, port_var, _default) in SERVICES.items():
            env_child = {
                **env,
                port_var: urls[key].rsplit(":", 1)[1],
                "TASKS_API_URL": env.get("TASKS_API_URL", urls["tasks"]),
                "SCORING_API_URL": env.get("SCORING_API_URL", urls["scoring"]),
                "NOTIFY_URL": env.get("NOTIFY_URL", urls["notify"]),
                "HOST": host,
            }
            children.append(
                _start([sys.executable, "-m", "luoshi_ops.cli", "serve", key], env_child, logs / f"{key}.log")
            )
        proxy_env = {
            **env,
            "TASKS_API_URL": urls["tasks"],
            "SCORING_API_URL": urls["scoring"],
            "NOTIFY_URL": urls["notify"],
        }
        cmd = [sys.executable, "-m", "luoshi_ops.cli", "origin", "--port", str(origin_port)]
        children.append(_start(cmd, {**proxy_env, "HOST": host}, logs / "origin.log"))
        for (key, _), proc in zip(SERVICES.items(), children, strict=False):
            if not _wait_ready(urls[key], proc):
                print(f"{NAMES[key]} did not become ready; see {logs / f'{key}.log'}", file=sys.stderr)
                return 1
        if not _wait_ready(origin, children[-1]):
            print(f"the origin did not start; see {logs / 'origin.log'}", file=sys.stderr)
            return 1
        office = next(a for a in demo["sign_in"] if "office" in a["roles"])
        try:
            plan = load_demo_plan(urls["tasks"], office["username"], office["password"])
            notices = load_demo_notices(
                urls["tasks"], urls["notify"], office["username"], office["password"], plan["plan_id"]
            )
            scored = load_demo_scoring(
                urls["tasks"], urls["scoring"], office["username"], office["password"], plan["plan_id"]
            )
        except (RuntimeError, httpx.HTTPError) as exc:
            print(f"the demo plan could not be loaded: {exc}", file=sys.stderr)
            return 1
        print(f"\n落实 Luoshi: {origin}", flush=True)
        print(f"  {console_note}", flush=True)
        print(
            f"  one origin for all three services, as behind nginx: the APIs, {origin}/docs (tasks-api),\n"
            f"  {origin}/scoring/docs, {origin}/notify/docs; each service also on its own port:",
            flush=True,
        )
        for key, url in urls.items():
            print(f"  {NAMES[key]:<12} {url}", flush=True)
        print(f"  logs (JSON; LOG_JSON=false for plain lines, LOG_LEVEL): {logs}/*.log", flush=True)
        loaded = f"{plan['tasks']} tasks imported from its breakdown table" if plan["created"] else "already loaded"
        print(
            f"\nDemo plan {plan['plan_id']} (夏政〔2015〕29号): {loaded}; {origin}/v1/plans/{plan['plan_id']}/tasks",
            flush=True,
        )
        if scored["assessment_id"]:
            print(
                f"Demo assessment {scored['assessment_id']} (published): "
                f"{origin}/v1/assessments/{scored['assessment_id']}/ranking",
                flush=True,
            )
        if notices["bulletin_id"]:
            print(
                f"Demo bulletin {notices['bulletin_id']} and reminders in the inbox: "
                f"{origin}/v1/inbox, {origin}/v1/bulletins/{notices['bulletin_id']}.docx",
                flush=True,
            )
        print(f"\nDemo sign-in (at {origin}, POST {origin}/v1/auth/token, or Authorize in any /docs):")
        for account in demo["sign_in"]:
            unit = f" ({account['unit']})" if account["unit"] else ""
            print(f"  {account['username']:<8} / {account['password']}   {','.join(account['roles'])}{unit}")
        print("\nCtrl-C stops everything.", flush=True)
        while not stopping:
            if any(p.poll() is not None for p in children):
                print("a service exited; stopping", file=sys.stderr)
                break
            if os.getppid() != parent:  # make was killed without us seeing the signal
                break
            time.sleep(0.3)
        return 0
    finally:
        for proc in children:
            if proc.poll() is None:
                proc.terminate()
        for proc in children:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if started_db:
            devdb.stop()
            print("embedded PostgreSQL stopped", flush=True)
