"""The conversation hub's channel: Rasa's REST channel whose answer also says what NLU read.

The hub records the intent of every customer message for the console's busiest-intents
chart. The tracker store remembers it when it saves the turn (bot/stores.py), so neither
the hub (a second HTTP request per turn) nor this channel (reading the tracker back) pays
for it.

``POST /webhooks/hub/webhook`` takes the REST channel's body and answers
``{"messages": [<REST channel messages>], "intent": "<name>" | null}``.
"""

from __future__ import annotations

import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.stores import recording_store

log = logging.getLogger(__name__)


class HubInput(RestInput):
    @classmethod
    def name(cls) -> Text:
        return "hub"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("hub_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            sender_id = await self._extract_sender(request)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(
                    self._extract_message(request), collector, sender_id,
                    input_channel=self._extract_input_channel(request), metadata=self.get_metadata(request),
                ))
            except CancelledError:
                log.error("message handling timed out for %s", sender_id)
            except Exception:
                log.exception("an exception occurred while handling a hub message")
            return response.json({"messages": collector.messages, "intent": _latest_intent(request, sender_id)})

        return webhook


def _latest_intent(request: Request, sender_id: Text) -> Text | None:
    """The intent NLU gave the message just handled (None without a recording store)."""
    store = recording_store(request.app.ctx.agent.tracker_store)
    return store.latest_intents.pop(sender_id, None) if store is not None else None
