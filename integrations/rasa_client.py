"""Talks to the Rasa server on the hub's behalf: the hub channel for turns (the REST
channel's format plus the intent), and the HTTP API (``--enable-api``) to read a tracker
or add events to it."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx


class BotUnavailable(Exception):
    """Rasa did not answer in time or answered with an error."""


class RasaClient:
    def __init__(self, base_url: str, timeout_s: float, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout_s, transport=transport)

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
        """The bot's replies to one message, and the intent NLU read in it (bot/channels/hub.py)."""
        body = await self._json("POST", "/webhooks/hub/webhook", json={"sender": sender, "message": text, "metadata": metadata})
        replies = body.get("messages") if isinstance(body, dict) else None
        if not isinstance(replies, list):
            raise BotUnavailable(f"unexpected reply from Rasa: {type(body).__name__}")
        intent = body.get("intent")
        return replies, intent if isinstance(intent, str) else None

    async def tracker(self, sender: str) -> dict[str, Any]:
        """The conversation's current state (slots, latest message) without its events."""
        tracker = await self._json("GET", f"/conversations/{quote(sender, safe=':')}/tracker", params={"include_events": "NONE"})
        return tracker if isinstance(tracker, dict) else {}

    async def slots(self, sender: str) -> dict[str, Any]:
        """The conversation's slots, or none when the bot cannot say (the callers then
        act as if nothing were set)."""
        try:
            return (await self.tracker(sender)).get("slots") or {}
        except BotUnavailable:
            return {}

    async def add_events(self, sender: str, events: list[dict[str, Any]]) -> None:
        """Append events (e.g. slots) to the conversation, as if an action had returned them."""
        await self._json("POST", f"/conversations/{quote(sender, safe=':')}/tracker/events", json=events)

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = await self._client.request(method, path, **kwargs)
            response.raise_for_status()
            return response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise BotUnavailable(str(exc) or type(exc).__name__) from exc

    async def aclose(self) -> None:
        await self._client.aclose()
