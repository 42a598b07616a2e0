"""The base of every service-to-service client: timeouts, retries for idempotent calls only,
the caller's request id, and a service credential."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter

from luoshi.context import REQUEST_ID_HEADER, request_id_var
from luoshi.errors import AppError, NotFound, ServiceUnavailable, UpstreamError

T = TypeVar("T")
_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_RETRY_STATUS = frozenset({502, 503, 504})


class ServiceClient:
    """Long-lived: made once in the app's lifespan, closed on shutdown."""

    service_name = "service"

    def __init__(
        self,
        base_url: str,
        *,
        token: Callable[[], str] | None = None,
        timeout: float = 10.0,
        retries: int = 2,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._token = token
        self._retries = retries
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 3.0)),
            transport=transport,
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        rid = request_id_var.get()
        if rid:
            headers[REQUEST_ID_HEADER] = rid
        if self._token is not None:
            headers["Authorization"] = f"Bearer {self._token()}"
        if extra:
            headers.update(extra)
        return headers

    async def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        method = method.upper()
        attempts = 1 + (self._retries if method in _IDEMPOTENT else 0)
        last_exc: Exception | None = None
        for attempt in range(attempts):
            if attempt:
                await asyncio.sleep(min(0.2 * 2 ** (attempt - 1), 2.0))
            try:
                response = await self._http.request(method, path, headers=self._headers(headers), **kwargs)
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout, httpx.RemoteProtocolError) as exc:
                last_exc = exc
                continue
            if response.status_code in _RETRY_STATUS and attempt + 1 < attempts:
                continue
            return response
        raise ServiceUnavailable(
            f"{self.service_name} is not reachable: {last_exc!r}", f"{self.service_name} 服务暂时无法访问"
        )

    async def get_model(self, path: str, model: type[T] | Any, **kwargs: Any) -> T:
        response = await self.request("GET", path, **kwargs)
        return self._parse(response, model)

    def _parse(self, response: httpx.Response, model: type[T] | Any) -> T:
        if response.status_code == 404:
            raise NotFound(f"{self.service_name}: {response.request.url.path} not found", "上游资源不存在")
        if response.status_code >= 400:
            self._raise(response)
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model.model_validate_json(response.content)  # type: ignore[return-value]
        return TypeAdapter(model).validate_json(response.content)

    def _raise(self, response: httpx.Response) -> None:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code == 503:
            raise ServiceUnavailable(body.get("detail"), body.get("detail_zh"))
        err = UpstreamError(
            f"{self.service_name} answered {response.status_code}: {body.get('title', '')}",
            f"{self.service_name} 返回错误 {response.status_code}：{body.get('title_zh', '')}",
            upstream_code=body.get("code"),
        )
        raise err


__all__ = ["AppError", "ServiceClient"]
