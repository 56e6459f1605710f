"""Serving a live socket: push what a broker queue receives until the client leaves."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import WebSocket, WebSocketDisconnect

BAD_SESSION_CLOSE = 4401  # the page should log in / start a new chat session
HEARTBEAT_S = 30.0


async def pump(
    websocket: WebSocket,
    queue: asyncio.Queue[dict[str, Any]],
    heartbeat: Callable[[], Awaitable[None]] | None = None,
    personal: Callable[[dict[str, Any]], dict[str, Any]] = lambda frame: frame,
) -> None:
    """Send what ``queue`` gets until the client goes away (what it sends is ignored);
    ``heartbeat`` runs every HEARTBEAT_S while it stays; ``personal`` fits a frame shared
    by every subscriber to this one."""

    async def drain_client() -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                await websocket.receive_text()

    reader = asyncio.create_task(drain_client())
    try:
        while not reader.done():
            getter = asyncio.ensure_future(queue.get())
            done, _ = await asyncio.wait({getter, reader}, timeout=HEARTBEAT_S, return_when=asyncio.FIRST_COMPLETED)
            if getter in done:
                await websocket.send_json(personal(getter.result()))
                continue
            getter.cancel()
            if reader in done:
                break
            if heartbeat is not None:
                await heartbeat()
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        reader.cancel()
