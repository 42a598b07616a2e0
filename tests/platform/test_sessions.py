"""Revocable sessions (findings 7 and 8 of issue 14; 等保 2.0 身份鉴别 and 登录连接超时): short access tokens and
refresh tokens rotated on every use; a refresh token used twice ends its session; sign-out, deactivation, a
password change and an admin's reset end sessions, and their access tokens are refused on all three services
within SESSION_CHECK_SECONDS."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from sqlalchemy import text

from tests.conftest import PASSWORD
from tests.platform.test_errors import assert_problem
from tests.support import SESSION_CHECK_SECONDS


async def _sign_in(tasks, username: str, password: str = PASSWORD) -> dict:
    r = await tasks.post("/v1/auth/token", data={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return r.json()


def _bearer(token: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {token['access_token']}"}


async def _everywhere(services, token: dict) -> set[int]:
    return {(await client.get("/v1/me", headers=_bearer(token))).status_code for client in services.values()}


async def _refused_everywhere(services, token: dict) -> None:
    await asyncio.sleep(SESSION_CHECK_SECONDS + 0.2)  # what each service remembers of the session has lapsed
    for name, client in services.items():
        body = assert_problem(await client.get("/v1/me", headers=_bearer(token)), 401, "unauthenticated")
        assert body["reason"] == "revoked", name


async def test_sign_in_gives_a_short_access_token_and_a_refresh_token(tasks, make_user):
    user = await make_user("office")
    token = await _sign_in(tasks, user["username"])
    assert token["expires_in"] == 15 * 60 and token["token_type"] == "bearer"
    assert token["refresh_token"].startswith("lsr_") and 0 < token["refresh_expires_in"] <= 3600


async def test_refresh_rotates_and_a_reused_refresh_token_ends_the_session(tasks, services, make_user):
    user = await make_user("office")
    first = await _sign_in(tasks, user["username"])
    r = await tasks.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200, r.text
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"] and second["access_token"] != first["access_token"]
    assert await _everywhere(services, second) == {200}
    # the first refresh token again (a copy in someone else's hands): the whole session ends
    reused = await tasks.post("/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert assert_problem(reused, 401, "refresh_token_invalid")["reason"] == "reused"
    ended = await tasks.post("/v1/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert assert_problem(ended, 401, "refresh_token_invalid")["reason"] == "ended"
    await _refused_everywhere(services, second)
    # another session of the same user goes on
    assert await _everywhere(services, await _sign_in(tasks, user["username"])) == {200}


async def test_sign_out_ends_the_session(tasks, services, make_user):
    user = await make_user("office")
    token = await _sign_in(tasks, user["username"])
    assert await _everywhere(services, token) == {200}
    r = await tasks.post("/v1/auth/sign-out", json={"refresh_token": token["refresh_token"]})
    assert r.status_code == 204, r.text
    assert_problem(
        await tasks.post("/v1/auth/refresh", json={"refresh_token": token["refresh_token"]}),
        401,
        "refresh_token_invalid",
    )
    await _refused_everywhere(services, token)
    assert (await tasks.post("/v1/auth/sign-out", json={"refresh_token": "lsr_unknown"})).status_code == 204


async def test_a_deactivated_users_tokens_are_refused_on_all_three_services(tasks, services, make_user, admin):
    user = await make_user("office")
    token = await _sign_in(tasks, user["username"])
    assert await _everywhere(services, token) == {200}  # each service now remembers the session as on
    r = await tasks.post(f"/v1/users/{user['id']}/deactivate", headers=admin["headers"])
    assert r.status_code == 200, r.text
    await _refused_everywhere(services, token)
    assert_problem(
        await tasks.post("/v1/auth/refresh", json={"refresh_token": token["refresh_token"]}),
        401,
        "refresh_token_invalid",
    )
    # activated again, the old tokens stay dead; a new sign-in works
    await tasks.post(f"/v1/users/{user['id']}/activate", headers=admin["headers"])
    for client in services.values():
        assert (await client.get("/v1/me", headers=_bearer(token))).status_code == 401
    assert await _everywhere(services, await _sign_in(tasks, user["username"])) == {200}


async def test_a_password_change_ends_the_other_sessions(tasks, services, make_user):
    user = await make_user("office")
    here, elsewhere = await _sign_in(tasks, user["username"]), await _sign_in(tasks, user["username"])
    change = {"current_password": PASSWORD, "new_password": "Changed-pass-2026"}
    r = await tasks.post("/v1/me/password", json=change, headers=_bearer(here))
    assert r.status_code == 200, r.text
    fresh = r.json()
    assert fresh["refresh_token"]
    await _refused_everywhere(services, elsewhere)
    await _refused_everywhere(services, here)
    assert_problem(
        await tasks.post("/v1/auth/refresh", json={"refresh_token": elsewhere["refresh_token"]}),
        401,
        "refresh_token_invalid",
    )
    assert await _everywhere(services, fresh) == {200}


async def test_an_admins_reset_ends_every_session(tasks, services, make_user, admin):
    user = await make_user("office")
    token = await _sign_in(tasks, user["username"])
    r = await tasks.post(f"/v1/users/{user['id']}/reset-password", headers=admin["headers"])
    assert r.status_code == 200, r.text
    await _refused_everywhere(services, token)
    assert_problem(
        await tasks.post("/v1/auth/refresh", json={"refresh_token": token["refresh_token"]}),
        401,
        "refresh_token_invalid",
    )


async def test_a_refresh_token_not_used_in_time_has_expired(tasks, tasks_app, make_user):
    user = await make_user("office")
    token = await _sign_in(tasks, user["username"])
    async with tasks_app.state.db.sessionmaker() as session:
        await session.execute(
            text(
                "UPDATE tasks.refresh_token SET expires_at = now() - interval '1 second' WHERE session_id IN "
                "(SELECT id FROM tasks.auth_session WHERE user_id = :id)"
            ),
            {"id": user["id"]},
        )
        await session.commit()
    r = await tasks.post("/v1/auth/refresh", json={"refresh_token": token["refresh_token"]})
    assert assert_problem(r, 401, "refresh_token_invalid")["reason"] == "expired"


async def test_the_session_check_is_for_services_only(tasks, make_user):
    user = await make_user("office")
    r = await tasks.post("/v1/auth/sessions/check", json={"user_id": user["id"]}, headers=user["headers"])
    assert_problem(r, 403, "service_only")


async def test_the_console_finds_the_session_routes_in_openapi(tasks):
    paths = (await tasks.get("/openapi.json")).json()["paths"]
    ids = {(path, method): op["operationId"] for path, ops in paths.items() for method, op in ops.items()}
    assert ids[("/v1/auth/token", "post")] == "create_token"
    assert ids[("/v1/auth/refresh", "post")] == "refresh_session"
    assert ids[("/v1/auth/sign-out", "post")] == "sign_out"
    assert ids[("/v1/me/password", "post")] == "change_my_password"
    assert ids[("/v1/users/{user_id}/deactivate", "post")] == "deactivate_user"
    assert ids[("/v1/users/{user_id}/activate", "post")] == "activate_user"
    assert ids[("/v1/users/{user_id}/reset-password", "post")] == "reset_user_password"
    assert "security" not in paths["/v1/auth/refresh"]["post"]
    token_schema = (await tasks.get("/openapi.json")).json()["components"]["schemas"]["Token"]["properties"]
    assert {"access_token", "expires_in", "refresh_token", "refresh_expires_in"} <= set(token_schema)


@pytest.mark.slow
def test_real_processes_refuse_a_deactivated_users_token(live, tasks_app):
    """The three services as real processes: scoring-api and notify ask tasks-api over HTTP."""
    from tests.support import create_user_cli

    name = f"live-session-{int(time.time() * 1000) % 10**8}"
    create_user_cli(live.env, name, PASSWORD, "office")
    token = httpx.post(f"{live.urls['tasks']}/v1/auth/token", data={"username": name, "password": PASSWORD}).json()
    headers = _bearer(token)
    for url in live.urls.values():
        assert httpx.get(f"{url}/v1/me", headers=headers).status_code == 200
    admin_name = f"live-admin-{int(time.time() * 1000) % 10**8}"
    create_user_cli(live.env, admin_name, PASSWORD, "admin")
    admin = httpx.post(f"{live.urls['tasks']}/v1/auth/token", data={"username": admin_name, "password": PASSWORD})
    user_id = httpx.get(f"{live.urls['tasks']}/v1/me", headers=headers).json()["user_id"]
    r = httpx.post(f"{live.urls['tasks']}/v1/users/{user_id}/deactivate", headers=_bearer(admin.json()))
    assert r.status_code == 200, r.text
    time.sleep(SESSION_CHECK_SECONDS + 0.2)
    for url in live.urls.values():
        assert_problem(httpx.get(f"{url}/v1/me", headers=headers), 401, "unauthenticated")
