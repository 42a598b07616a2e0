"""Bad input at scale: every operation of the three services, fuzzed from its own OpenAPI document.

Schemathesis generates requests from each service's /openapi.json (valid and invalid: boundary values,
wrong types, NUL bytes, huge numbers, garbage bodies, then chains of calls that reuse created ids) and
sends them, signed in as an admin so handlers run past authentication, to the three services as real
processes on a database of their own, seeded with one of each thing (fuzz_seed.py) whose ids the
generated requests use half the time. Every answer must be: no 5xx, a documented status, a body that fits
the documented schema, the documented content type (problem+json for errors). Settings: fuzz.toml.

Schemathesis runs as its command line: its pytest plugin does not work with pytest 9.2.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from luoshi_ops.migrate import upgrade
from tests.conftest import TEST_DB
from tests.platform.fuzz_seed import dictionaries_toml, seed
from tests.support import LiveServices, create_user_cli, fresh_database

CONFIG = Path(__file__).with_name("fuzz.toml")
HOOKS = Path(__file__).with_name("fuzz_hooks.py")  # writes get the current ETag (If-Match)
# `make fuzz` digs deeper: FUZZ_EXAMPLES cases an operation, FUZZ_TIME_LIMIT seconds a service, FUZZ_SEED.
TIME_LIMIT = int(os.environ.get("FUZZ_TIME_LIMIT", "270"))
ADMIN, PASSWORD = "fuzz-admin", "fuzz-admin-password"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fuzz_live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServices]:
    """The three services on a database of their own: fuzzing fills it with junk other tests must not see."""
    url = fresh_database(f"{TEST_DB}_fuzz")
    upgrade(url)
    services = LiveServices(url, tmp_path_factory.mktemp("fuzz"))
    try:
        services.start()  # inside the try: a service that never gets ready must not leave the others running
        cli = [sys.executable, "-m", "luoshi_ops.cli"]
        # The demo's units and accounts, so lists are not empty and ids from them lead somewhere.
        subprocess.run([*cli, "demo"], env=services.env, check=True, capture_output=True, timeout=120)
        create_user_cli(services.env, ADMIN, PASSWORD, "admin")
        yield services
    finally:
        services.stop()


@pytest.fixture(scope="module")
def admin_token(fuzz_live: LiveServices) -> str:
    """Issued as an operator would (`luoshi token`), valid for longer than the deepest `make fuzz` run."""
    result = subprocess.run(
        [sys.executable, "-m", "luoshi_ops.cli", "token", ADMIN, "--ttl", str(4 * 3600)],
        env=fuzz_live.env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    token = result.stdout.strip()
    me = httpx.get(f"{fuzz_live.urls['tasks']}/v1/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert me.status_code == 200 and "admin" in me.text, me.text
    return token


@pytest.fixture(scope="module")
def seeded_ids(fuzz_live: LiveServices, admin_token: str) -> dict[str, dict[str, list[int]]]:
    return seed(fuzz_live, admin_token)


def run_schemathesis(
    url: str, token: str, workdir: Path, ids: dict[str, list[int]]
) -> subprocess.CompletedProcess[str]:
    settings = CONFIG.read_text(encoding="utf-8")
    if os.environ.get("FUZZ_SEED"):  # deterministic mode ignores the seed: other cases need random mode
        settings = settings.replace("deterministic = true", "deterministic = false")
    config = workdir / "schemathesis.toml"
    config.write_text(settings + "\n" + dictionaries_toml(ids), encoding="utf-8")
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(config),
        "--no-color",
        "run",
        f"{url}/openapi.json",
        "--workers",
        "1",  # one at a time: the same seed gives the same cases in the same order
        "--output-truncate",
        "false",
    ]
    if os.environ.get("FUZZ_EXAMPLES"):
        command += ["--max-examples", os.environ["FUZZ_EXAMPLES"]]
    if os.environ.get("FUZZ_SEED"):
        command += ["--seed", os.environ["FUZZ_SEED"]]
    env = {**os.environ, "LUOSHI_FUZZ_TOKEN": token, "SCHEMATHESIS_HOOKS": str(HOOKS)}
    return subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=TIME_LIMIT)


@pytest.mark.timeout(TIME_LIMIT + 30)
@pytest.mark.parametrize("service", ["tasks", "scoring", "notify"])
def test_every_operation_survives_fuzzing(
    service: str, fuzz_live: LiveServices, admin_token: str, seeded_ids: dict[str, Any], tmp_path: Path
) -> None:
    result = run_schemathesis(fuzz_live.urls[service], admin_token, tmp_path, seeded_ids[service])
    report = result.stdout + result.stderr
    print(report[-6000:])  # the summary and its warnings (shown by `pytest -rA`, as `make fuzz` runs it)
    assert result.returncode == 0, f"schemathesis found failures in {service}:\n{report[-20000:]}"
    assert "No issues found" in report or " passed" in report, report[-3000:]
