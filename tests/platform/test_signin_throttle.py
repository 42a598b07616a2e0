"""Sign-in throttling per client address (finding 7 of issue 14; 等保 2.0 登录失败处理): wrong sign-ins from one
address, whatever usernames they try, refuse that address every sign-in for the rest of the window (429 with
Retry-After), while other addresses sign in; behind a proxy the address is X-Forwarded-For's, only from a
trusted proxy (uvicorn's FORWARDED_ALLOW_IPS)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import text
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from tests.conftest import PASSWORD, unique
from tests.platform.test_errors import assert_problem
from tests.support import LiveServices


def _client(app, address: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app, client=(address, 40000)), base_url="http://tasks")


async def _sign_in(client, username: str, password: str, **headers: str):
    return await client.post("/v1/auth/token", data={"username": username, "password": password}, headers=headers)


def limit_three(tasks_app, monkeypatch) -> None:
    """After the test's users are made: the harness signs them in from 127.0.0.1, which other tests' wrong
    passwords may have used up this window's three."""
    monkeypatch.setattr(tasks_app.state.settings, "signin_address_max_failures", 3)


async def test_wrong_sign_ins_from_one_address_refuse_it_until_the_window_ends(tasks_app, make_user, monkeypatch):
    user = await make_user("office")
    limit_three(tasks_app, monkeypatch)
    address = "192.0.2.1"
    async with _client(tasks_app, address) as attacker, _client(tasks_app, "198.51.100.20") as other:
        # three different usernames (two unknown): the account lockout never sees more than one each
        for name in (unique("nobody-"), unique("nobody-"), user["username"]):
            assert_problem(await _sign_in(attacker, name, "wrong password"), 401, "bad_credentials")
        refused = await _sign_in(attacker, user["username"], PASSWORD)  # even the right password
        body = assert_problem(refused, 429, "signin_throttled")
        assert 0 < int(refused.headers["retry-after"]) <= 900
        assert "秒" in body["detail_zh"]
        # the account is not locked: the same user signs in from another address
        assert (await _sign_in(other, user["username"], PASSWORD)).status_code == 200
        async with tasks_app.state.db.sessionmaker() as session:  # the window has passed
            await session.execute(
                text(
                    "UPDATE tasks.signin_address SET window_started = now() - interval '901 seconds' WHERE address = :a"
                ),
                {"a": address},
            )
            await session.commit()
        assert (await _sign_in(attacker, user["username"], PASSWORD)).status_code == 200


async def test_behind_a_trusted_proxy_the_forwarded_address_is_counted(tasks_app, make_user, monkeypatch):
    """`luoshi serve` runs uvicorn with proxy_headers: X-Forwarded-For is believed from FORWARDED_ALLOW_IPS only."""
    user = await make_user("office")
    limit_three(tasks_app, monkeypatch)
    behind_proxy = ProxyHeadersMiddleware(tasks_app, trusted_hosts="127.0.0.1")
    async with _client(behind_proxy, "127.0.0.1") as proxy, _client(behind_proxy, "203.0.113.77") as direct:
        for _ in range(3):
            await _sign_in(proxy, unique("nobody-"), "wrong", **{"X-Forwarded-For": "203.0.113.10"})
        assert_problem(
            await _sign_in(proxy, user["username"], PASSWORD, **{"X-Forwarded-For": "203.0.113.10"}),
            429,
            "signin_throttled",
        )
        # another client behind the same proxy is not refused
        ok = await _sign_in(proxy, user["username"], PASSWORD, **{"X-Forwarded-For": "203.0.113.11"})
        assert ok.status_code == 200
        # a client reaching the service directly cannot choose its address with the header
        for forwarded in ("203.0.113.12", "203.0.113.13", "203.0.113.14"):
            await _sign_in(direct, unique("nobody-"), "wrong", **{"X-Forwarded-For": forwarded})
        assert_problem(
            await _sign_in(direct, user["username"], PASSWORD, **{"X-Forwarded-For": "203.0.113.15"}),
            429,
            "signin_throttled",
        )


@pytest.mark.slow
def test_a_running_tasks_api_throttles_by_the_forwarded_address(database_url, tmp_path):
    """tasks-api as a real process (`luoshi serve`: uvicorn with proxy headers from 127.0.0.1), as behind nginx."""
    live = LiveServices(database_url, tmp_path, env={"SIGNIN_ADDRESS_MAX_FAILURES": "2"}, only=("tasks",)).start()
    try:

        def sign_in(forwarded: str) -> httpx.Response:
            return httpx.post(
                live.urls["tasks"] + "/v1/auth/token",
                data={"username": unique("nobody-"), "password": "wrong"},
                headers={"X-Forwarded-For": forwarded},
            )

        for _ in range(2):
            assert_problem(sign_in("203.0.113.90"), 401, "bad_credentials")
        refused = sign_in("203.0.113.90")
        assert_problem(refused, 429, "signin_throttled")
        assert int(refused.headers["retry-after"]) > 0
        assert_problem(sign_in("203.0.113.91"), 401, "bad_credentials")  # another client of the proxy
    finally:
        live.stop()
