"""Sign-in throttling (finding 7 of issue 14; 等保 2.0 登录失败处理): five wrong passwords lock the account for
the time the operator set, the right password is refused meanwhile with a Retry-After, an admin can lift the
lock, and a success resets the count."""

from __future__ import annotations

from tests.conftest import unique
from tests.platform.test_errors import assert_problem

PASSWORD = "Correct horse battery 9"


async def _sign_in(tasks, username: str, password: str):
    return await tasks.post("/v1/auth/token", data={"username": username, "password": password})


async def test_five_wrong_passwords_lock_the_account_until_an_admin_lifts_it(tasks, make_user, admin):
    user = await make_user("office", username=unique("lock-"))
    for _ in range(4):
        assert_problem(await _sign_in(tasks, user["username"], "wrong"), 401, "bad_credentials")
    locked = await _sign_in(tasks, user["username"], "wrong")  # the fifth
    body = assert_problem(locked, 429, "account_locked")
    assert 0 < int(locked.headers["retry-after"]) <= 900 and body["locked_until"]
    # the right password is refused while the lock lasts
    assert_problem(await _sign_in(tasks, user["username"], PASSWORD), 429, "account_locked")
    # only an admin lifts it
    assert (await tasks.post(f"/v1/users/{user['id']}/unlock", headers=user["headers"])).status_code == 403
    r = await tasks.post(f"/v1/users/{user['id']}/unlock", headers=admin["headers"])
    assert r.status_code == 200, r.text
    assert (await _sign_in(tasks, user["username"], PASSWORD)).status_code == 200


async def test_a_success_starts_the_count_again(tasks, make_user):
    user = await make_user("office", username=unique("count-"))
    for _ in range(4):
        assert (await _sign_in(tasks, user["username"], "wrong")).status_code == 401
    assert (await _sign_in(tasks, user["username"], PASSWORD)).status_code == 200
    for _ in range(4):  # four more wrong ones do not lock: the count started again
        assert (await _sign_in(tasks, user["username"], "wrong")).status_code == 401
    assert (await _sign_in(tasks, user["username"], PASSWORD)).status_code == 200


async def test_a_lock_ends_by_itself(tasks, tasks_app, make_user):
    user = await make_user("office", username=unique("ends-"))
    for _ in range(5):
        await _sign_in(tasks, user["username"], "wrong")
    assert (await _sign_in(tasks, user["username"], PASSWORD)).status_code == 429
    async with tasks_app.state.db.sessionmaker() as session:  # the operator's lockout time has passed
        from sqlalchemy import text

        await session.execute(
            text("UPDATE tasks.user_account SET locked_until = now() - interval '1 second' WHERE id = :id"),
            {"id": user["id"]},
        )
        await session.commit()
    assert (await _sign_in(tasks, user["username"], PASSWORD)).status_code == 200


async def test_sign_ins_and_failures_are_audited_with_what_was_tried(tasks, make_user, admin):
    """等保 2.0 8.1.4.3 a: failed sign-ins, lockouts and sign-ins are security events in the audit log."""
    user = await make_user("office", username=unique("audited-"))
    for _ in range(5):
        await _sign_in(tasks, user["username"], "wrong")
    ghost = unique("nobody-")
    await _sign_in(tasks, ghost, "wrong")
    await tasks.post(f"/v1/users/{user['id']}/unlock", headers=admin["headers"])
    assert (await _sign_in(tasks, user["username"], PASSWORD)).status_code == 200

    def entries(entity_id):
        return tasks.get(f"/v1/audit?entity=user&entity_id={entity_id}&limit=50", headers=admin["headers"])

    mine = (await entries(user["id"])).json()["items"][::-1]  # oldest first
    signing = [(e["action"], (e["after"] or {}).get("reason")) for e in mine if e["action"] != "create"]
    assert signing == [
        ("sign_in", None),  # make_user signs in once
        *[("sign_in_failed", "wrong_password")] * 5,
        ("unlock", None),
        ("sign_in", None),
    ]
    fifth = [e for e in mine if e["action"] == "sign_in_failed"][-1]
    assert fifth["after"]["locked_until"] and fifth["after"]["address"]
    assert all(e["actor"] == "system" for e in mine if e["action"] == "sign_in_failed")
    unknown = (await entries(ghost)).json()["items"]
    assert [(e["action"], e["after"]["reason"]) for e in unknown] == [("sign_in_failed", "unknown_user")]
