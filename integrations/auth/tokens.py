"""Random tokens and how they are stored: only their SHA-256, so a copy of the database
does not let anyone act as a customer or an agent."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
