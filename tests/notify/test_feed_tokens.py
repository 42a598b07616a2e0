"""A calendar feed link is a credential of its own (issue 14, finding 8): it expires, and it ends when the user
who made it is deactivated or the API key that made it is revoked — not only when someone revokes the link."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from luoshi_notify.service.loops import consume_tasks_events
from tests.conftest import unique


async def _feed(notify, unit_id: int, token: str) -> int:
    return (await notify.get(f"/v1/feeds/units/{unit_id}.ics?token={token}")).status_code


async def _hear_tasks_api(notify_app) -> None:
    while await consume_tasks_events(notify_app.state.db, notify_app.state.tasks_client):
        pass


async def test_a_feed_link_expires(notify, notify_app, make_unit, make_user) -> None:
    unit = await make_unit(name=unique("订阅县商务局-"))
    clerk = await make_user("unit", unit_id=unit["id"])
    made = await notify.post("/v1/feeds/tokens", json={"unit_id": unit["id"]}, headers=clerk["headers"])
    assert made.status_code == 201, made.text
    expires_at = datetime.fromisoformat(made.json()["expires_at"])
    lifetime = expires_at - datetime.now(UTC)
    assert timedelta(days=179) < lifetime <= timedelta(days=180)  # FEED_TOKEN_DAYS' default
    token = made.json()["token"]
    assert await _feed(notify, unit["id"], token) == 200
    # half a year on
    async with notify_app.state.db.sessionmaker() as session:
        await session.execute(
            text("UPDATE notify.feed_token SET expires_at = now() - interval '1 second' WHERE created_by = :actor"),
            {"actor": f"user:{clerk['username']}"},
        )
        await session.commit()
    assert await _feed(notify, unit["id"], token) == 401


async def test_a_deactivated_users_links_stop_and_others_go_on(
    tasks, notify, notify_app, admin, make_unit, make_user
) -> None:
    unit = await make_unit(name=unique("订阅县工信局-"))
    leaving, staying = await make_user("unit", unit_id=unit["id"]), await make_user("unit", unit_id=unit["id"])
    tokens: dict[str, str] = {}
    for name, user in (("leaving", leaving), ("staying", staying)):
        made = await notify.post("/v1/feeds/tokens", json={"unit_id": unit["id"]}, headers=user["headers"])
        tokens[name] = made.json()["token"]
    deactivated = await tasks.post(f"/v1/users/{leaving['id']}/deactivate", headers=admin["headers"])
    assert deactivated.status_code == 200, deactivated.text
    await _hear_tasks_api(notify_app)
    assert await _feed(notify, unit["id"], tokens["leaving"]) == 401
    assert await _feed(notify, unit["id"], tokens["staying"]) == 200


async def test_a_revoked_keys_links_stop(tasks, notify, notify_app, admin, make_unit) -> None:
    unit = await make_unit(name=unique("订阅县统计局-"))
    created = await tasks.post(
        "/v1/api-keys",
        json={"name": unique("日历平台-"), "scopes": ["notify:write", "notify:read"], "unit_id": unit["id"]},
        headers=admin["headers"],
    )
    assert created.status_code == 201, created.text
    key: dict[str, Any] = created.json()
    made = await notify.post("/v1/feeds/tokens", json={"unit_id": unit["id"]}, headers={"X-API-Key": key["key"]})
    assert made.status_code == 201, made.text
    token = made.json()["token"]
    assert await _feed(notify, unit["id"], token) == 200
    await tasks.delete(f"/v1/api-keys/{key['id']}", headers=admin["headers"])
    await _hear_tasks_api(notify_app)
    assert await _feed(notify, unit["id"], token) == 401
