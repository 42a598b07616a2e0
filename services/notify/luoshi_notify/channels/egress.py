"""Where notify may send: public addresses only, unless an operator allows more (OUTBOUND_ALLOW).

A channel's URL or SMTP host is typed by an office user, so without a policy notify is a way into the network
it runs in (SSRF): loopback admin ports, the cloud metadata address 169.254.169.254, other services on the
private network, with the first bytes of their answer shown back by the channel test. A government intranet
often does keep its SMTP relay or SMS gateway on a private address: the operator lists those networks.

Checked twice: when a channel is saved (the literal address, or what the name resolves to then), and when
each connection is made (aiohttp's resolver below, and before SMTP connects), so a name that later resolves
somewhere else (DNS rebinding) is refused too.
"""

from __future__ import annotations

import asyncio
import errno
import functools
import ipaddress
import socket
from collections.abc import Iterable
from typing import Any

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class DestinationRefused(Exception):
    def __init__(self, host: str, address: str) -> None:
        super().__init__(
            f"{host} ({address}) is not a public address; an operator may allow it with OUTBOUND_ALLOW"
            if host != address
            else f"{address} is not a public address; an operator may allow it with OUTBOUND_ALLOW"
        )
        self.host, self.address = host, address


@functools.lru_cache(maxsize=1024)
def literal_address(host: str) -> str | None:
    """`host` as an IP address if it is one (`[::1]` too), None for a name. Cached: every send checks its
    channel's host, and a channel's host is one of a few."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


class EgressPolicy:
    def __init__(self, allow: Iterable[str] = ()) -> None:
        self.allow: list[Network] = [ipaddress.ip_network(a.strip(), strict=False) for a in allow if a.strip()]
        # The policy never changes, so each address's verdict is kept (per send it cost about a tenth of a
        # webhook's CPU); a bound keeps a flood of resolved addresses from growing it without end.
        self.permits = functools.lru_cache(maxsize=4096)(self._permits)

    def _permits(self, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip in net for net in self.allow):
            return True
        return ip.is_global and not ip.is_multicast

    def check_address(self, host: str, address: str) -> None:
        if not self.permits(address):
            raise DestinationRefused(host, address)

    async def check_host(self, host: str, port: int, *, unresolvable_ok: bool = False) -> None:
        """Every address `host` resolves to must be permitted (a name with one private address is refused)."""
        address = literal_address(host)
        if address is not None:
            self.check_address(host, address)
            return
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError:
            if unresolvable_ok:  # saved now, checked again on each send
                return
            raise
        for info in infos:
            self.check_address(host, str(info[4][0]))

    def resolver(self) -> AbstractResolver:
        return _PolicyResolver(self)


class _PolicyResolver(AbstractResolver):
    """aiohttp's resolver, keeping only permitted addresses; none left means the connection is refused."""

    def __init__(self, policy: EgressPolicy) -> None:
        self.policy = policy
        self.inner = DefaultResolver()

    async def resolve(self, host: str, port: int = 0, family: Any = socket.AF_INET) -> list[ResolveResult]:
        results = await self.inner.resolve(host, port, family)
        allowed = [r for r in results if self.policy.permits(r["host"])]
        if not allowed:
            refused = DestinationRefused(host, results[0]["host"] if results else host)
            raise OSError(errno.EACCES, str(refused))  # aiohttp shows strerror in its ConnectorError
        return allowed

    async def close(self) -> None:
        await self.inner.close()
