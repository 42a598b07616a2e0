"""One origin in front of the three services: which service a path goes to, written once.

`make run`'s dev proxy (`devproxy.py`) routes with `resolve`; `deploy/nginx/luoshi.conf`'s locations are generated
from the same table (`luoshi nginx-routes` prints them; `tests/platform/test_one_origin.py` checks the file holds
exactly that, and that nginx's choice and `resolve` agree on every route of every service).

- `/tasks/…`, `/scoring/…`, `/notify/…` reach one service by name, the prefix stripped.
- `/v1/…` paths go to the service that owns them (`OWNED`); tasks-api takes the rest: sign-in, JWKS, /docs and
  the paths every service has (`/v1/me`, `/v1/audit`, `/v1/events`). Jobs have a path per service.
- tasks-api also answers the few paths outside /v1 that are not the console's (`TOP`: its /docs, /openapi.json,
  probes, JWKS).
- Everything else is the web console (`web/console/dist`): its files, and its index.html for its own paths
  (`/plans/4`), which the app routes in the browser.
- `/metrics` is for a Prometheus on the machine, never the origin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SERVICES = ("tasks", "scoring", "notify")
DEFAULT = "tasks"
CONSOLE = "console"
# Where nginx serves the console from (deploy/install.sh copies web/console/dist there).
CONSOLE_ROOT = "/opt/luoshi/console"

# Paths outside /v1 that tasks-api answers at the top: (exact paths, prefixes).
TOP_EXACT = ("/docs", "/openapi.json", "/healthz", "/readyz")
TOP_PREFIXES = ("/v1/", "/docs-assets/", "/.well-known/")

# The first segment after /v1/ of the paths scoring-api and notify own.
OWNED = {
    "scoring": ("schemes", "indicators", "values", "value-attachments", "assessments", "benchmarks", "scoring-jobs"),
    "notify": (
        "notifications",
        "inbox",
        "channels",
        "preferences",
        "rules",
        "templates",
        "bulletins",
        "feeds",
        "sweeps",
        "notify-jobs",
    ),
}


# The console's Content-Security-Policy: its own scripts only; Ant Design writes its styles inline (CSS-in-JS).
CONSOLE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


# Paths under another service's resource that a service owns (regular expressions of the path under /v1/), checked
# before the first-segment rule: notify urges an assignment and prints its 督办通知单.
OWNED_PATHS = {"notify": (r"assignments/[^/]+/(urgings|urging-notice\.docx)",)}


@dataclass(frozen=True)
class Upload:
    """A route that takes a file: nginx lets a larger body through (a little above the service's own limit, so an
    oversized file gets the service's problem+json, not nginx's HTML)."""

    path: str  # a regular expression of the path under /v1, e.g. r"reports/[^/]+/attachments"
    service: str
    max_body: str  # nginx's size, e.g. "11m"


UPLOADS = (
    Upload("(plan-drafts|plans/[^/]+/breakdown)", "tasks", "21m"),
    Upload("reports/[^/]+/attachments", "tasks", "11m"),
    Upload("values/[^/]+/attachments", "scoring", "11m"),
)
HIDDEN = ("/metrics", *(f"/{service}/metrics" for service in SERVICES))
DEFAULT_MAX_BODY = "1m"


def resolve(path: str) -> tuple[str, str] | None:
    """The service (or `console`) a request for `path` goes to and the path it receives; None for what the origin
    refuses."""
    if path in HIDDEN:
        return None
    for service in SERVICES:
        if path.startswith(f"/{service}/"):
            return service, path[len(service) + 1 :]
    for service, patterns in OWNED_PATHS.items():
        if any(re.fullmatch(rf"/v1/{pattern}", path) for pattern in patterns):
            return service, path
    match = re.match(r"^/v1/([^/]+)", path)
    if match:
        for service, segments in OWNED.items():
            if match.group(1) in segments:
                return service, path
    if path in TOP_EXACT or path.startswith(TOP_PREFIXES):
        return DEFAULT, path
    return CONSOLE, path


def max_body(path: str) -> str:
    """nginx's `client_max_body_size` for `path` (the dev proxy leaves body limits to the services)."""
    for upload in UPLOADS:
        if re.fullmatch(rf"(/{upload.service})?/v1/{upload.path}", path):
            return upload.max_body
    return DEFAULT_MAX_BODY


def nginx_locations() -> str:
    """The `location` blocks of deploy/nginx/luoshi.conf's server, in the order nginx needs them."""
    out = ["# Metrics are for a Prometheus on the machine itself (127.0.0.1:800x/metrics), not for the internet."]
    out += [f"location = {path} {{ return 404; }}" for path in HIDDEN]
    out += [
        "",
        "# Each service under its own name (the prefix is stripped). Plain prefixes, not ^~, so the upload",
        "# locations below still get their larger bodies under the service's name; every other request stays at",
        "# the 1m above, and the services refuse more than BODY_MAX_BYTES themselves before reading it.",
    ]
    for service in SERVICES:
        out += [f"location /{service}/ {{", f"    proxy_pass http://luoshi_{service}/;", "}"]
    out += ["", "# Uploads (first: nginx takes the first regular expression that matches)."]
    for upload in UPLOADS:
        out += [
            f"location ~ ^/{upload.service}/v1/{upload.path}$ {{",
            f"    client_max_body_size {upload.max_body};",
            f"    rewrite ^/{upload.service}(/.*)$ $1 break;",
            f"    proxy_pass http://luoshi_{upload.service};",
            "}",
        ]
    for upload in UPLOADS:
        out += [
            f"location ~ ^/v1/{upload.path}$ {{",
            f"    client_max_body_size {upload.max_body};",
            f"    proxy_pass http://luoshi_{upload.service};",
            "}",
        ]
    out += [
        "",
        "# Paths under another service's resource (first: nginx takes the first regular expression that matches).",
    ]
    for service, patterns in OWNED_PATHS.items():
        for pattern in patterns:
            out += [f"location ~ ^/v1/{pattern}$ {{", f"    proxy_pass http://luoshi_{service};", "}"]
    out += ["", "# scoring-api and notify own these /v1 paths..."]
    for service, segments in OWNED.items():
        out += [f"location ~ ^/v1/({'|'.join(segments)})(/|$) {{", f"    proxy_pass http://luoshi_{service};", "}"]
    out += ["", f"# ...and {DEFAULT}-api the rest of /v1, its docs, probes and JWKS."]
    out += [f"location = {path} {{ proxy_pass http://luoshi_{DEFAULT}; }}" for path in TOP_EXACT]
    out += [f"location {prefix} {{ proxy_pass http://luoshi_{DEFAULT}; }}" for prefix in TOP_PREFIXES]
    out += [
        "",
        "# Everything else is the web console: its files (hashed names under /assets/, kept a year), and index.html,",
        "# never cached, for the paths the app routes itself. Its CSP lets it call only this origin.",
        "location / {",
        f"    root {CONSOLE_ROOT};",
        "    try_files $uri /index.html;",
        f'    add_header Content-Security-Policy "{CONSOLE_CSP}" always;',
        "    add_header X-Content-Type-Options nosniff always;",
        "    add_header X-Frame-Options DENY always;",
        "    add_header Referrer-Policy same-origin always;",
        '    add_header Strict-Transport-Security "max-age=31536000" always;',
        '    add_header Cache-Control "no-cache" always;',
        "}",
        "location /assets/ {",
        f"    root {CONSOLE_ROOT};",
        '    add_header Cache-Control "public, max-age=31536000, immutable" always;',
        "    add_header X-Content-Type-Options nosniff always;",
        '    add_header Strict-Transport-Security "max-age=31536000" always;',
        "}",
    ]
    return "\n".join(f"    {line}" if line else "" for line in out) + "\n"


BEGIN = (
    "    # BEGIN routes: generated from deploy/luoshi_ops/routing.py by `luoshi nginx-routes`; do not edit by hand\n"
)
END = "    # END routes\n"


def with_locations(conf: str) -> str:
    """`conf` with its generated section replaced by `nginx_locations()`."""
    if BEGIN not in conf or END not in conf:
        raise ValueError("the nginx file has lost its BEGIN routes / END routes lines")
    head, rest = conf.split(BEGIN)
    _old, tail = rest.split(END)
    return head + BEGIN + nginx_locations() + END + tail
