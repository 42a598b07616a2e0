"""`luoshi run` (what `make run` runs) and the operator CLI, as a user meets them."""

import os
import signal
import subprocess
import sys
import time

import httpx
import psutil

from tests.support import REPO, free_port, fresh_database, zone_at_noon


def test_run_starts_everything_and_ctrl_c_stops_it(tmp_path):
    database_url = fresh_database("luoshi_test_run")
    ports = {"TASKS_API_PORT": free_port(), "SCORING_API_PORT": free_port(), "NOTIFY_PORT": free_port()}
    origin_port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "JWT_PRIVATE_KEY_FILE": str(tmp_path / "k.pem"),
        **{k: str(v) for k, v in ports.items()},
        "ORIGIN_PORT": str(origin_port),
        # the services' local time is about noon whatever the host's clock: the demo's reminders go out at once,
        # not after the recipients' quiet hours (22:00-07:00, when notify holds them: a run at 14:00-23:00 UTC in
        # Asia/Shanghai found only the escalation and the bulletin in the inbox)
        "TIMEZONE": zone_at_noon(),
    }
    log = (tmp_path / "run.log").open("w+")
    # Its own process group, as a terminal gives `make run`: Ctrl-C signals the whole group.
    proc = subprocess.Popen(
        [sys.executable, "-m", "luoshi_ops.cli", "run"],
        env=env,
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while "Ctrl-C stops everything" not in (tmp_path / "run.log").read_text():
            assert proc.poll() is None, (tmp_path / "run.log").read_text()
            assert time.monotonic() < deadline, "luoshi run did not come up"
            time.sleep(0.2)
        output = (tmp_path / "run.log").read_text()
        assert "office   / luoshi-demo-2026" in output
        # the one origin's URL comes first, and the services' JSON logs are not in the way (issue 16)
        banner = output[output.index("落实 Luoshi:") :]
        assert banner.splitlines()[0] == f"落实 Luoshi: http://127.0.0.1:{origin_port}"
        assert '"event"' not in banner
        origin = f"http://127.0.0.1:{origin_port}"
        children = psutil.Process(proc.pid).children(recursive=True)
        assert len(children) >= 3
        for port in ports.values():
            assert httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
            assert httpx.get(f"http://127.0.0.1:{port}/readyz").status_code == 200
        token = httpx.post(
            f"http://127.0.0.1:{ports['TASKS_API_PORT']}/v1/auth/token",
            data={"username": "zhijian", "password": "luoshi-demo-2026"},
        ).json()["access_token"]
        me = httpx.get(f"http://127.0.0.1:{ports['NOTIFY_PORT']}/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert me.json()["unit"]["short_name"] == "质监局"
        through = httpx.get(f"{origin}/notify/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert through.json()["unit"]["short_name"] == "质监局"
        # the demo plan came in through its breakdown table: 质监局 has real tasks waiting
        assert "tasks imported from its breakdown table" in output
        tasks_url = f"http://127.0.0.1:{ports['TASKS_API_PORT']}"
        mine = httpx.get(f"{tasks_url}/v1/me/assignments?limit=100", headers={"Authorization": f"Bearer {token}"})
        assert mine.status_code == 200, mine.text
        titles = {a["task_title"] for a in mine.json()["items"]}
        assert "全面提升质量管理水平" in titles and len(titles) >= 10
        plans = httpx.get(f"{tasks_url}/v1/plans", headers={"Authorization": f"Bearer {token}"}).json()["items"]
        assert [p["doc_number"] for p in plans] == ["夏政〔2015〕29号"]
        # …and a published assessment with a real ranking, which a unit may read
        scoring_url = f"http://127.0.0.1:{ports['SCORING_API_PORT']}"
        assert "Demo assessment" in output
        published = httpx.get(f"{scoring_url}/v1/assessments", headers={"Authorization": f"Bearer {token}"}).json()
        assert len(published["items"]) == 1 and published["items"][0]["published"]
        ranking = httpx.get(
            f"{scoring_url}/v1/assessments/{published['items'][0]['id']}/ranking",
            headers={"Authorization": f"Bearer {token}"},
        ).json()["items"]
        assert len(ranking) == 8 and ranking[0]["rank"] == 1
        assert {r["grade"] for r in ranking} <= {"优秀", "良好", "合格", "不合格"}
        card = httpx.get(
            f"{scoring_url}/v1/assessments/{published['items'][0]['id']}/scorecards",
            headers={"Authorization": f"Bearer {token}"},
        ).json()["items"]
        assert len(card) == 1 and len(card[0]["lines"]) >= 11 and card[0]["lines"][0]["explain_zh"]
        # …and notify has put reminders and the last month's bulletin in 质监局's inbox
        notify_url = f"http://127.0.0.1:{ports['NOTIFY_PORT']}"
        assert "Demo bulletin" in output
        inbox: dict = {}
        # notify delivers one message after another: wait for every kind promised, not only the first to arrive
        for _ in range(150):
            inbox = httpx.get(f"{notify_url}/v1/inbox", headers={"Authorization": f"Bearer {token}"}).json()
            if {"bulletin", "remind", "urge", "escalate"} <= {i["kind"] for i in inbox["items"]}:
                break
            time.sleep(0.2)
        kinds = {i["kind"] for i in inbox["items"]}
        assert "bulletin" in kinds and inbox["unread"] >= 1, inbox
        # …and the reminders it promises: one task due in three working days, one urged and escalated (issue 17)
        assert {"remind", "urge", "escalate"} <= kinds, kinds

        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(20) == 0
        _, alive = psutil.wait_procs(children, timeout=10)
        assert not alive, f"still running after Ctrl-C: {alive}"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def test_cli_creates_a_user_from_piped_password_and_prints_a_token(database_url, tasks_app):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "JWT_PRIVATE_KEY_FILE": str(tasks_app.state.settings.jwt_private_key_file),
    }
    name = f"cli-{os.getpid()}-{time.monotonic_ns()}"
    created = subprocess.run(
        [sys.executable, "-m", "luoshi_ops.cli", "users", "create", name, "--role", "leader"],
        input="A good password 1\nA good password 1\n",
        text=True,
        capture_output=True,
        env=env,
    )
    assert created.returncode == 0, created.stderr
    mismatch = subprocess.run(
        [sys.executable, "-m", "luoshi_ops.cli", "users", "create", name + "x", "--role", "leader"],
        input="A good password 1\nanother one\n",
        text=True,
        capture_output=True,
        env=env,
    )
    assert mismatch.returncode != 0 and "do not match" in mismatch.stderr
    token = subprocess.run(
        [sys.executable, "-m", "luoshi_ops.cli", "token", name], text=True, capture_output=True, env=env, check=True
    ).stdout.strip()
    claims = tasks_app.state.keys  # verify with the same key tasks-api uses
    import jwt

    decoded = jwt.decode(token, claims.private_key.public_key(), algorithms=["RS256"], audience="luoshi")
    assert decoded["name"] == name and decoded["roles"] == ["leader"]


def _without_database_url(**extra: str) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if k != "DATABASE_URL"}, **extra}


def test_a_service_without_database_url_stops_at_once_and_says_why(tmp_path):
    # Outside the tooling nothing picks a database for a service: no silent fallback to the embedded one.
    env = _without_database_url(SCORING_API_PORT=str(free_port()))
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "luoshi_ops.cli", "serve", "scoring"],
        env=env,
        cwd=tmp_path,  # no .env here to set it either
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert time.monotonic() - started < 30
    assert "DATABASE_URL is not set" in result.stdout + result.stderr


def test_migrate_without_database_url_starts_the_embedded_database(tmp_path):
    """A fresh clone: `luoshi migrate` (make migrate) starts the embedded PostgreSQL and migrates it; the other
    commands use it while it runs and say what is missing once it is stopped."""
    env = _without_database_url(
        LUOSHI_EMBEDDED_PG_DIR=str(tmp_path / "pg"),
        LUOSHI_EMBEDDED_PG_PORT=str(free_port()),
        JWT_PRIVATE_KEY_FILE=str(tmp_path / "k.pem"),
    )

    def luoshi(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "luoshi_ops.cli", *args],
            env=env,
            cwd=tmp_path,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=180,
        )

    try:
        migrated = luoshi("migrate")
        assert migrated.returncode == 0 and "database is at head" in migrated.stdout, migrated.stderr
        created = luoshi("users", "create", "fresh", "--role", "leader", stdin="A good password 1\n" * 2)
        assert created.returncode == 0, created.stderr
        assert luoshi("token", "fresh").stdout.count(".") == 2  # a JWT
    finally:
        luoshi("db", "stop")
    stopped = luoshi("token", "fresh")
    assert stopped.returncode != 0 and "DATABASE_URL is not set" in stopped.stderr
