"""Dependencies of the API routes: the service-token check and the gateway."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Request
from pydantic import AfterValidator

from backend_core.errors import CoreError
from backend_core.gateway.embedded import EmbeddedGateway


def require_token(request: Request) -> None:
    """Every route except /healthz and the quote needs ``Authorization: Bearer <CORE_SERVICE_TOKEN>``."""
    expected = request.app.state.settings.service_token
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise CoreError("unauthorized", "missing or wrong service token (Authorization: Bearer …)", 401)


def gateway(request: Request) -> EmbeddedGateway:
    return request.app.state.gateway


def _text(value: str) -> str:
    """Text the databases can store: no NUL (PostgreSQL refuses it) and no lone surrogate
    (JSON's "\\ud800" carries one; it is no character and cannot be encoded)."""
    if "\x00" in value:
        raise ValueError("must not contain NUL")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


Text = Annotated[str, AfterValidator(_text)]
