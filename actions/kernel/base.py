"""What every custom action shares: a name, channel-aware replies, and never raising.

An exception inside an action would leave the customer without any answer (Rasa
logs it and the conversation stalls), so :class:`SafeAction` turns any failure into
a short apology that points to a human agent, and logs the cause.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.kernel.channel import say
from actions.kernel.events import asked_again

log = logging.getLogger(__name__)

APOLOGY = "抱歉，系统暂时有点忙，这次没能查到结果。请稍后再试，或者说“转人工”由客服为您处理。"


def apologize(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    say(dispatcher, tracker, APOLOGY)


class SafeAction(Action, ABC):
    """A custom action whose ``act`` may fail without the customer seeing an error."""

    action_name: ClassVar[str]

    def name(self) -> str:
        return self.action_name

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            # gateway calls block (database or HTTP): keep them off the server's event loop
            return await asyncio.to_thread(self.act, dispatcher, tracker, domain) or []
        except Exception:  # the customer gets an apology, the log gets the cause
            log.exception("action %s failed for conversation %s", self.name(), tracker.sender_id)
            dispatcher.messages.clear()
            apologize(dispatcher, tracker)
            return []

    @abstractmethod
    def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        """Reply and return the events to apply."""


class AskAction(SafeAction, ABC):
    """A form's question for one slot, worded differently when it is asked again."""

    first: ClassVar[str]
    again: ClassVar[str]

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot asked for (a class attribute in each subclass)."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        say(dispatcher, tracker, self.again if asked_again(tracker, self.slot) else self.first)
        return []
