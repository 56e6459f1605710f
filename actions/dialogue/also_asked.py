"""The other requests of a message that held several (「欠了多少，滞纳金咋算」).

NLU marks the main request and lists the others (``also_asked``, from the
MultiRequestDetector component). Once the main one is answered, a question the
documents or the tariffs answer is answered as well; another request is named, with
a button, so the customer can go on with it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogue.digressions import QUESTION_INTENTS
from actions.dialogue.fallback import TOPICS
from actions.dialogue.knowledge import reply_to_question
from actions.kernel.channel import say
from actions.kernel.events import user_messages

SLOT = "also_answered"  # message_id of the message whose other requests were taken up
LOOK_BACK = 3  # the request may have started with identity: its message is a few turns back


def pending(tracker: Tracker) -> tuple[str, list[dict[str, str]]] | None:
    """(message id, the other requests) of a recent message not yet taken up."""
    for index, event in enumerate(user_messages(tracker)):
        if index == LOOK_BACK:
            break
        parse = event.get("parse_data") or {}
        others = parse.get("also_asked")
        if others:
            message_id = event.get("message_id") or parse.get("message_id") or ""
            return None if message_id == tracker.get_slot(SLOT) else (message_id, others)
    return None


def take_up(dispatcher: CollectingDispatcher, tracker: Tracker, questions_answered: bool = False) -> list[EventType]:
    found = pending(tracker)
    if found is None:
        return []
    message_id, others = found
    events: list[EventType] = [SlotSet(SLOT, message_id)]
    named = []
    for other in others:
        if other.get("intent") in QUESTION_INTENTS:
            if questions_answered:
                continue
            answered = reply_to_question(dispatcher, tracker, other.get("text") or "")
            if answered is not None:
                events += answered
                continue
        if other.get("intent") in TOPICS:
            named.append(other["intent"])
    if named:
        say(
            dispatcher,
            tracker,
            "您还提到了" + "、".join(TOPICS[name] for name in named) + "，需要的话点下面或直接告诉我，我接着帮您办。",
            buttons=tuple((TOPICS[name], f"/{name}") for name in named),
        )
    return events


class AlsoAnswers:
    """Mixin for an action that answers a request: the message's other requests follow,
    unless the action only sent the customer to the identity check first."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[Any]:
        events: list[Any] = await super().run(dispatcher, tracker, domain)  # type: ignore[misc]
        if any(e.get("event") == "followup" and e.get("name") == "identity_form" for e in events):
            return events
        # a document answer to the whole message answered its questions too: only other requests remain
        answered_whole = any(e.get("event") == "slot" and e.get("name") == "kb_context" and e.get("value") for e in events)
        return events + await asyncio.to_thread(take_up, dispatcher, tracker, answered_whole)
