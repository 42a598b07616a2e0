"""The RSA key that signs access tokens, and the JWKS other services verify them with."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from luoshi_tasks.settings import TasksSettings


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def public_jwk(public_key: rsa.RSAPublicKey) -> dict[str, str]:
    numbers = public_key.public_numbers()
    jwk = {"e": _b64(numbers.e), "kty": "RSA", "n": _b64(numbers.n)}
    # RFC 7638 thumbprint as the key id, so a key's id never depends on where it was loaded.
    thumb = hashlib.sha256(json.dumps(jwk, separators=(",", ":"), sort_keys=True).encode()).digest()
    return {**jwk, "kid": base64.urlsafe_b64encode(thumb).decode().rstrip("="), "use": "sig", "alg": "RS256"}


@dataclass
class SigningKeys:
    private_key: rsa.RSAPrivateKey
    kid: str
    jwks: dict[str, Any]
    public_keys: dict[str, rsa.RSAPublicKey]

    @classmethod
    def load(cls, settings: TasksSettings) -> SigningKeys:
        pem = settings.jwt_private_key.get_secret_value().encode() if settings.jwt_private_key else None
        if pem is None:
            path = settings.jwt_private_key_file
            if not path.exists():
                if settings.environment == "production":
                    raise RuntimeError("JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE must be set in production")
                generate_key_file(path)
            pem = path.read_bytes()
        private_key = serialization.load_pem_private_key(pem, password=None)
        assert isinstance(private_key, rsa.RSAPrivateKey), "the signing key must be RSA"
        current = public_jwk(private_key.public_key())
        keys = [current]
        public_keys = {current["kid"]: private_key.public_key()}
        for old_pem in settings.jwt_previous_public_keys:
            old = serialization.load_pem_public_key(old_pem.encode())
            assert isinstance(old, rsa.RSAPublicKey)
            jwk = public_jwk(old)
            keys.append(jwk)
            public_keys[jwk["kid"]] = old
        return cls(private_key, current["kid"], {"keys": keys}, public_keys)

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.private_key, algorithm="RS256", headers={"kid": self.kid})

    def access_token(
        self,
        settings: TasksSettings,
        *,
        user_id: int,
        username: str,
        unit_id: int | None,
        roles: list[str],
        ttl_seconds: int | None = None,
        session_id: str | None = None,
        token_version: int = 0,
    ) -> tuple[str, int]:
        ttl = ttl_seconds if ttl_seconds is not None else settings.access_token_minutes * 60
        now = int(time.time())
        session = {"sid": session_id} if session_id else {}
        token = self.sign(
            {
                **session,
                "ver": token_version,
                "iss": settings.jwt_issuer,
                "aud": settings.jwt_audience,
                "sub": str(user_id),
                "name": username,
                "unit": unit_id,
                "roles": sorted(roles),
                "iat": now,
                "exp": now + ttl,
                "jti": uuid.uuid4().hex,
            }
        )
        return token, ttl


def generate_key_file(path: Any) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written under a temporary name then renamed, so two processes starting together agree on one key.
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pem)
    os.chmod(tmp, 0o600)
    try:
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
