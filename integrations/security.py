"""The hub's own safety settings: no published secret in production, and the browser
told what the pages may do.

``POWERDESK_ENV=production`` (backend_core/core/production.py) stops the hub as it starts
while the demo agents' password is the published one or, with the core reached over
HTTP, the core's service token is.

Every page the hub serves (``/``, ``/console/`` and everything under ``/static/``) carries
a Content-Security-Policy that allows only the hub's own scripts, styles and sockets: no
inline script or style (the pages have none), no framing, no plugins. Pictures may also
come from ``https:`` (customers' WeChat pictures live on WeChat's servers; the console
shows them). Every response carries ``X-Content-Type-Options: nosniff`` and a
Referrer-Policy. The API docs (``/docs``) keep FastAPI's own page, which needs inline
script and a CDN, so the policy is not put on them.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from backend_core.core.config import CoreSettings
from backend_core.core.production import (
    DEFAULT_SERVICE_TOKEN,
    DEMO_AGENT_PASSWORD,
    demo_agent_password,
    refuse_published_defaults,
)

PAGES = re.compile(r"^/(?:$|console/?$|static/)")
_HOST = re.compile(r"^[A-Za-z0-9.\-]+(?::[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?$")
ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


def published_defaults() -> list[str]:
    """The variables of the hub's secrets still at their published default."""
    found = []
    if demo_agent_password() == DEMO_AGENT_PASSWORD:
        found.append("CONSOLE_DEMO_PASSWORD")
    core = CoreSettings()
    if core.gateway == "http" and core.service_token == DEFAULT_SERVICE_TOKEN:
        found.append("CORE_SERVICE_TOKEN")
    return found


def refuse_published_defaults_in_production() -> None:
    refuse_published_defaults("hub", published_defaults())


def content_security_policy(host: str | None) -> str:
    """The pages' policy. The sockets are named with the page's own host: ``'self'``
    covers ws: and wss: only in browsers that implement CSP 3. A Host header that is not
    a plain host[:port] gets no socket source rather than a way to write the policy."""
    sockets = f" ws://{host} wss://{host}" if host and _HOST.match(host) else ""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
        f"font-src 'self'; connect-src 'self'{sockets}; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP response (websockets untouched)."""

    def __init__(self, app: Callable[..., Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(ALWAYS)
        if PAGES.match(scope.get("path", "")):
            host = next((v.decode("latin-1") for k, v in scope.get("headers", ()) if k == b"host"), None)
            extra.append((b"content-security-policy", content_security_policy(host).encode()))

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", ())}
                message["headers"] = [*message.get("headers", ()), *(h for h in extra if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, send_with_headers)
