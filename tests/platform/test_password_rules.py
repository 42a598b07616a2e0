"""The operator's password rules (finding 7 of issue 14; 等保 2.0 身份鉴别: 口令复杂度, 定期更换): length, character
classes, common passwords and the username refused with a 422 naming the field and each rule; a password older
than PASSWORD_MAX_AGE_DAYS must be changed before sign-in gives a token."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from luoshi_tasks.identity.passwords import common_passwords, password_problems, temporary_password
from tests.conftest import PASSWORD, unique
from tests.platform.test_errors import assert_problem


def _codes(body: dict, field: str = "password") -> set[str]:
    assert all(e["loc"] == ["body", field] for e in body["errors"]), body
    assert all(e["message"] and e["message_zh"] for e in body["errors"]), body
    return {e["code"] for e in body["errors"]}


async def _create(tasks, admin, password: str, username: str | None = None):
    body = {"username": username or unique("pw-"), "password": password, "roles": ["office"]}
    return await tasks.post("/v1/users", json=body, headers=admin["headers"])


async def test_12345678_is_refused_naming_the_field_and_every_rule(tasks, admin):
    body = assert_problem(await _create(tasks, admin, "12345678"), 422, "password_rejected")
    assert _codes(body) == {"password_too_short", "password_too_simple", "password_common"}
    assert "10" in body["detail"] and "口令" in body["detail_zh"]


async def test_12345678_is_refused_as_common_even_under_the_loosest_rules(tasks, tasks_app, admin, monkeypatch):
    monkeypatch.setattr(tasks_app.state.settings, "password_min_length", 8)
    monkeypatch.setattr(tasks_app.state.settings, "password_min_classes", 0)
    body = assert_problem(await _create(tasks, admin, "12345678"), 422, "password_rejected")
    assert _codes(body) == {"password_common"}
    # compared in lower case, and the Chinese list is there too
    assert _codes(assert_problem(await _create(tasks, admin, "PassWord123"), 422, "password_rejected")) == {
        "password_common"
    }
    assert _codes(assert_problem(await _create(tasks, admin, "woaini1314"), 422, "password_rejected")) == {
        "password_common"
    }


async def test_the_username_may_not_be_in_the_password(tasks, admin):
    name = unique("zhangsan-")
    body = assert_problem(await _create(tasks, admin, f"X9!{name}", username=name), 422, "password_rejected")
    assert _codes(body) == {"password_contains_username"}


async def test_a_password_of_the_rules_is_taken(tasks, admin):
    r = await _create(tasks, admin, "Zl-4kq-9wX!p")
    assert r.status_code == 201, r.text


def test_the_rules_follow_the_settings(tasks_app):
    settings = tasks_app.state.settings.model_copy(update={"password_min_length": 16, "password_min_classes": 4})
    assert {p.code for p in password_problems("Abcdefgh1!", settings, None, "new_password")} == {"password_too_short"}
    assert {p.code for p in password_problems("abcdefghijklmnopq", settings, None, "x")} == {"password_too_simple"}
    assert password_problems("Zl-4kq-9wX!p-long", settings, None, "x") == []
    assert len(common_passwords()) > 19_000 and "12345678" in common_passwords()
    for _ in range(20):  # what an admin's reset hands out always passes
        assert password_problems(temporary_password(), settings, "someone", "x") == []


async def test_an_expired_password_must_be_changed_before_sign_in(tasks, tasks_app, make_user, monkeypatch):
    user = await make_user("office")
    async with tasks_app.state.db.sessionmaker() as session:
        await session.execute(
            text("UPDATE tasks.user_account SET password_changed_at = now() - interval '91 days' WHERE id = :id"),
            {"id": user["id"]},
        )
        await session.commit()
    form = {"username": user["username"], "password": PASSWORD}
    body = assert_problem(await tasks.post("/v1/auth/token", data=form), 403, "password_change_required")
    assert body["reason"] == "expired" and body["change_password"] == "/v1/me/password"
    # a wrong password still says only that
    assert_problem(await tasks.post("/v1/auth/token", data={**form, "password": "wrong"}), 401, "bad_credentials")
    monkeypatch.setattr(tasks_app.state.settings, "password_max_age_days", 0)  # 0: passwords never expire
    assert (await tasks.post("/v1/auth/token", data=form)).status_code == 200


async def test_the_cli_refuses_a_password_against_the_rules(tasks_app):
    from luoshi_tasks.commands import create_user

    with pytest.raises(SystemExit) as refused:
        await create_user(tasks_app.state.settings, unique("cli-"), "12345678", ["office"], None)
    assert "10" in str(refused.value) and "口令" in str(refused.value)
