"""The HTTP client that delivers webhooks, robot messages and SMS: aiohttp, behind the small part of httpx's
interface the channels use (`post`, `request`, a response with `status_code`, `text`, `content`, `headers`,
`json()`, and httpx's exception classes).

Why not httpx, which the services use to call each other: delivery is the one place where sending speed is
the product (`make bench` aims at 1,000 messages a second), and on the same machine aiohttp's client costs
about a fifth of httpx's CPU per request. The channels keep httpx's names, so they also accept an
`httpx.AsyncClient` (the channel tests and one-off callers pass one).
"""

from __future__ import annotations

from typing import Any

import aiohttp
import httpx
import yarl

from luoshi.jsonutil import dumps, loads
from luoshi_notify.channels.egress import EgressPolicy


class OutboundResponse:
    __slots__ = ("content", "headers", "status_code")

    def __init__(self, status_code: int, headers: Any, content: bytes) -> None:
        self.status_code, self.headers, self.content = status_code, headers, content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return loads(self.content)


class OutboundHttp:
    """One connection pool of `connections` for every channel's sends; redirects are not followed (a 3xx is a
    failure the delivery log shows, as with httpx)."""

    def __init__(self, connections: int = 8, connect_timeout: float = 3.0, egress: EgressPolicy | None = None) -> None:
        self._connections, self._connect_timeout = connections, connect_timeout
        self._egress = egress
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:  # made on first use, inside the running event loop
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(
                    limit=self._connections, resolver=self._egress.resolver() if self._egress else None
                ),
                headers={"User-Agent": "luoshi-notify"},
                skip_auto_headers=("Accept-Encoding",),
            )
        return self._session

    async def post(self, url: str | httpx.URL, **kw: Any) -> OutboundResponse:
        return await self.request("POST", url, **kw)

    async def request(
        self,
        method: str,
        url: str | httpx.URL,
        *,
        content: bytes | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - httpx's signature, which the channels call
    ) -> OutboundResponse:
        target = str(url)
        if not target.startswith(("http://", "https://")):
            raise httpx.UnsupportedProtocol(f"Request URL has an unsupported protocol: {target.split(':', 1)[0]}")
        data = content
        headers = dict(headers or {})
        if json is not None:
            data = dumps(json)
            headers.setdefault("Content-Type", "application/json")
        limits = aiohttp.ClientTimeout(total=timeout, connect=min(self._connect_timeout, timeout))
        try:
            # encoded=True: the URL goes out as given (DingTalk's signature is percent-encoded and must stay so)
            async with self._client().request(
                method,
                yarl.URL(target, encoded=True),
                data=data,
                headers=headers,
                timeout=limits,
                allow_redirects=False,
            ) as response:
                return OutboundResponse(response.status, response.headers, await response.read())
        except (aiohttp.InvalidURL, ValueError) as exc:
            raise httpx.InvalidURL(str(exc)) from exc
        except (aiohttp.ClientConnectorError, ConnectionRefusedError) as exc:
            raise httpx.ConnectError(str(exc)) from exc
        except TimeoutError as exc:
            raise httpx.ReadTimeout(f"no answer within {timeout:g} s") from exc
        except (aiohttp.ClientError, OSError) as exc:
            raise httpx.RemoteProtocolError(f"{type(exc).__name__}: {exc}") from exc

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
