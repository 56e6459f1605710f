"""Creating work orders from a conversation: one order per customer request, even on retries."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions.channel import channel_of
from actions.gateway import get_gateway
from backend_core.gateway.interfaces import WorkOrder, WorkOrderType


def idempotency_key(tracker: Tracker, kind: str) -> str:
    """Same conversation, same customer message, same kind of order → same key."""
    message_id = ""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            message_id = event.get("message_id") or str(event.get("timestamp") or "")
            break
    return f"bot:{tracker.sender_id}:{kind}:{message_id}"


def create_order(
    tracker: Tracker,
    type: WorkOrderType,
    fields: dict[str, str],
    contact_phone: str | None = None,
    urgent: bool = False,
) -> WorkOrder:
    """A work order for the verified account (if any), tagged with the channel it came from."""
    return get_gateway().create_work_order(
        type=type,
        fields={**fields, "channel": channel_of(tracker)},
        idempotency_key=idempotency_key(tracker, type),
        account_no=tracker.get_slot("verified_account"),
        contact_phone=contact_phone,
        urgent=urgent,
    )
