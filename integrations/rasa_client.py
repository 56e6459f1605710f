"""Talks to the Rasa server's REST channel on the hub's behalf."""

from __future__ import annotations

from typing import Any

import httpx


class BotUnavailable(Exception):
    """Rasa did not answer in time or answered with an error."""


class RasaClient:
    def __init__(self, base_url: str, timeout_s: float, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout_s, transport=transport)

    async def send(self, sender: str, text: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        try:
            response = await self._client.post(
                "/webhooks/rest/webhook", json={"sender": sender, "message": text, "metadata": metadata}
            )
            response.raise_for_status()
            replies = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise BotUnavailable(str(exc)) from exc
        if not isinstance(replies, list):
            raise BotUnavailable(f"unexpected reply from Rasa: {type(replies).__name__}")
        return replies

    async def aclose(self) -> None:
        await self._client.aclose()
