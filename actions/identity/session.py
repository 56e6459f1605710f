"""A new session: start clean, except that a WeChat follower who bound an account stays
verified for it (service_rules.yml: a bound WeChat user counts as verified).

The hub alone puts ``bound_account`` in the metadata, from its bindings, and only for
messages that WeChat signed; Rasa hands the metadata of the message that opened the
session to this action in the ``session_started_metadata`` slot.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.kernel.events import latest_metadata


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        # After an hour's silence Rasa passes the new message's metadata in the slot; after a
        # restart ("/restart") it does not, and the restarting message is the latest one.
        metadata = tracker.get_slot("session_started_metadata") or latest_metadata(tracker)
        account = bound_account(metadata)
        if account:
            events.append(SlotSet("verified_account", account))
        return events + [ActionExecuted("action_listen")]


def bound_account(metadata: Any) -> str | None:
    """The account the hub vouches for, on WeChat only."""
    if not isinstance(metadata, dict) or metadata.get("channel") != "wechat":
        return None
    account = metadata.get("bound_account")
    return account if isinstance(account, str) and account.isdigit() else None
