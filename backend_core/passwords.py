"""Agent passwords: Argon2id through pwdlib, a maintained library, never our own crypto.

The hash string carries its parameters, so they can be raised later; a stored hash of an
older scheme simply fails to verify and the seed writes a new one.
"""

from __future__ import annotations

from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError


@lru_cache(maxsize=1)
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, stored: str) -> bool:
    try:
        return _hasher().verify(password, stored)
    except UnknownHashError:
        return False
