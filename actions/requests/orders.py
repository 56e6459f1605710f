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

from actions.kernel.channel import channel_of
from actions.kernel.gateway import get_gateway
from actions.requests.catalog import REQUEST_SLOTS
from backend_core.gateway.interfaces import WorkOrder, WorkOrderType


def idempotency_key(
    sender_id: str, order_type: str, account_no: str | None, fields: dict[str, str], contact_phone: str | None
) -> str:
    payload = json.dumps(
        [sender_id, order_type, account_no, fields, contact_phone], ensure_ascii=False, sort_keys=True
    )
    return "bot-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:40]


def create_service_order(
    tracker: Tracker,
    order_type: WorkOrderType,
    fields: dict[str, str],
    account_no: str | None,
    contact_phone: str | None,
    urgent: bool = False,
) -> WorkOrder:
    """The work order for this conversation's request, tagged with the channel it came from."""
    fields = {**fields, "channel": channel_of(tracker)}
    key = idempotency_key(tracker.sender_id, order_type, account_no, fields, contact_phone)
    return get_gateway().create_work_order(
        order_type, fields, key, account_no=account_no, contact_phone=contact_phone, urgent=urgent
    )


def request_ended(tracker: Tracker) -> list[EventType]:
    """Forget the task and the values that belonged to it (the phone and address stay known)."""
    return [SlotSet("service_task", None)] + [
        SlotSet(slot, None) for slot in REQUEST_SLOTS if tracker.get_slot(slot) is not None
    ]

