"""Agent passwords: hashlib.scrypt with a per-password salt, in one self-describing string.

Format: ``scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>``; :func:`verify_password`
reads the parameters from the string, so they can be raised later without
invalidating stored hashes.
"""

from __future__ import annotations

import hashlib
import hmac
import os

N, R, P, LENGTH = 2**14, 8, 1, 32


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=N, r=R, p=P, dklen=LENGTH)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        candidate = hashlib.scrypt(
            password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=len(bytes.fromhex(digest))
        )
    except ValueError:
        return False
    return hmac.compare_digest(candidate, bytes.fromhex(digest))
