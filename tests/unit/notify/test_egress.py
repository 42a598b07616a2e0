"""notify's destination policy, at each send: a name that resolves to a refused address is refused when the
connection is made (a name that pointed elsewhere when the channel was saved: DNS rebinding)."""

from __future__ import annotations

import httpx
import pytest

from luoshi_notify.channels import OutboundMessage, WebhookConfig, send
from luoshi_notify.channels.egress import EgressPolicy
from luoshi_notify.channels.outbound import OutboundHttp

MESSAGE = OutboundMessage(event_id="t:1", kind="remind", subject="s", text="t")


@pytest.mark.parametrize(
    ("address", "permitted"),
    [
        ("8.8.8.8", True),
        ("127.0.0.1", False),
        ("169.254.169.254", False),
        ("10.0.0.5", False),
        ("172.16.3.4", False),
        ("192.168.0.1", False),
        ("100.64.0.1", False),  # carrier-grade NAT: not public
        ("::1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("0.0.0.0", False),
        ("224.0.0.1", False),
    ],
)
def test_only_public_addresses_without_an_allowance(address, permitted):
    assert EgressPolicy().permits(address) is permitted


def test_an_operator_allows_a_network():
    policy = EgressPolicy(["10.20.0.0/24", " "])
    assert policy.permits("10.20.0.9") and not policy.permits("10.20.1.9")


async def test_a_name_resolving_to_loopback_is_refused_at_send_time():
    config = WebhookConfig(url="http://localhost:9/hook", secret="s" * 20)
    http = OutboundHttp(egress=EgressPolicy())
    try:
        result = await send(config, MESSAGE, http=http, egress=EgressPolicy())
        assert not result.ok and "not a public address" in result.detail
        with pytest.raises(httpx.ConnectError, match="not a public address"):
            await http.post("http://localhost:9/hook")  # the resolver itself, without send's check
    finally:
        await http.aclose()
    plain = await send(config, MESSAGE, http=httpx.AsyncClient(), egress=EgressPolicy())
    assert not plain.ok and not plain.retryable and "not a public address" in plain.detail
