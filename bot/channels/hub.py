"""The conversation hub's channel: Rasa's REST channel whose answer also says what NLU read.

The hub records the intent of every customer message for the console's busiest-intents
chart. The tracker store remembers it when it saves the turn (bot/stores.py), so neither
the hub (a second HTTP request per turn) nor this channel (reading the tracker back) pays
for it.

``POST /webhooks/hub/webhook`` takes the REST channel's body and answers
``{"messages": [<REST channel messages>], "intent": "<name>" | null}``.

A turn that cannot reach the action server (down, restarting, not answering) is not a
turn: Rasa's default is to log the failure, drop the action's events and go on
predicting, which saves a tracker the bot never meant (a form that lost its validation,
a resumed request that never ran). On this channel such a turn stops where it failed,
nothing of it is saved, and the answer is a 503; the hub then apologises to the customer,
whose next message finds the conversation exactly where it was.
"""

from __future__ import annotations

import asyncio
import logging
from asyncio import CancelledError
from contextvars import ContextVar
from typing import Any, Awaitable, Callable, Text

import aiohttp
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.stores import recording_store

log = logging.getLogger(__name__)
_hub_turn: ContextVar[bool] = ContextVar("hub_turn", default=False)


class ActionServerUnreachable(BaseException):
    """The action server could not be reached during a hub turn. A BaseException, like
    asyncio's CancelledError and for the same reason: Rasa's processor catches every
    Exception an action raises and carries on, and this must end the turn unsaved."""


def _unreachable(exc: BaseException) -> bool:
    """Whether the failure (or what it was raised from) is a connection or a timeout, as
    opposed to the action server answering with an error."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, (aiohttp.ClientConnectionError, asyncio.TimeoutError)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


_run_remote_action = RemoteAction.run


async def _run_or_end_the_turn(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
    try:
        return await _run_remote_action(self, *args, **kwargs)
    except ActionExecutionRejection:
        raise
    except Exception as exc:
        if _hub_turn.get() and _unreachable(exc):
            raise ActionServerUnreachable(self.name()) from exc
        raise


# Every custom action, form validation and slot mapping goes through RemoteAction.run;
# outside this channel's turns the wrapper changes nothing.
RemoteAction.run = _run_or_end_the_turn  # type: ignore[method-assign]


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
            turn = _hub_turn.set(True)
            try:
                await on_new_message(UserMessage(
                    self._extract_message(request), collector, sender_id,
                    input_channel=self._extract_input_channel(request), metadata=self.get_metadata(request),
                ))
            except ActionServerUnreachable as exc:
                log.warning("action server unreachable running %s for %s; the turn is not saved", exc, sender_id)
                return response.json({"error": "action_server_unreachable", "action": str(exc)}, status=503)
            except CancelledError:
                log.error("message handling timed out for %s", sender_id)
            except Exception:
                log.exception("an exception occurred while handling a hub message")
            finally:
                _hub_turn.reset(turn)
            return response.json({"messages": collector.messages, "intent": _latest_intent(request, sender_id)})

        return webhook


def _latest_intent(request: Request, sender_id: Text) -> Text | None:
    """The intent NLU gave the message just handled (None without a recording store)."""
    store = recording_store(request.app.ctx.agent.tracker_store)
    return store.latest_intents.pop(sender_id, None) if store is not None else None
