"""Tokens made outside sign-in (finding 8 of issue 14): `luoshi token` refuses a deactivated user and a lifetime
over CLI_TOKEN_MAX_MINUTES; service tokens (HS256 from SERVICE_SECRET) must name their issuer and live at most
SERVICE_TOKEN_MAX_SECONDS — one made to last ten years is refused by all three services."""

from __future__ import annotations

import time

import jwt
import pytest

from luoshi.auth import SERVICE_AUDIENCE, SERVICE_ISSUER, make_service_token
from luoshi.settings import BaseServiceSettings
from luoshi_tasks.commands import issue_token
from tests.platform.test_errors import assert_problem


def _service_token(tasks_app, **claims) -> str:
    secret = tasks_app.state.settings.service_secret.get_secret_value()
    now = int(time.time())
    body = {"iss": SERVICE_ISSUER, "sub": "service:probe", "aud": SERVICE_AUDIENCE, "iat": now, "exp": now + 300}
    body.update(claims)
    return jwt.encode({k: v for k, v in body.items() if v is not None}, secret, algorithm="HS256")


@pytest.mark.parametrize("client_name", ["tasks", "scoring", "notify"])
async def test_service_tokens_need_an_issuer_and_a_short_life(client_name, services, tasks_app):
    client = services[client_name]
    now = int(time.time())
    good = make_service_token(tasks_app.state.settings.service_secret.get_secret_value(), "probe")
    assert (await client.get("/v1/me", headers={"Authorization": f"Bearer {good}"})).status_code == 200
    refused = {
        "ten years": _service_token(tasks_app, exp=now + 10 * 365 * 86400),
        "ten years, issued later": _service_token(
            tasks_app, iat=now + 10 * 365 * 86400 - 300, exp=now + 10 * 365 * 86400
        ),
        "two hours": _service_token(tasks_app, exp=now + 7200),
        "no issuer": _service_token(tasks_app, iss=None),
        "a user token's issuer": _service_token(tasks_app, iss=tasks_app.state.settings.jwt_issuer),
        "no iat": _service_token(tasks_app, iat=None),
    }
    for label, token in refused.items():
        response = await client.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, (label, response.text)
        assert_problem(response, 401, "unauthenticated")


def test_a_service_may_not_be_set_to_make_tokens_longer_than_accepted():
    with pytest.raises(ValueError, match="SERVICE_TOKEN_MAX_SECONDS"):
        BaseServiceSettings(service_token_seconds=7200, service_token_max_seconds=3600)


async def test_luoshi_token_refuses_a_deactivated_user_and_a_long_lifetime(tasks, tasks_app, make_user, admin):
    settings = tasks_app.state.settings
    user = await make_user("office")
    token = await issue_token(settings, user["username"], 600)
    assert jwt.decode(token, options={"verify_signature": False})["exp"] - int(time.time()) <= 600
    assert (await tasks.get("/v1/me", headers={"Authorization": f"Bearer {token}"})).status_code == 200
    with pytest.raises(SystemExit, match="CLI_TOKEN_MAX_MINUTES"):
        await issue_token(settings, user["username"], 10 * 365 * 86400)
    await tasks.post(f"/v1/users/{user['id']}/deactivate", headers=admin["headers"])
    with pytest.raises(SystemExit, match="deactivated"):
        await issue_token(settings, user["username"], None)
