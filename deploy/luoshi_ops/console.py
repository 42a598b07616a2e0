"""`luoshi console`: build the web console (web/console) into web/console/dist, where the one origin serves it.

The console's API types are generated, never edited: the three services' OpenAPI documents are written to
web/console/openapi/ from the services' code (no server needed), openapi-typescript turns them into
src/api/*.ts, then `npm run build` type-checks the app and bundles it with Vite. The build is skipped when
nothing it reads changed (a digest of the documents, the sources and the lockfile is kept in dist/), so
`make run` pays for it only after a change.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from luoshi.settings import REPO_ROOT

CONSOLE = REPO_ROOT / "web" / "console"
DIST = CONSOLE / "dist"
BIN = CONSOLE / "node_modules" / ".bin"
_DIGEST = ".build-digest"
# The settings class of each service, by the package that holds it.
SERVICE_SETTINGS = {
    "tasks": ("luoshi_tasks", "TasksSettings"),
    "scoring": ("luoshi_scoring", "ScoringSettings"),
    "notify": ("luoshi_notify", "NotifySettings"),
}


class ConsoleUnavailable(Exception):
    """The console cannot be built here (no Node.js, or `npm ci` not run); the APIs work without it."""


def specs() -> dict[str, dict[str, Any]]:
    """Each service's OpenAPI document, built from its code (the database is never reached)."""
    out = {}
    for name, (package, settings_name) in SERVICE_SETTINGS.items():
        settings = getattr(importlib.import_module(f"{package}.settings"), settings_name)
        app = importlib.import_module(f"{package}.main").build_app(settings(database_url="postgresql://x@127.0.0.1/x"))
        out[name] = app.openapi()
    return out


def _inputs_digest(documents: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for name in sorted(documents):
        digest.update(name.encode() + b"\0" + documents[name].encode() + b"\0")
    sources = [
        CONSOLE / "package-lock.json",
        CONSOLE / "index.html",
        CONSOLE / "vite.config.ts",
        CONSOLE / "tsconfig.json",
    ]
    sources += sorted(
        p for p in (CONSOLE / "src").rglob("*") if p.is_file() and "api" not in p.relative_to(CONSOLE / "src").parts[:1]
    )
    for path in sources:
        digest.update(str(path.relative_to(CONSOLE)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def build(*, force: bool = False) -> Path:
    """Build the console unless dist/ is already what the sources and the services' documents make; returns dist/."""
    if shutil.which("npm") is None or not (BIN / "vite").exists():
        raise ConsoleUnavailable(
            "the web console needs Node.js 20+ and `npm ci --prefix web/console` (make install runs it)"
        )
    documents = {name: json.dumps(spec, ensure_ascii=False, sort_keys=True) for name, spec in specs().items()}
    digest = _inputs_digest(documents)
    stamp = DIST / _DIGEST
    if not force and stamp.exists() and stamp.read_text() == digest and (DIST / "index.html").exists():
        return DIST
    (CONSOLE / "openapi").mkdir(exist_ok=True)
    for name, document in documents.items():
        (CONSOLE / "openapi" / f"{name}.json").write_text(document)
    for script in ("types", "build"):
        done = subprocess.run(["npm", "run", "--silent", script], cwd=CONSOLE, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"npm run {script} failed in web/console:\n{done.stdout[-4000:]}{done.stderr[-4000:]}")
    stamp.write_text(digest)
    return DIST
