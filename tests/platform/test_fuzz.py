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

import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
ADMIN, PASSWORD = "fuzz-admin", "Fz-admin-pw-2026"

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
    url: str, token: str, workdir: Path, ids: dict[str, list[int]], unit_token: str
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
        "--report",
        "har",
        "--report-har-path",
        str(workdir / "run.har"),
    ]
    if os.environ.get("FUZZ_EXAMPLES"):
        command += ["--max-examples", os.environ["FUZZ_EXAMPLES"]]
    if os.environ.get("FUZZ_SEED"):
        command += ["--seed", os.environ["FUZZ_SEED"]]
    env = {
        **os.environ,
        "LUOSHI_FUZZ_TOKEN": token,
        "LUOSHI_FUZZ_UNIT_TOKEN": unit_token,
        "SCHEMATHESIS_HOOKS": str(HOOKS),
    }
    return subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=TIME_LIMIT)


@pytest.mark.timeout(TIME_LIMIT + 30)
@pytest.mark.parametrize("service", ["tasks", "scoring", "notify"])
def test_every_operation_survives_fuzzing(
    service: str, fuzz_live: LiveServices, admin_token: str, seeded_ids: dict[str, Any], tmp_path: Path
) -> None:
    result = run_schemathesis(
        fuzz_live.urls[service], admin_token, tmp_path, seeded_ids[service], seeded_ids["unit_token"]
    )
    report = result.stdout + result.stderr
    print(report[-6000:])  # the summary and its warnings (shown by `pytest -rA`, as `make fuzz` runs it)
    assert result.returncode == 0, f"schemathesis found failures in {service}:\n{report[-20000:]}"
    assert "No issues found" in report or " passed" in report, report[-3000:]
    spec = httpx.get(f"{fuzz_live.urls[service]}/openapi.json", timeout=30).json()
    assert_handlers_were_reached(tmp_path / "run.har", spec)


def assert_handlers_were_reached(har: Path, spec: dict[str, Any]) -> None:
    """A run can pass on error paths alone (a bogus token once gave 941 cases of 401 and a pass): the answers
    must show the handlers ran — few 401/403, and most documented operations answered with a success at least
    once (requests to undocumented methods count for neither)."""
    operations = [
        (method.upper(), re.compile("^" + re.sub(r"\\\{[^}]+\\\}", r"[^/]+?", re.escape(path)) + "$"), path)
        for path, methods in spec["paths"].items()
        for method in methods
    ]
    statuses: dict[str, list[int]] = defaultdict(list)
    for entry in json.loads(har.read_text(encoding="utf-8"))["log"]["entries"]:
        method, path = entry["request"]["method"], urlsplit(entry["request"]["url"]).path
        for op_method, pattern, template in operations:
            if op_method == method and pattern.match(path):
                statuses[f"{method} {template}"].append(entry["response"]["status"])
                break
    answers = [s for found in statuses.values() for s in found]
    refused = sum(s in (401, 403) for s in answers) / len(answers)
    assert refused < 0.05, f"{refused:.0%} of {len(answers)} answers were 401/403: the run was not signed in"
    succeeded = [op for op, found in statuses.items() if any(200 <= s < 300 for s in found)]
    assert len(succeeded) >= 0.6 * len(statuses), (
        f"only {len(succeeded)} of {len(statuses)} operations ever succeeded: {sorted(set(statuses) - set(succeeded))}"
    )
