"""Who the customer has proved to be, and the gate every account answer goes through.

Account data is shown only to a customer who proved control of the account
(service_rules.yml, identity_and_privacy). The check runs in the core
(``verify_identity``), which also enforces the lock; the bot mirrors it so that it
never asks again once verified and never invites attempts while locked.
"""

from __future__ import annotations

from datetime import datetime

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet

from actions.kernel.clock import LOCAL_TZ, now


def verified_for(tracker: Tracker) -> str | None:
    """The verified account, unless the customer has since named a different one."""
    verified = tracker.get_slot("verified_account")
    wanted = tracker.get_slot("account_no")
    if verified and (not wanted or wanted == verified):
        return verified
    return None


def verified_account(tracker: Tracker) -> str:
    """The verified account, in a step the flow only reaches once the identity form has
    verified the customer (a form or request that needs the account)."""
    account = verified_for(tracker)
    if account is None:
        raise LookupError("no verified account: this step runs only after identity verification")
    return account


def as_local(value: datetime) -> datetime:
    """The core speaks naive local time; the bot keeps aware times."""
    return value if value.tzinfo else value.replace(tzinfo=LOCAL_TZ)


def locked_until(tracker: Tracker) -> datetime | None:
    """End of the current lock, or None when checks are allowed."""
    value = tracker.get_slot("identity_locked_until")
    if not value:
        return None
    try:
        until = as_local(datetime.fromisoformat(value))
    except ValueError:
        return None
    return until if until > now() else None


def require_identity(tracker: Tracker, resume: str | None) -> list[EventType] | None:
    """None when the customer is verified; otherwise the events that verify first.

    ``resume`` (an action or a form) runs again once the identity form completes; with
    none, the customer is asked what they want to do.
    """
    if verified_for(tracker):
        return None
    return [SlotSet("pending_action", resume), FollowupAction("identity_form")]
