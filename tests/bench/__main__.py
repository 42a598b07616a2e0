"""`make bench`: each figure next to a baseline measured in the same run, as a ratio.

Absolute numbers on a shared two-core machine are noisy; the ratio of two servers measured side by side,
alternating, is what the project tracks.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from luoshi_ops.devdb import ensure_database
from luoshi_ops.migrate import upgrade
from tests.bench.load import Result, run_load
from tests.bench.seed import seed, seed_notifications
from tests.support import REPO, free_port, server_admin_url, with_database

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))


def start(cmd: list[str], env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    proc = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{cmd} exited:\n{log.read_text()[-2000:]}")
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=0.5)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"{cmd} did not start")


BENCH_PASSWORD = "Osmanthus-river-2026!"


def bench_token(env: dict[str, str], username: str, role: str, unit: int | None = None) -> str:
    """An hour's access token for `username` with `role` (of `unit`), made by the CLI; the bench databases are kept
    between runs, so the user is created only if it is not there yet."""
    cli = [sys.executable, "-m", "luoshi_ops.cli"]
    password = f"{BENCH_PASSWORD}\n{BENCH_PASSWORD}\n"
    create = [*cli, "users", "create", username, "--role", role, *(["--unit", str(unit)] if unit else [])]
    subprocess.run(create, input=password, text=True, env=env, capture_output=True)
    token = subprocess.run(
        [*cli, "token", username, "--ttl", "3600"], env=env, text=True, capture_output=True, check=True
    )
    return token.stdout.strip()


def row(label: str, ours: Result, raw: Result, aim: float = 0.6) -> str:
    """A table row; `aim` is the ratio to raw the row should reach (a read by id 0.8, a list 0.6)."""
    ratio = ours.rps / raw.rps
    verdict = "ok" if ratio >= aim else f"BELOW {aim}"
    return (
        f"| {label} | {ours.rps:,.0f} | {raw.rps:,.0f} | **{ratio:.2f}** ({verdict}) | "
        f"{ours.p50:.2f} / {ours.pct(99):.2f} | {raw.p50:.2f} / {raw.pct(99):.2f} | "
        f"{ours.errors + raw.errors} |"
    )


async def _plan_ids(url: str) -> list[int]:
    import asyncpg

    conn = await asyncpg.connect(url)
    try:
        return [r["id"] for r in await conn.fetch("SELECT id FROM tasks.plan WHERE status = 'active' ORDER BY id")]
    finally:
        await conn.close()


def _connections_opened(port: int) -> float:
    """Connections the service's pools have opened so far (its /metrics)."""
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("luoshi_db_connections_opened_total{")
    )


def best(results: list[Result]) -> Result:
    """Rounds alternate between the two servers; the median round of each is compared."""
    ordered = sorted(results, key=lambda r: r.rps)
    return ordered[len(ordered) // 2]


def main() -> None:
    admin = server_admin_url()
    ensure_database(admin, "luoshi_bench")
    url = with_database(admin, "luoshi_bench")
    upgrade(url)
    unit_ids = asyncio.run(seed(url))
    asyncio.run(seed_notifications(url, unit_ids))
    tmp = Path(tempfile.mkdtemp(prefix="luoshi-bench-"))
    ours_port, raw_port, notify_port = free_port(), free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "TASKS_API_PORT": str(ours_port),
        "JWT_PRIVATE_KEY_FILE": str(tmp / "k.pem"),
        "JOBS_IN_PROCESS": "false",
    }
    token = bench_token(env, "bench", "office")
    # 待办 is a unit's: the unit with the most work (a lead or cooperating assignment on some 500 tasks)
    todo_unit = unit_ids[1]
    unit_token = bench_token(env, "bench-unit", "unit", unit=todo_unit)
    notify_env = {
        **env,
        "NOTIFY_PORT": str(notify_port),
        "TASKS_API_URL": f"http://127.0.0.1:{ours_port}",
        "NOTIFY_LOOPS": "false",
    }
    procs = [
        start([sys.executable, "-m", "luoshi_ops.cli", "serve", "tasks"], env, ours_port, tmp / "ours.log"),
        start(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "tests.bench.raw_app:app",
                "--port",
                str(raw_port),
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            env,
            raw_port,
            tmp / "raw.log",
        ),
    ]
    procs.append(
        start([sys.executable, "-m", "luoshi_ops.cli", "serve", "notify"], notify_env, notify_port, tmp / "notify.log")
    )
    try:
        headers = {"Authorization": f"Bearer {token}"}
        churn: dict[str, float] = {}
        ours, raw = [], []
        for _ in range(ROUNDS):
            raw.append(
                asyncio.run(
                    run_load(
                        raw_port,
                        lambda rng: f"/units/{rng.choice(unit_ids)}",
                        headers,
                        connections=CONNECTIONS,
                        seconds=SECONDS,
                    )
                )
            )
            ours.append(
                asyncio.run(
                    run_load(
                        ours_port,
                        lambda rng: f"/v1/units/{rng.choice(unit_ids)}",
                        headers,
                        connections=CONNECTIONS,
                        seconds=SECONDS,
                    )
                )
            )
        print(
            f"\nLuoshi benchmarks — {ROUNDS} alternating rounds of {SECONDS:.0f} s, {CONNECTIONS} connections, "
            "one uvicorn worker each, same machine, same database\n"
        )
        print("| figure | ours req/s | raw asyncpg req/s | ours/raw | ours p50/p99 ms | raw p50/p99 ms | errors |")
        print("|---|---|---|---|---|---|---|")
        print(row("GET one unit by id (tasks-api vs FastAPI+asyncpg)", best(ours), best(raw), aim=0.8))
        ours, raw = [], []
        my_path = "?due_from=2026-06-01&limit=50"
        for _ in range(ROUNDS):
            raw.append(
                asyncio.run(
                    run_load(
                        raw_port,
                        lambda rng: f"/my/{rng.choice(unit_ids)}{my_path}",
                        headers,
                        connections=CONNECTIONS,
                        seconds=SECONDS,
                    )
                )
            )
            ours.append(
                asyncio.run(
                    run_load(
                        ours_port,
                        lambda rng: f"/v1/me/assignments{my_path}&unit_id={rng.choice(unit_ids)}",
                        headers,
                        connections=CONNECTIONS,
                        seconds=SECONDS,
                    )
                )
            )
        print(row("my tasks, 1M tasks / 3,000 units, filtered, keyset page of 50", best(ours), best(raw)))
        plan_ids = asyncio.run(_plan_ids(url))
        unit_headers = {"Authorization": f"Bearer {unit_token}"}
        # (label, raw path, our service's port, our path, whose request)
        lists = (
            (
                "units, first page of 50",
                lambda rng: "/units?limit=50",
                ours_port,
                lambda rng: "/v1/units?limit=50",
                headers,
            ),
            (
                "plans, first page of 20",
                lambda rng: "/plans?limit=20",
                ours_port,
                lambda rng: "/v1/plans?limit=20",
                headers,
            ),
            (
                "a plan's tasks with their assignments' lights, first page of 50",
                lambda rng: f"/plans/{rng.choice(plan_ids)}/tasks?limit=50",
                ours_port,
                lambda rng: f"/v1/plans/{rng.choice(plan_ids)}/tasks?limit=50",
                headers,
            ),
            (
                "a plan's board (12,000 assignments: per unit by light, overdue list)",
                lambda rng: f"/plans/{rng.choice(plan_ids)}/board",
                ours_port,
                lambda rng: f"/v1/plans/{rng.choice(plan_ids)}/board",
                headers,
            ),
            (
                "a unit's 待办 (tasks-api: to sign for, reports owed, returned), first page of 50",
                lambda rng: f"/todo/{todo_unit}?limit=50",
                ours_port,
                lambda rng: "/v1/me/todo?limit=50",
                unit_headers,
            ),
            (
                "notifications (notify), first page of 50",
                lambda rng: "/notifications?limit=50",
                notify_port,
                lambda rng: "/v1/notifications?limit=50",
                headers,
            ),
        )
        for label, raw_path, port, ours_path, who in lists:
            ours, raw = [], []
            asyncio.run(
                run_load(port, ours_path, who, connections=CONNECTIONS, seconds=1)
            )  # a cold service's pools fill
            opened_before = _connections_opened(port)
            for _ in range(ROUNDS):
                raw.append(asyncio.run(run_load(raw_port, raw_path, who, connections=CONNECTIONS, seconds=SECONDS)))
                ours.append(asyncio.run(run_load(port, ours_path, who, connections=CONNECTIONS, seconds=SECONDS)))
            print(row(label, best(ours), best(raw)))
            churn[label] = _connections_opened(port) - opened_before
        print(
            "\nnew database connections the service opened during each list's rounds (after the first rows warmed its "
            f"pools): {'; '.join(f'{label}: {opened:.0f}' for label, opened in churn.items())}"
        )
        from tests.bench import sweep

        print(f"\n{asyncio.run(sweep.measure(url, f'http://127.0.0.1:{ours_port}'))}")
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)
    print(f"\n{parse_figure()}")
    from tests.bench import console

    print(f"\n{console.bundle_figure()}")
    print(f"\n{console.todo_figure(url)}")
    from tests.bench import notify, scoring

    print(f"\n{asyncio.run(scoring.measure(url))}")
    print(f"\n{asyncio.run(notify.measure(url))}")
    # last: onnxruntime's worker threads stay in the process after OCR and slowed the delivery figure by ~30 %
    print(f"\n{ocr_figure()}")


def parse_figure(runs: int = 5) -> str:
    """Reading a long plan into a draft is CPU only: its median time is reported as is (no baseline)."""
    from luoshi_tasks.planparse import parse_plan
    from tests.unit.planparse.bench_parse import make_big_plan

    text = make_big_plan()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        draft = parse_plan(text)
        times.append(time.perf_counter() - started)
    median = sorted(times)[runs // 2]
    verdict = "ok" if median < 0.5 else "SLOW"
    return (
        f"parse a {len(text):,}-character plan into a draft ({len(draft.tasks)} tasks, {len(draft.indicators)} "
        f"indicators): median {median * 1000:.0f} ms, max {max(times) * 1000:.0f} ms over {runs} runs ({verdict})"
    )


def ocr_figure(runs: int = 3) -> str:
    """Seconds per scanned page (OCR on this machine's CPU): the first page of the rendered Xiayi scan, a full A4 page
    of 10.5-point text at 150 dpi. Reported as is: the engine is loaded once before timing."""
    from luoshi_tasks.planparse.ocr import open_image, recognise

    scan = Path(__file__).resolve().parents[1] / "fixtures" / "scans" / "xiayi-brand-zone-plan-2015.page1.jpg"
    image = open_image(scan.read_bytes())
    recognise(image, 1)  # load the models
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        page = recognise(image, 1)
        times.append(time.perf_counter() - started)
    median = sorted(times)[runs // 2]
    return (
        f"OCR of a scanned A4 page ({len(page.lines)} lines, confidence {page.confidence:.2f}): "
        f"median {median:.1f} s per page over {runs} runs"
    )


if __name__ == "__main__":
    main()
