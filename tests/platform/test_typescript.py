"""The TypeScript check (issue 16): TypeScript types generated from the three services' OpenAPI documents with
openapi-typescript, and web/console/src/contract/client.ts type-checked against them — a client that reads pages,
handles a Problem by its code and sends If-Match. It runs offline on what `npm ci` installed in web/console (make
test's install step), and it fails when an error response loses its schema, a list stops being a page, or a
required If-Match becomes optional (each shown below on a spec changed that way)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from luoshi_ops import console
from tests.support import REPO

CONSOLE = REPO / "web" / "console"
BIN = CONSOLE / "node_modules" / ".bin"

pytestmark = pytest.mark.skipif(not shutil.which("node"), reason="Node.js is not installed (make test runs it)")


@pytest.fixture(scope="module")
def specs() -> dict[str, dict[str, Any]]:
    assert (BIN / "tsc").exists(), "run `npm ci --prefix web/console` (make test's install step does)"
    return console.specs()


def type_check(specs: dict[str, dict[str, Any]], workdir: Path) -> subprocess.CompletedProcess[str]:
    """Generate the types of `specs` and type-check the client in a copy of the console (the checkout stays as is)."""
    shutil.copy(CONSOLE / "tsconfig.json", workdir / "tsconfig.json")
    shutil.copytree(CONSOLE / "src" / "contract", workdir / "src" / "contract")
    (workdir / "openapi").mkdir()
    (workdir / "src" / "api").mkdir()
    for name, spec in specs.items():
        source = workdir / "openapi" / f"{name}.json"
        source.write_text(json.dumps(spec, ensure_ascii=False))
        generated = subprocess.run(
            [str(BIN / "openapi-typescript"), str(source), "-o", str(workdir / "src" / "api" / f"{name}.ts")],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert generated.returncode == 0, generated.stderr
    return subprocess.run(
        [str(BIN / "tsc"), "--noEmit", "-p", str(workdir)], capture_output=True, text=True, timeout=300, cwd=workdir
    )


def _operation(spec: dict[str, Any], operation_id: str) -> dict[str, Any]:
    return next(op for ops in spec["paths"].values() for op in ops.values() if op.get("operationId") == operation_id)


def test_the_client_type_checks_against_the_three_specs(specs, tmp_path):
    result = type_check(specs, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def _untyped_error(specs: dict[str, Any]) -> None:
    _operation(specs["tasks"], "update_plan")["responses"]["412"]["content"] = {"application/problem+json": {}}


def _bare_list(specs: dict[str, Any]) -> None:
    content = _operation(specs["scoring"], "list_indicators")["responses"]["200"]["content"]["application/json"]
    content["schema"] = {"type": "array", "items": {"$ref": "#/components/schemas/IndicatorRead"}}


def _optional_if_match(specs: dict[str, Any]) -> None:
    for param in _operation(specs["notify"], "replace_channel")["parameters"]:
        if param["name"] == "if-match":
            param["required"] = False


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (_untyped_error, "'problem' is of type 'unknown'"),
        (_bare_list, "Property 'items' is missing"),
        (_optional_if_match, "Unused '@ts-expect-error' directive"),
    ],
    ids=["error without its schema", "list not a page", "If-Match optional"],
)
def test_the_check_fails_when_the_contract_breaks(specs, tmp_path, change: Callable[[dict], None], complaint: str):
    broken = copy.deepcopy(specs)
    change(broken)
    result = type_check(broken, tmp_path)
    assert result.returncode != 0 and complaint in result.stdout, result.stdout + result.stderr
