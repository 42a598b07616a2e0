"""The shipped deployments cannot run on a public placeholder (finding 2 of issue 14): compose has no default
for any secret and runs in production; the Kubernetes base ships its Secrets empty and runs in production; and
services started that way refuse the forged service token the probe used (HS256, signed with the development
SERVICE_SECRET that is public in this repository), which once created an admin."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

import httpx
import jwt
import yaml

from luoshi.auth import SERVICE_AUDIENCE
from luoshi.secretbox import SecretBox
from luoshi.settings import DEV_SERVICE_SECRET
from tests.support import REPO, LiveServices

SECRETS = ("SERVICE_SECRET", "POSTGRES_PASSWORD", "CHANNEL_SECRET_KEYS")


def test_compose_has_no_default_for_any_secret_and_runs_in_production():
    text = (REPO / "deploy" / "compose.yaml").read_text(encoding="utf-8")
    for name in SECRETS:
        uses = re.findall(r"\$\{" + name + r"([^}]*)\}", text)
        assert uses, name
        assert all(u.startswith(":?") for u in uses), f"{name} has a default: {uses}"
    assert "${ENVIRONMENT:-production}" in text
    assert DEV_SERVICE_SECRET not in text


def test_the_kubernetes_base_ships_empty_secrets_and_runs_in_production():
    base = REPO / "deploy" / "k8s" / "base"
    docs = [d for d in yaml.safe_load_all((base / "secret.yaml").read_text(encoding="utf-8")) if d]
    assert {d["metadata"]["name"] for d in docs} == {"luoshi-secrets", "luoshi-notify-secrets"}
    assert all(value == "" for d in docs for value in d["stringData"].values())
    config = yaml.safe_load((base / "configmap.yaml").read_text(encoding="utf-8"))
    assert config["data"]["ENVIRONMENT"] == "production"


def test_a_forged_service_token_gets_401_from_a_deployment_started_as_documented(database_url: str, tmp_path: Path):
    from luoshi_tasks.identity.keys import generate_key_file

    key_file = tmp_path / "jwt-private.pem"
    generate_key_file(key_file)  # what the compose `jwt-key` one-shot does
    env = {
        "ENVIRONMENT": "production",
        "SERVICE_SECRET": secrets.token_urlsafe(48),
        "CHANNEL_SECRET_KEYS": SecretBox.new_key(),
        "JWT_PRIVATE_KEY_FILE": str(key_file),
    }
    live = LiveServices(database_url, tmp_path, env=env).start()
    try:
        now = int(time.time())
        forged = jwt.encode(
            {"sub": "service:notify", "aud": SERVICE_AUDIENCE, "iat": now, "exp": now + 300},
            DEV_SERVICE_SECRET,
            algorithm="HS256",
        )
        headers = {"Authorization": f"Bearer {forged}"}
        body = {"username": "forged-admin", "password": "Zl-4kq-9wX!p-long", "roles": ["admin"]}
        r = httpx.post(f"{live.urls['tasks']}/v1/users", json=body, headers=headers, timeout=30)
        assert r.status_code == 401, r.text
        for service in ("scoring", "notify"):
            assert httpx.get(f"{live.urls[service]}/v1/me", headers=headers, timeout=30).status_code == 401
    finally:
        live.stop()
