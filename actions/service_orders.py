"""Work orders from the bot: idempotency keys, and forgetting a request once it ends.

The key is derived from the conversation and the values submitted, so a submit
that Rasa retries (a timeout, a restarted action server) finds the order the first
attempt created instead of opening a second one.
"""

from __future__ import annotations

import hashlib
import json

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.service_catalog import REQUEST_SLOTS


def idempotency_key(
    sender_id: str, order_type: str, account_no: str | None, fields: dict[str, str], contact_phone: str | None
) -> str:
    payload = json.dumps(
        [sender_id, order_type, account_no, fields, contact_phone], ensure_ascii=False, sort_keys=True
    )
    return "bot-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:40]


def request_ended(tracker: Tracker) -> list[EventType]:
    """Forget the task and the values that belonged to it (the phone and address stay known)."""
    return [SlotSet("service_task", None)] + [
        SlotSet(slot, None) for slot in REQUEST_SLOTS if tracker.get_slot(slot) is not None
    ]


def masked_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:]
