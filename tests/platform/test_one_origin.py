"""One origin in front of the three services (issue 16, "One origin"): `make run`'s origin and nginx route from one
table and agree on every path; through the origin a client signs in, calls all three services, signs in from every
service's /docs, and polls a scoring job and a notify job to their end by following their `Location` exactly. The
web console is served there at `/`, and its page signs in and calls all three services the way it does in a
browser (tests/console/ drives it in Chromium)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from urllib.parse import urljoin

import httpx

from luoshi_ops import routing
from tests.platform.test_nginx_conf import CONF, _locations, _routes, route
from tests.support import county_plan

# Paths of the console's own (the app routes them in the browser) and of its files.
CONSOLE_PATHS = ("/", "/plans/4", "/plans/4/tasks", "/assets/index-0a1b2c.js", "/favicon.ico")


def test_nginx_locations_are_the_generated_ones() -> None:
    conf = CONF.read_text()
    assert routing.with_locations(conf) == conf, "run `luoshi nginx-routes --write` after changing routing.py"


def test_the_dev_origin_routes_every_path_as_nginx_does() -> None:
    locations = _locations()
    paths = {p for service_paths in _routes().values() for p in service_paths}
    public = {p for path in paths for p in (path, *(f"/{s}{path}" for s in routing.SERVICES))} | set(routing.HIDDEN)
    for path in sorted(public | set(CONSOLE_PATHS)):
        chosen, forwarded = route(path, locations)
        expected = None if chosen.upstream is None else (chosen.upstream, forwarded)
        assert routing.resolve(path) == expected, path
        assert routing.max_body(path) == f"{chosen.max_body // (1024 * 1024)}m", path


def test_the_console_and_the_services_share_no_path() -> None:
    for path in CONSOLE_PATHS:
        assert routing.resolve(path) == ("console", path), path
    for path in ("/v1/units", "/docs", "/openapi.json", "/healthz", "/readyz", "/.well-known/jwks.json"):
        assert routing.resolve(path) == ("tasks", path), path


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
        assert _polled(http, started.headers["Location"], auth)["id"] == started.json()["id"]


def _polled(http: httpx.Client, location: str, auth: dict[str, str]) -> dict:
    """The job at `location`, exactly as given, read until it ends; it must succeed."""
    for _ in range(300):
        job = http.get(location, headers=auth)
        assert job.status_code == 200, (location, job.text)
        if job.json()["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.1)
    assert job.json()["status"] == "succeeded", job.json()
    return job.json()


def test_a_scoring_job_is_polled_through_the_origin(origin: str) -> None:
    with httpx.Client(base_url=origin, timeout=30) as http:
        signed = http.post("/v1/auth/token", data={"username": "origin-admin", "password": "Lantern-maple-2026!"})
        auth = {"Authorization": f"Bearer {signed.json()['access_token']}"}

        county = county_plan(http, auth, "源")
        plan, bureau = county["plan"], county["bureau"]
        task = {"number": "1", "title": "提升抽查合格率", "lead_unit": bureau["id"]}
        assert http.post(f"/v1/plans/{plan['id']}/tasks", json=task, headers=auth).status_code == 201
        performance = [{"metric": "on_time_completion_rate", "points": 10}]
        scheme = http.post(
            "/v1/schemes", json={"plan_id": plan["id"], "name": "年度考核", "performance": performance}, headers=auth
        )
        assert scheme.status_code == 201, scheme.text
        scheme = scheme.json()
        started = http.post("/v1/assessments", json={"scheme_id": scheme["id"], "period": "2026"}, headers=auth)
        assert started.status_code == 202, started.text
        location = started.headers["Location"]
        assert routing.resolve(location) == ("scoring", location)  # scoring's own job path, not tasks-api's
        job = _polled(http, location, auth)
        assert job["id"] == started.json()["job_id"]
        # the job's result is the assessment it ran, read through the origin too
        assessment = http.get(started.headers["Content-Location"], headers=auth)
        assert assessment.status_code == 200 and assessment.json()["status"] == "done", assessment.text
        cards = http.get(f"{started.headers['Content-Location']}/scorecards", headers=auth).json()["items"]
        assert bureau["id"] in {card["unit_id"] for card in cards}


def test_the_console_page_signs_in_and_calls_all_three(origin: str, console_dist: Path) -> None:
    """The page as a browser gets it from the origin, then its calls made as its code makes them (src/session/api.ts:
    the access token in a header, the refresh token kept by the tab)."""
    with httpx.Client(base_url=origin, timeout=10) as http:
        page = http.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html"), page.text[:200]
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY" and page.headers["cache-control"] == "no-cache"
        assert '<div id="root">' in page.text and "<title>落实 Luoshi</title>" in page.text
        scripts = re.findall(r'<script type="module" crossorigin src="(/assets/[^"]+\.js)"', page.text)
        assert scripts, page.text
        bundle = http.get(scripts[0])
        assert bundle.status_code == 200 and "javascript" in bundle.headers["content-type"]
        assert "immutable" in bundle.headers["cache-control"]
        # the calls the page makes, as its code names them
        for call in (
            "/v1/auth/token",
            "/v1/auth/refresh",
            "/v1/me",
            "/v1/plans?limit=20",
            "/v1/indicators?limit=20",
            "/v1/inbox?limit=10",
        ):
            assert call in bundle.text, call
        # a path of the app's own is the page; a missing file is not
        assert http.get("/plans/4").text == page.text
        assert http.get("/assets/no-such-file.js").status_code == 404

        # signing in, as the sign-in form posts it
        signed = http.post("/v1/auth/token", data={"username": "origin-admin", "password": "Lantern-maple-2026!"})
        assert signed.status_code == 200, signed.text
        token = signed.json()
        auth = {"Authorization": f"Bearer {token['access_token']}", "Accept": "application/json"}
        me = http.get("/v1/me", headers=auth)
        assert me.status_code == 200 and me.json()["username"] == "origin-admin"
        assert "items" in http.get("/v1/plans?limit=20", headers=auth).json()  # tasks-api
        assert "items" in http.get("/v1/indicators?limit=20", headers=auth).json()  # scoring-api
        inbox = http.get("/v1/inbox?limit=10", headers=auth).json()  # notify
        assert "items" in inbox and "unread" in inbox
        # a wrong password is a problem the form shows in Chinese
        refused = http.post("/v1/auth/token", data={"username": "origin-admin", "password": "wrong"})
        assert refused.status_code == 401 and refused.json()["title_zh"], refused.text
        # the tab's refresh token gives a new access token once
        renewed = http.post("/v1/auth/refresh", json={"refresh_token": token["refresh_token"]})
        assert renewed.status_code == 200, renewed.text
        again = {"Authorization": f"Bearer {renewed.json()['access_token']}"}
        assert http.get("/v1/inbox?limit=10", headers=again).status_code == 200
