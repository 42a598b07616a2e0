"""Deactivation and activation by an admin, an admin's password reset, and the user's own password change
(finding 7 of issue 14; 等保 2.0 身份鉴别): each audited; a reset password must be changed at the next sign-in."""

from __future__ import annotations

from sqlalchemy import text

from tests.conftest import PASSWORD, unique
from tests.platform.test_errors import assert_problem

NEW = "Another-pass-2027"


async def _sign_in(tasks, username: str, password: str):
    return await tasks.post("/v1/auth/token", data={"username": username, "password": password})


async def _audit(tasks_app, user_id: int) -> list[str]:
    async with tasks_app.state.db.sessionmaker() as session:
        rows = await session.execute(
            text("SELECT action FROM tasks.audit_log WHERE entity = 'user' AND entity_id = :id ORDER BY id"),
            {"id": str(user_id)},
        )
        return [r[0] for r in rows]


async def test_an_admin_deactivates_and_activates_a_user(tasks, tasks_app, make_user, admin):
    user = await make_user("office")
    assert_problem(await tasks.post(f"/v1/users/{user['id']}/deactivate", headers=user["headers"]), 403, "forbidden")
    r = await tasks.post(f"/v1/users/{user['id']}/deactivate", headers=admin["headers"])
    assert r.status_code == 200 and r.json()["is_active"] is False, r.text
    assert_problem(await _sign_in(tasks, user["username"], PASSWORD), 401, "bad_credentials")
    r = await tasks.post(f"/v1/users/{user['id']}/activate", headers=admin["headers"])
    assert r.status_code == 200 and r.json()["is_active"] is True, r.text
    assert (await _sign_in(tasks, user["username"], PASSWORD)).status_code == 200
    administered = [a for a in await _audit(tasks_app, user["id"]) if a in ("deactivate", "activate")]
    assert administered == ["deactivate", "activate"]
    assert_problem(await tasks.post("/v1/users/999999999/deactivate", headers=admin["headers"]), 404, "user_not_found")


async def test_an_admin_cannot_deactivate_themselves(tasks, make_user):
    other_admin = await make_user("admin")
    r = await tasks.post(f"/v1/users/{other_admin['id']}/deactivate", headers=other_admin["headers"])
    assert_problem(r, 409, "cannot_deactivate_self")


async def test_a_reset_password_must_be_changed_at_the_next_sign_in(tasks, tasks_app, make_user, admin):
    user = await make_user("office")
    r = await tasks.post(f"/v1/users/{user['id']}/reset-password", headers=admin["headers"])
    assert r.status_code == 200, r.text
    temporary = r.json()["temporary_password"]
    assert len(temporary) >= 16 and r.json()["user"]["id"] == user["id"]
    assert_problem(await _sign_in(tasks, user["username"], PASSWORD), 401, "bad_credentials")  # the old one is gone
    body = assert_problem(await _sign_in(tasks, user["username"], temporary), 403, "password_change_required")
    assert body["reason"] == "reset" and body["change_password"] == "/v1/me/password"
    # without a token: the username says whose; the new one must follow the rules
    change = {"username": user["username"], "current_password": temporary, "new_password": "12345678"}
    refused = assert_problem(await tasks.post("/v1/me/password", json=change), 422, "password_rejected")
    assert {e["loc"][-1] for e in refused["errors"]} == {"new_password"}
    assert "password_common" in {e["code"] for e in refused["errors"]}
    r = await tasks.post("/v1/me/password", json={**change, "new_password": NEW})
    assert r.status_code == 200 and r.json()["access_token"], r.text
    me = await tasks.get("/v1/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"})
    assert me.json()["user_id"] == user["id"]
    assert (await _sign_in(tasks, user["username"], NEW)).status_code == 200
    assert {"reset_password", "change_password"} <= set(await _audit(tasks_app, user["id"]))


async def test_an_admin_may_choose_the_temporary_password_within_the_rules(tasks, make_user, admin):
    user = await make_user("office")
    path = f"/v1/users/{user['id']}/reset-password"
    assert_problem(
        await tasks.post(path, json={"password": "12345678"}, headers=admin["headers"]), 422, "password_rejected"
    )
    r = await tasks.post(path, json={"password": "Temp-pass-2026"}, headers=admin["headers"])
    assert r.json()["temporary_password"] == "Temp-pass-2026"
    assert_problem(await _sign_in(tasks, user["username"], "Temp-pass-2026"), 403, "password_change_required")


async def test_a_user_changes_their_own_password(tasks, make_user):
    user = await make_user("office")
    assert_problem(
        await tasks.post(
            "/v1/me/password", json={"current_password": "wrong", "new_password": NEW}, headers=user["headers"]
        ),
        401,
        "bad_credentials",
    )
    same = {"current_password": PASSWORD, "new_password": PASSWORD}
    body = assert_problem(
        await tasks.post("/v1/me/password", json=same, headers=user["headers"]), 422, "password_rejected"
    )
    assert {e["code"] for e in body["errors"]} == {"password_unchanged"}
    r = await tasks.post(
        "/v1/me/password", json={"current_password": PASSWORD, "new_password": NEW}, headers=user["headers"]
    )
    assert r.status_code == 200, r.text
    assert_problem(await _sign_in(tasks, user["username"], PASSWORD), 401, "bad_credentials")
    assert (await _sign_in(tasks, user["username"], NEW)).status_code == 200


async def test_a_password_change_without_a_token_needs_the_username(tasks):
    body = {"current_password": "x", "new_password": NEW}
    refused = assert_problem(await tasks.post("/v1/me/password", json=body), 422, "validation_failed")
    assert refused["errors"][0]["loc"] == ["body", "username"]
    # an unknown user is just a wrong password
    assert_problem(
        await tasks.post("/v1/me/password", json={**body, "username": unique("nobody-")}), 401, "bad_credentials"
    )


async def test_wrong_current_passwords_lock_the_account_like_wrong_sign_ins(tasks, make_user):
    user = await make_user("office")
    body = {"username": user["username"], "current_password": "wrong", "new_password": NEW}
    for _ in range(4):
        assert_problem(await tasks.post("/v1/me/password", json=body), 401, "bad_credentials")
    assert_problem(await tasks.post("/v1/me/password", json=body), 429, "account_locked")
