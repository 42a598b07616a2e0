"""deploy/nginx/luoshi.conf against the services themselves: every route of every service reaches it, uploads
fit through, metrics stay inside. nginx's location rules are followed here (exact, then the longest prefix
unless a `^~` one wins, then the first regular expression, else the longest prefix); `nginx -t` checks the
syntax where nginx is installed."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from luoshi_ops import console
from tests.support import REPO

CONF = REPO / "deploy" / "nginx" / "luoshi.conf"


@dataclass
class Location:
    modifier: str  # "=", "^~", "~" or "" (prefix)
    pattern: str
    upstream: str | None  # "tasks", "scoring", "notify"; "console" for the console's files; None for a 404
    strip: str | None  # the prefix the service does not receive ("/tasks"), by proxy_pass's URI or a rewrite
    max_body: int


def _size(text: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmM]?)", text).groups()  # type: ignore[union-attr]
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit.lower()]


def _locations() -> list[Location]:
    text = re.sub(r"#[^\n]*", "", CONF.read_text())
    server = text[text.index("listen 443") :]
    default_body = _size(re.search(r"^\s*client_max_body_size (\S+);", server, re.M).group(1))  # type: ignore[union-attr]
    found = []
    for modifier, pattern, body in re.findall(r"location\s+(=|\^~|~|)\s*(\S+)\s*\{([^}]*)\}", server):
        proxy = re.search(r"proxy_pass http://luoshi_(\w+)(/?);", body)
        size = re.search(r"client_max_body_size (\S+);", body)
        rewrite = re.search(r"rewrite \^(/\w+)\(/\.\*\)\$ \$1 break;", body)
        strip = rewrite.group(1) if rewrite else (pattern.rstrip("/") if proxy and proxy.group(2) else None)
        found.append(
            Location(
                modifier,
                pattern,
                proxy.group(1) if proxy else "console" if re.search(r"^\s*root ", body, re.M) else None,
                strip,
                _size(size.group(1)) if size else default_body,
            )
        )
    return found


def route(path: str, locations: list[Location]) -> tuple[Location, str]:
    """The location nginx picks for `path`, and the path the service receives."""
    chosen = next((loc for loc in locations if loc.modifier == "=" and loc.pattern == path), None)
    if chosen is None:
        prefixes = [loc for loc in locations if loc.modifier in ("", "^~") and path.startswith(loc.pattern)]
        longest = max(prefixes, key=lambda loc: len(loc.pattern), default=None)
        if longest is not None and longest.modifier == "^~":
            chosen = longest
        else:
            regexes = [loc for loc in locations if loc.modifier == "~" and re.search(loc.pattern, path)]
            chosen = regexes[0] if regexes else longest
    assert chosen is not None, f"no location for {path}"
    forwarded = path[len(chosen.strip) :] if chosen.strip else path
    return chosen, forwarded


def _routes() -> dict[str, dict[str, dict]]:
    """Each service's OpenAPI paths, with a sample value in place of each path parameter."""
    result = {}
    for name, spec in console.specs().items():
        paths = spec["paths"]
        result[name] = {re.sub(r"\{[^}]+\}", "7", path): ops for path, ops in paths.items()}
        result[name]["/docs"] = {}
        result[name]["/openapi.json"] = {}
    return result


def test_every_route_of_every_service_reaches_it() -> None:
    locations = _locations()
    routes = _routes()
    owners: dict[str, list[str]] = {}
    for service, paths in routes.items():
        for path in paths:
            owners.setdefault(path, []).append(service)
    for path, services in owners.items():
        if path == "/metrics":
            continue
        # Under the service's own name, always.
        for service in services:
            location, forwarded = route(f"/{service}{path}", locations)
            assert (location.upstream, forwarded) == (service, path), f"/{service}{path}"
        # At the top: the one service that has it, or tasks-api for the paths they all share.
        location, forwarded = route(path, locations)
        expected = services[0] if len(services) == 1 else "tasks"
        assert (location.upstream, forwarded) == (expected, path), f"{path} goes to {location.upstream}"


def test_uploads_fit_and_metrics_stay_inside() -> None:
    from luoshi_scoring.settings import ScoringSettings
    from luoshi_tasks.settings import TasksSettings

    limits = {"tasks": TasksSettings(), "scoring": ScoringSettings()}
    locations = _locations()
    uploads = 0
    for service, paths in _routes().items():
        for path, operations in paths.items():
            for operation in operations.values():
                if "multipart/form-data" not in operation.get("requestBody", {}).get("content", {}):
                    continue
                uploads += 1
                settings = limits[service]
                needed = settings.attachment_max_bytes if "attachments" in path else settings.import_max_bytes
                for public in (path, f"/{service}{path}"):
                    location, _ = route(public, locations)
                    assert location.max_body > needed, f"{public}: nginx refuses uploads the service accepts"
    assert uploads >= 4
    # and nothing else takes more than 1m, under any name (finding 3 of issue 14: 21m on every /tasks/ route)
    for service, paths in _routes().items():
        for path, operations in paths.items():
            if any("multipart/form-data" in o.get("requestBody", {}).get("content", {}) for o in operations.values()):
                continue
            for public in (path, f"/{service}{path}"):
                assert route(public, locations)[0].max_body <= 1024 * 1024, public
    for path in ("/metrics", "/tasks/metrics", "/scoring/metrics", "/notify/metrics"):
        assert route(path, locations)[0].upstream is None, path


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx is not installed")
def test_nginx_accepts_the_file(tmp_path: Path) -> None:
    """`nginx -t` with the file included as in /etc/nginx/conf.d, and a throwaway certificate."""
    tls = tmp_path / "tls"
    tls.mkdir()
    request = ("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=luoshi.test")
    subprocess.run(
        [*request, "-keyout", str(tls / "key.pem"), "-out", str(tls / "cert.pem")],
        check=True,
        capture_output=True,
    )
    conf = CONF.read_text()
    conf = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {tls / 'cert.pem'};", conf)
    conf = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {tls / 'key.pem'};", conf)
    conf = conf.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "luoshi.conf").write_text(conf)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  access_log off;\n  include {tmp_path}/luoshi.conf;\n}}\n"
    )
    result = subprocess.run(["nginx", "-t", "-p", str(tmp_path), "-c", str(main)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
