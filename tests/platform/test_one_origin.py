"""One origin in front of the three services (issue 16, "One origin"): `make run`'s origin and nginx route from one
table and agree on every path; through the origin a client signs in, calls all three services, signs in from every
service's /docs, and polls a notify job to its end by following its `Location` exactly."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest

from luoshi_ops import routing
from tests.platform.test_nginx_conf import CONF, _locations, _routes, route
from tests.support import REPO, LiveServices, create_user_cli, free_port


def test_nginx_locations_are_the_generated_ones() -> None:
    conf = CONF.read_text()
    assert routing.with_locations(conf) == conf, "run `luoshi nginx-routes --write` after changing routing.py"


def test_the_dev_origin_routes_every_path_as_nginx_does() -> None:
    locations = _locations()
    paths = {p for service_paths in _routes().values() for p in service_paths}
    public = {p for path in paths for p in (path, *(f"/{s}{path}" for s in routing.SERVICES))} | set(routing.HIDDEN)
    for path in sorted(public):
        chosen, forwarded = route(path, locations)
        expected = None if chosen.upstream is None else (chosen.upstream, forwarded)
        assert routing.resolve(path) == expected, path
        assert routing.max_body(path) == f"{chosen.max_body // (1024 * 1024)}m", path


@pytest.fixture(scope="module")
def origin(database_url: str, tmp_path_factory: pytest.TempPathFactory):
    """The services as `make run` starts them, PUBLIC_BASE_URL the origin, and the origin in front."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    logs = tmp_path_factory.mktemp("origin")
    services = LiveServices(database_url, logs, env={"PUBLIC_BASE_URL": url}).start()
    proxy = subprocess.Popen(
        [sys.executable, "-m", "luoshi_ops.cli", "origin", "--port", str(port)],
        env=services.env,
        cwd=REPO,
        stdout=(logs / "origin.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait(url, proxy, logs / "origin.log")
        create_user_cli(services.env, "origin-admin", "Lantern-maple-2026!", "admin")
        yield url
    finally:
        proxy.terminate()
        proxy.wait(10)
        services.stop()


def _wait(url: str, proc: subprocess.Popen, log: Path) -> None:
    for _ in range(100):
        assert proc.poll() is None, log.read_text()
        try:
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(log.read_text())


def test_one_origin_signs_in_and_reaches_all_three(origin: str) -> None:
    with httpx.Client(base_url=origin, timeout=10) as http:
        signed = http.post("/v1/auth/token", data={"username": "origin-admin", "password": "Lantern-maple-2026!"})
        assert signed.status_code == 200, signed.text
        auth = {"Authorization": f"Bearer {signed.json()['access_token']}"}
        for path in ("/v1/units", "/v1/indicators", "/v1/notifications", "/scoring/v1/indicators"):
            answer = http.get(path, headers=auth)
            assert answer.status_code == 200 and "items" in answer.json(), (path, answer.text)

        # every service's /docs signs in at the origin: its tokenUrl, read from where the page reads it, answers
        for docs in ("/docs", "/tasks/docs", "/scoring/docs", "/notify/docs"):
            assert http.get(docs).status_code == 200, docs
            spec = http.get(urljoin(docs, "openapi.json")).json()
            token_url = spec["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]["password"]["tokenUrl"]
            absolute = urljoin(f"{origin}{docs}", token_url)
            assert absolute == f"{origin}/v1/auth/token", (docs, token_url)

        # a notify job, polled through the origin by following Location as given
        started = http.post("/v1/sweeps", headers=auth)
        assert started.status_code == 202, started.text
        for _ in range(100):
            job = http.get(started.headers["Location"], headers=auth)
            assert job.status_code == 200 and job.json()["id"] == started.json()["id"], job.text
            if job.json()["status"] in ("succeeded", "failed"):
                break
            time.sleep(0.1)
        assert job.json()["status"] == "succeeded", job.json()
