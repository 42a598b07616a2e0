"""Who is calling: end users (JWTs from tasks-api), other services, and API keys of other systems.

- Users sign in at tasks-api, which signs short-lived RS256 JWTs and publishes its public keys at
  `/.well-known/jwks.json`; every service verifies them with those keys.
- Services call each other with an HS256 token made from SERVICE_SECRET, audience `luoshi-service`;
  tasks-api never issues such a token, so an end user cannot obtain one.
- Other government systems use API keys (`X-API-Key`), checked by tasks-api, which owns them.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import jwt
from fastapi import Request

from luoshi.errors import Forbidden, Unauthenticated

ROLES = ("admin", "office", "unit", "leader")
ROLE_ZH = {"admin": "系统管理员", "office": "牵头办公室", "unit": "责任单位", "leader": "领导"}
"""Each role's name as the console shows it, for the Chinese of a refusal."""
SERVICE_AUDIENCE = "luoshi-service"
SERVICE_ISSUER = "luoshi-service"  # a service token's `iss`: tasks-api's user tokens say JWT_ISSUER
CLOCK_SKEW_SECONDS = 60
API_KEY_HEADER = "x-api-key"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of one request."""

    kind: Literal["user", "service", "api_key"]
    subject: str
    user_id: int | None = None
    username: str | None = None
    unit_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)
    # a user token's session (`sid`, absent for `luoshi token`'s) and the user's token version (`ver`)
    session_id: str | None = None
    token_version: int = 0

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def is_service(self) -> bool:
        return self.kind == "service"

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def may(self, scope: str) -> bool:
        """API keys act within their scopes; users and services by role."""
        if self.kind != "api_key":
            return True
        area = scope.split(":", 1)[0]
        return scope in self.scopes or f"{area}:*" in self.scopes or "*" in self.scopes

    @property
    def actor(self) -> str:
        """How the audit log names this caller."""
        return f"{self.kind}:{self.username or self.subject}"


def principal_from_claims(claims: dict[str, Any]) -> Principal:
    # a user token's subject is the user's id; anything else was not issued by tasks-api for a user
    sub = claims["sub"]
    if not ((isinstance(sub, str) and sub.isascii() and sub.isdigit()) or (type(sub) is int and sub > 0)):
        raise Unauthenticated("The token's subject is not a user", "令牌主体不是用户", reason="invalid")
    return Principal(
        kind="user",
        subject=str(claims["sub"]),
        user_id=int(claims["sub"]),
        username=claims.get("name"),
        unit_id=claims.get("unit"),
        roles=frozenset(claims.get("roles", ())),
        session_id=claims.get("sid") if isinstance(claims.get("sid"), str) else None,
        token_version=claims.get("ver") if type(claims.get("ver")) is int else 0,
    )


class SessionCache:
    """Short-lived memory of session checks (SESSION_CHECK_SECONDS): an ended session's access tokens stop
    working within it. A stale answer stays at hand for when tasks-api cannot be asked."""

    def __init__(self, ttl_seconds: float) -> None:
        self.ttl = ttl_seconds
        self._entries: dict[tuple[int | None, str | None, int], tuple[bool, float]] = {}

    @staticmethod
    def key(principal: Principal) -> tuple[int | None, str | None, int]:
        return (principal.user_id, principal.session_id, principal.token_version)

    def get(self, principal: Principal, *, stale: bool = False) -> bool | None:
        hit = self._entries.get(self.key(principal))
        if hit is None or (not stale and hit[1] < time.monotonic()):
            return None
        return hit[0]

    def put(self, principal: Principal, active: bool) -> None:
        if len(self._entries) > 20_000:
            self._entries.clear()
        self._entries[self.key(principal)] = (active, time.monotonic() + self.ttl)


class TokenCache:
    """Remembers verified tokens until they expire, so a hot path verifies a signature once."""

    def __init__(self, max_entries: int = 20_000) -> None:
        self._entries: dict[str, tuple[Principal, float]] = {}
        self._max = max_entries

    def get(self, token: str) -> Principal | None:
        hit = self._entries.get(token)
        if hit is None:
            return None
        if hit[1] <= time.time():
            self._entries.pop(token, None)
            return None
        return hit[0]

    def put(self, token: str, principal: Principal, expires_at: float) -> None:
        if len(self._entries) >= self._max:
            self._entries.clear()
        self._entries[token] = (principal, expires_at)


KeyResolver = Callable[[str | None], Awaitable[Any]]
ApiKeyChecker = Callable[[str], Awaitable[Principal | None]]
SessionChecker = Callable[[Principal], Awaitable[bool]]


class Authenticator:
    """Turns a request's credentials into a Principal, or raises 401."""

    def __init__(
        self,
        *,
        resolve_key: KeyResolver,
        audience: str,
        issuer: str,
        service_secret: str,
        check_api_key: ApiKeyChecker | None = None,
        check_session: SessionChecker | None = None,
        service_token_max_seconds: int = 3600,
    ) -> None:
        self._resolve_key = resolve_key
        self._audience = audience
        self._issuer = issuer
        self._service_secret = service_secret
        self._check_api_key = check_api_key
        self._check_session = check_session
        self._service_token_max = service_token_max_seconds
        self._cache = TokenCache()

    async def authenticate(self, request: Request) -> Principal:
        header = request.headers.get("authorization")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token:
                raise Unauthenticated("Use 'Authorization: Bearer <token>'", "请使用 Bearer 令牌")
            return await self.verify(token.strip())
        api_key = request.headers.get(API_KEY_HEADER)
        if api_key and self._check_api_key is not None:
            principal = await self._check_api_key(api_key)
            if principal is None:
                raise Unauthenticated("Unknown or revoked API key", "API 密钥无效或已吊销")
            return principal
        raise Unauthenticated("No credentials were sent", "未提供登录凭据")

    async def verify(self, token: str) -> Principal:
        principal = await self._verified(token)
        # a user's token is good only while its session is: not signed out, the user not deactivated, the
        # password not changed or reset since (checked with tasks-api, remembered SESSION_CHECK_SECONDS)
        if principal.kind == "user" and self._check_session is not None and not await self._check_session(principal):
            raise Unauthenticated("The session has ended: sign in again", "会话已结束，请重新登录", reason="revoked")
        return principal

    async def _verified(self, token: str) -> Principal:
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthenticated("Malformed token", "令牌格式错误") from exc
        alg = header.get("alg")
        try:
            if alg == "HS256":
                claims = jwt.decode(
                    token,
                    self._service_secret,
                    algorithms=["HS256"],
                    audience=SERVICE_AUDIENCE,
                    issuer=SERVICE_ISSUER,
                    options={"require": ["exp", "iat", "sub", "aud", "iss"]},
                )
                self._short_lived(claims)
                principal = Principal(kind="service", subject=claims["sub"], roles=frozenset({"service"}))
            elif alg == "RS256":
                key = await self._resolve_key(header.get("kid"))
                if key is None:
                    raise Unauthenticated("Token signed by an unknown key", "令牌签名密钥未知")
                claims = jwt.decode(
                    token,
                    key,
                    algorithms=["RS256"],
                    audience=self._audience,
                    issuer=self._issuer,
                    options={"require": ["exp", "sub", "aud", "iss"]},
                )
                principal = principal_from_claims(claims)
            else:
                raise Unauthenticated("Unsupported token algorithm", "不支持的令牌算法")
        except jwt.ExpiredSignatureError as exc:
            raise Unauthenticated("The token has expired", "令牌已过期", reason="expired") from exc
        except jwt.InvalidAudienceError as exc:
            raise Unauthenticated(
                "The token is not meant for this service", "令牌的受众不符", reason="audience"
            ) from exc
        except jwt.PyJWTError as exc:
            raise Unauthenticated(f"Invalid token: {exc}", "令牌无效", reason="invalid") from exc
        self._cache.put(token, principal, float(claims["exp"]))
        return principal

    def _short_lived(self, claims: dict[str, Any]) -> None:
        """A service token lives minutes: one made to last (a stolen secret's ten-year token) is refused."""
        problem = _service_lifetime_problem(claims, self._service_token_max)
        if problem:
            raise Unauthenticated(f"Service token refused: {problem}", "服务令牌有效期不合规", reason="invalid")


def _service_lifetime_problem(claims: dict[str, Any], max_seconds: int) -> str | None:
    now = time.time()
    iat, exp = claims["iat"], claims["exp"]
    if not isinstance(iat, int | float) or not isinstance(exp, int | float):
        return "iat and exp must be numbers"
    if iat > now + CLOCK_SKEW_SECONDS:
        return "issued in the future"
    if exp - iat > max_seconds or exp - now > max_seconds + CLOCK_SKEW_SECONDS:
        return f"lives longer than SERVICE_TOKEN_MAX_SECONDS ({max_seconds} s)"
    return None


def make_service_token(secret: str, service: str, ttl_seconds: int = 300) -> str:
    now = int(time.time())
    return jwt.encode(
        {
            "iss": SERVICE_ISSUER,
            "sub": f"service:{service}",
            "aud": SERVICE_AUDIENCE,
            "iat": now,
            "exp": now + ttl_seconds,
        },
        secret,
        algorithm="HS256",
    )


class ServiceTokenSource:
    """A service credential for outgoing calls, renewed before it expires."""

    def __init__(self, secret: str, service: str, ttl_seconds: int = 300) -> None:
        self._secret, self._service, self._ttl = secret, service, ttl_seconds
        self._token = ""
        self._renew_at = 0.0

    def __call__(self) -> str:
        now = time.time()
        if now >= self._renew_at:
            self._token = make_service_token(self._secret, self._service, self._ttl)
            self._renew_at = now + self._ttl / 2
        return self._token


def require_roles(principal: Principal, roles: Iterable[str]) -> None:
    wanted = tuple(roles)
    if principal.is_service or principal.has_role("admin", *wanted):
        return
    raise Forbidden(
        f"This needs one of the roles: {', '.join(wanted)}",
        f"需要以下角色之一：{'、'.join(ROLE_ZH.get(role, role) for role in wanted)}",
    )


def require_scope(principal: Principal, scope: str) -> None:
    if not principal.may(scope):
        raise Forbidden(f"The API key lacks scope {scope}", f"API 密钥缺少权限范围 {scope}")


def api_key_principal(info: Any) -> Principal:
    """An API key bound to a unit acts as that unit's user; otherwise as the office (if it may write)
    or a leader (read-only). Its scopes limit it further."""
    scopes = frozenset(info.scopes)
    writes = any(s == "*" or s.endswith((":write", ":*")) for s in scopes)
    role = "unit" if info.unit_id else ("office" if writes else "leader")
    return Principal(
        kind="api_key",
        subject=str(info.key_id),
        username=f"api-key:{info.name}",
        unit_id=info.unit_id,
        roles=frozenset({role}),
        scopes=scopes,
    )


class ApiKeyCache:
    """Short-lived memory of API key checks, so a key is not looked up on every request.
    A revoked key stops working within the cache's lifetime."""

    def __init__(self, ttl_seconds: float) -> None:
        self.ttl = ttl_seconds
        self._entries: dict[str, tuple[Principal | None, float]] = {}

    def get(self, raw_key: str) -> tuple[bool, Principal | None]:
        hit = self._entries.get(raw_key)
        if hit is None or hit[1] < time.monotonic():
            return False, None
        return True, hit[0]

    def put(self, raw_key: str, principal: Principal | None) -> None:
        if len(self._entries) > 10_000:
            self._entries.clear()
        self._entries[raw_key] = (principal, time.monotonic() + self.ttl)
