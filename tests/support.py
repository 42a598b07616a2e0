"""Helpers the tests share: database setup, in-process apps, real service processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import httpx

from luoshi import workdays
from luoshi.settings import to_asyncpg_dsn
from luoshi_ops import devdb

REPO = Path(__file__).resolve().parents[1]
started_embedded = False  # set when this test run started the embedded server, so it stops it at the end


def server_admin_url() -> str:
    """The server the tests use: DATABASE_URL's if set, else the embedded one (started here)."""
    base = os.environ.get("DATABASE_URL")
    if base:
        return to_asyncpg_dsn(base)
    global started_embedded
    started_embedded = devdb.start() or started_embedded
    return devdb.admin_url()


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def fresh_database(name: str) -> str:
    """A new, empty database on the test server; the user's own database is never touched."""
    admin = server_admin_url()
    devdb.ensure_database(admin, name, recreate=True)
    return with_database(admin, name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def create_user_cli(
    env: dict[str, str], name: str, password: str, role: str, unit: int | None = None, *, exist_ok: bool = False
) -> None:
    """`luoshi users create`, the password twice on standard input, as an operator does it; `exist_ok`: a user of
    that name made earlier (with this password) is fine."""
    done = subprocess.run(
        [sys.executable, "-m", "luoshi_ops.cli", "users", "create", name, "--role", role]
        + (["--unit", str(unit)] if unit is not None else []),
        input=f"{password}\n{password}\n",
        text=True,
        env=env,
        capture_output=True,
        timeout=60,
    )
    if done.returncode != 0 and not (exist_ok and "is taken" in done.stdout + done.stderr):
        raise AssertionError(f"luoshi users create {name} failed:\n{done.stdout}{done.stderr}")


LOOPBACK = "127.0.0.0/8,::1/128"
# The tests sign in from loopback all session (wrong passwords too): the per-address sign-in throttle is set out of
# their way, and tested on its own (tests/platform/test_signin_throttle.py).
SESSION_ADDRESS_LIMIT = 1_000_000
# How long the services remember that a session is on, in the tests: an ended one is refused within this.
SESSION_CHECK_SECONDS = 1


def wait_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    """Until `url`/readyz answers 200; the process's log in the error if it exits or never gets there."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} exited:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} not ready:\n{log.read_text()[-3000:]}")


def county_plan(http: httpx.Client, auth: dict[str, str], prefix: str) -> dict[str, dict]:
    """Through `http` (the one origin, or tasks-api) as `auth`: a county government, its office and a bureau,
    and an active plan run by that office: {"gov", "office", "bureau", "plan"}."""

    def made(path: str, body: dict) -> dict:
        answer = http.post(path, json=body, headers=auth)
        assert answer.status_code == 201, (path, answer.text)
        return answer.json()

    tag = os.urandom(4).hex()
    gov = made("/v1/units", {"name": f"{prefix}县人民政府-{tag}", "kind": "government", "level": "county"})
    office = made("/v1/units", {"name": f"{prefix}县督查室-{tag}", "kind": "department", "parent_id": gov["id"]})
    bureau = made("/v1/units", {"name": f"{prefix}县市场监管局-{tag}", "kind": "department", "parent_id": gov["id"]})
    body = {
        "title": f"{prefix}县质量强县工作方案-{tag}",
        "issuer": gov["name"],
        "status": "active",
        "office_unit": office["id"],
    }
    return {"gov": gov, "office": office, "bureau": bureau, "plan": made("/v1/plans", body)}


class LiveServices:
    """The three services as real uvicorn processes on loopback, logging JSON to files."""

    def __init__(
        self,
        database_url: str,
        log_dir: Path,
        env: dict[str, str] | None = None,
        only: tuple[str, ...] = ("tasks", "scoring", "notify"),
    ) -> None:
        self.ports = {"tasks": free_port(), "scoring": free_port(), "notify": free_port()}
        self.urls = {k: f"http://127.0.0.1:{p}" for k, p in self.ports.items()}
        self.logs = {k: log_dir / f"{k}.log" for k in self.ports}
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "ENVIRONMENT": "test",
            "TASKS_API_PORT": str(self.ports["tasks"]),
            "SCORING_API_PORT": str(self.ports["scoring"]),
            "NOTIFY_PORT": str(self.ports["notify"]),
            "TASKS_API_URL": self.urls["tasks"],
            "SCORING_API_URL": self.urls["scoring"],
            "NOTIFY_URL": self.urls["notify"],
            "JWT_PRIVATE_KEY_FILE": str(log_dir / "jwt.pem"),
            # the tests' SMTP server and webhook receivers listen on loopback, which notify otherwise refuses
            "OUTBOUND_ALLOW": LOOPBACK,
            "SIGNIN_ADDRESS_MAX_FAILURES": str(SESSION_ADDRESS_LIMIT),
            "SESSION_CHECK_SECONDS": str(SESSION_CHECK_SECONDS),
            **(env or {}),
        }
        self.procs: dict[str, subprocess.Popen] = {}
        self.only = only

    def start(self) -> LiveServices:
        try:
            for key in self.only:
                log = self.logs[key].open("wb")
                self.procs[key] = subprocess.Popen(
                    [sys.executable, "-m", "luoshi_ops.cli", "serve", key],
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    cwd=REPO,
                )
                # tasks-api first: it makes the signing key the others' tokens depend on.
                if key == "tasks":
                    self.wait_ready("tasks")
            for key in self.only:
                self.wait_ready(key)
        except BaseException:
            self.stop()  # a fixture that fails to start never reaches its own stop(): no orphaned processes
            raise
        return self

    def wait_ready(self, key: str, timeout: float = 30) -> None:
        wait_ready(self.urls[key], self.procs[key], self.logs[key], timeout)

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def running_origin(database_url: str, log_dir: Path, admin: tuple[str, str]) -> Iterator[tuple[str, LiveServices]]:
    """The services as `make run` starts them, PUBLIC_BASE_URL the origin, and the origin in front serving the
    built console; `admin` (username, password) is an administrator. Yields the origin's URL and the services."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    services = LiveServices(database_url, log_dir, env={"PUBLIC_BASE_URL": url}).start()
    proxy = subprocess.Popen(
        [sys.executable, "-m", "luoshi_ops.cli", "origin", "--port", str(port)],
        env=services.env,
        cwd=REPO,
        stdout=(log_dir / "origin.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_ready(url, proxy, log_dir / "origin.log")
        create_user_cli(services.env, *admin, "admin", exist_ok=True)
        yield url, services
    finally:
        proxy.terminate()
        proxy.wait(10)
        services.stop()


def zone_at_noon() -> str:
    """A fixed-offset zone whose local hour is 11, 12 or 13 now (Etc/GMT-8 is UTC+8: the sign is POSIX's): services
    run in it send at once what they would hold in quiet hours (22:00–07:00) or until 09:00, whatever the host's
    clock. The day is the UTC day: on a UTC weekend it is still a weekend."""
    offset = 12 - time.gmtime().tm_hour  # -11 … 12
    return "Etc/UTC" if offset == 0 else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


SEED_CALENDAR = REPO / "migrations" / "seed" / "official_workdays_2004_2026.json"


def seed_calendar() -> workdays.WorkdayCalendar:
    """The official calendar of 2004–2026 the migration loads into tasks.workday, for tests without a database."""
    doc = json.loads(SEED_CALENDAR.read_text(encoding="utf-8"))
    rows = [(date.fromisoformat(d), w) for days in doc["years"].values() for d, w, _name in days]
    return workdays.WorkdayCalendar.from_rows(rows, (int(y) for y in doc["years"]))


def due_day_notices_go_out_today(zone: str) -> bool:
    """Whether a task due today (Asia/Shanghai's date) gets its due-day notice today from services running in
    `zone`: only where both dates are working days (for a deadline on a day off it went out the working day
    before). The tests that need one are skipped on other days until the services take a test clock."""
    days = seed_calendar().days
    return all(
        days.get(d, d.weekday() < 5) for d in (datetime.now(ZoneInfo(z)).date() for z in ("Asia/Shanghai", zone))
    )
