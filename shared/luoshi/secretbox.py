"""Secrets at rest: sealed with Fernet (AES-128-CBC with an HMAC-SHA256 tag) from `cryptography`, under keys
from settings, so a database dump or backup does not carry channel passwords and tokens in clear.

Several keys may be given: the first seals, every one opens (`MultiFernet`). Rotation: put a new key first,
restart (a service reseals what it stores with the first key), then drop the old key.
"""

from __future__ import annotations

import hashlib

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

PREFIX = "sealed:v1:"


def secret_digest(secret: str) -> str:
    """How a random secret we only need to recognise is stored (an API key, a refresh token, a calendar feed token):
    256 random bits need no slow hash, and a fast one keeps each request cheap."""
    return hashlib.sha256(secret.encode()).hexdigest()


class SecretUnreadable(Exception):
    """A sealed value none of the configured keys opens (a key was dropped too early, or the value was altered)."""


class SecretBox:
    def __init__(self, keys: str) -> None:
        parts = [k.strip() for k in keys.split(",") if k.strip()]
        if not parts:
            raise ValueError("at least one key is needed")
        self._first = parts[0]
        self._fernet = MultiFernet([Fernet(k.encode("ascii")) for k in parts])

    @staticmethod
    def new_key() -> str:
        return Fernet.generate_key().decode("ascii")

    @staticmethod
    def is_sealed(value: str) -> bool:
        return value.startswith(PREFIX)

    def seal(self, plain: str) -> str:
        return PREFIX + self._fernet.encrypt(plain.encode("utf-8")).decode("ascii")

    def open(self, value: str) -> str:
        """The secret in clear. A value stored before sealing existed comes back as it is (and is resealed)."""
        if not self.is_sealed(value):
            return value
        try:
            return self._fernet.decrypt(value[len(PREFIX) :].encode("ascii")).decode("utf-8")
        except InvalidToken as exc:
            raise SecretUnreadable("no configured key opens this secret") from exc

    def sealed_by_first_key(self, value: str) -> bool:
        if not self.is_sealed(value):
            return False
        try:
            Fernet(self._first.encode("ascii")).decrypt(value[len(PREFIX) :].encode("ascii"))
        except InvalidToken:
            return False
        return True
