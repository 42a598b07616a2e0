"""notify tests: a real SMTP server on loopback, registered as notify's e-mail channel."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.support import free_port


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@pytest.fixture
async def smtp_channel(notify, admin, smtp_server) -> Mailbox:
    """notify's e-mail channel pointed at the loopback server (once per session; the channel is shared)."""
    mailbox, port = smtp_server
    existing = (await notify.get("/v1/channels", params={"limit": 500}, headers=admin["headers"])).json()["items"]
    if not any(c["name"] == "测试邮件服务器" for c in existing):
        r = await notify.post(
            "/v1/channels",
            json={
                "name": "测试邮件服务器",
                "kind": "email",
                "config": {
                    "host": "127.0.0.1",
                    "port": port,
                    "starttls": False,
                    "from_address": "luoshi@example.gov.cn",
                    "from_name": "落实督办系统",
                },
            },
            headers=admin["headers"],
        )
        assert r.status_code == 201, r.text
    return mailbox


from tests.tasks.conftest import fixed_clock, plan_setup  # noqa: E402 - tasks-api's clock and a plan

__all__ = ["fixed_clock", "plan_setup"]
