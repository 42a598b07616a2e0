"""Channel secrets are write-only, sealed at rest, and never follow a channel to a new destination; channels
reach only public addresses unless the operator allows a network (SSRF). Findings 1 and 5 of the probe: an
office pointed another county's SMS gateway at its own listener, sent the masked token back, and the test
send delivered the real token; a webhook at 127.0.0.1 echoed an internal service's reply, 169.254.169.254
was accepted."""

from __future__ import annotations

from typing import Any

from luoshi_notify.models import Channel
from tests.conftest import unique


async def _sms(notify, admin, url: str = "http://127.0.0.1:9/sms") -> dict[str, Any]:
    made = await notify.post(
        "/v1/channels",
        json={
            "name": unique("短信网关-"),
            "kind": "sms",
            "enabled": False,
            "config": {"url": url, "bearer_token": "gateway-token-0123456789"},
        },
        headers=admin["headers"],
    )
    assert made.status_code == 201, made.text
    return made.json()


async def test_a_secret_is_sealed_at_rest_and_never_shown(notify, notify_app, admin):
    channel = await _sms(notify, admin)
    assert channel["config"]["bearer_token"] == "********"
    async with notify_app.state.db.sessionmaker() as session:
        row = await session.get(Channel, channel["id"])
    assert "gateway-token-0123456789" not in str(row.config)
    assert notify_app.state.channel_kit.box.open(row.config["bearer_token"]) == "gateway-token-0123456789"


async def test_a_masked_secret_does_not_follow_the_channel_elsewhere(notify, notify_app, admin):
    channel = await _sms(notify, admin)
    etag = {"If-Match": f'"channel-{channel["id"]}-v{channel["version"]}"'}
    body = {"name": channel["name"], "kind": "sms", "enabled": False}
    # the attack: a new host, the masked token sent back as read
    moved = channel["config"] | {"url": "http://127.0.0.2:9/listener"}
    r = await notify.put(
        f"/v1/channels/{channel['id']}", json=body | {"config": moved}, headers=admin["headers"] | etag
    )
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["errors"][0]["loc"] == ["body", "config", "bearer_token"]
    assert "gateway-token" not in r.text
    # the same host with a new path keeps it; a new host with the token typed again is fine
    same = channel["config"] | {"url": "http://127.0.0.1:9/v2/sms"}
    r = await notify.put(f"/v1/channels/{channel['id']}", json=body | {"config": same}, headers=admin["headers"] | etag)
    assert r.status_code == 200, r.text
    retyped = {"url": "http://127.0.0.2:9/listener", "bearer_token": "another-token-0123456789"}
    r = await notify.put(
        f"/v1/channels/{channel['id']}",
        json=body | {"config": retyped},
        headers=admin["headers"] | {"If-Match": r.headers["etag"]},
    )
    assert r.status_code == 200, r.text


async def test_internal_destinations_are_refused_unless_allowed(notify, admin):
    # the tests' notify allows loopback only (OUTBOUND_ALLOW), as an operator would list an intranet relay
    for url in ("http://169.254.169.254/latest/meta-data/", "http://10.1.2.3:8080/hook", "http://[fd00::1]/h"):
        r = await notify.post(
            "/v1/channels",
            json={"name": unique("内网-"), "kind": "webhook", "config": {"url": url, "secret": "s" * 20}},
            headers=admin["headers"],
        )
        assert r.status_code == 422, (url, r.text)
        assert r.json()["errors"][0]["loc"] == ["body", "config", "url"]
        assert r.json()["errors"][0]["code"] == "destination_refused"
    r = await notify.post(
        "/v1/channels",
        json={
            "name": unique("内网邮件-"),
            "kind": "email",
            "config": {
                "host": "192.168.1.25",
                "port": 25,
                "from_address": "a@b.cn",
                "username": "luoshi",
                "password": "p" * 12,
            },
        },
        headers=admin["headers"],
    )
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "config", "host"], r.text


async def test_a_bad_config_is_named_without_echoing_it(notify, admin):
    r = await notify.post(
        "/v1/channels",
        json={
            "name": unique("坏配置-"),
            "kind": "sms",
            "config": {"url": "not a url", "bearer_token": "do-not-echo-me-0123456789"},
        },
        headers=admin["headers"],
    )
    assert r.status_code == 422, r.text
    assert "do-not-echo-me" not in r.text
    assert ["body", "config", "url"] in [e["loc"] for e in r.json()["errors"]]


async def test_secrets_stored_in_clear_are_sealed_and_a_rotated_key_reseals(notify, notify_app, admin):
    from luoshi.secretbox import SecretBox
    from luoshi_notify.service.channel_secrets import reseal_channel_secrets

    db, old_box = notify_app.state.db, notify_app.state.channel_kit.box
    async with db.sessionmaker() as session:  # as a channel stored before sealing existed
        row = Channel(
            name=unique("旧渠道-"),
            kind="webhook",
            enabled=False,
            config={"kind": "webhook", "url": "http://127.0.0.1:9/", "secret": "kept-in-clear-0123"},
        )
        session.add(row)
        await session.commit()
        channel_id = row.id
    assert await reseal_channel_secrets(db, old_box) >= 1
    async with db.sessionmaker() as session:
        sealed = (await session.get(Channel, channel_id)).config["secret"]
    assert SecretBox.is_sealed(sealed) and old_box.open(sealed) == "kept-in-clear-0123"
    # rotation: a new key first, the old one still listed; after the reseal the old key can go
    new_key = SecretBox.new_key()
    from luoshi_notify.settings import DEV_CHANNEL_SECRET_KEY

    assert await reseal_channel_secrets(db, SecretBox(f"{new_key},{DEV_CHANNEL_SECRET_KEY}")) >= 1
    async with db.sessionmaker() as session:
        resealed = (await session.get(Channel, channel_id)).config["secret"]
    assert SecretBox(new_key).open(resealed) == "kept-in-clear-0123"
    # put the service's key back on every channel, for the session's other tests
    await reseal_channel_secrets(db, SecretBox(f"{DEV_CHANNEL_SECRET_KEY},{new_key}"))


def test_production_refuses_the_development_key():
    import pytest

    from luoshi_notify.settings import NotifySettings

    common = {"environment": "production", "service_secret": "x" * 40, "database_url": "postgresql://db/luoshi"}
    with pytest.raises(ValueError, match="CHANNEL_SECRET_KEYS"):
        NotifySettings(**common)
    NotifySettings(**common, channel_secret_keys="Q0YzZ3RqZ3RqZ3RqZ3RqZ3RqZ3RqZ3RqZ3RqZ3RqZ3Q=")
