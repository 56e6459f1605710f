"""How stored records look to pages and sockets: one shape for history and live pushes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from integrations.models import Conversation, Message, Note, as_utc

# custom payload types a customer's page may render (docs/hub_api.md); anything else,
# such as the bot's hand-over request, stays between the bot and the hub.
PUBLIC_CUSTOM = frozenset({"bill_card", "usage_chart", "status", "csat"})


def iso(moment: datetime) -> str:
    return as_utc(moment).isoformat()


def message_view(message: Message) -> dict[str, Any]:
    """The message object of docs/hub_api.md, as agents see it."""
    payload = message.payload or {}
    view: dict[str, Any] = {
        "id": message.id, "author": message.author, "text": message.text, "created_at": iso(message.created_at),
    }
    if payload.get("buttons"):
        view["buttons"] = payload["buttons"]
    if payload.get("custom"):
        view["custom"] = payload["custom"]
    if message.agent_name:
        view["agent_name"] = message.agent_name
    if payload.get("attachment"):
        view["attachment"] = payload["attachment"]
    return view


def customer_view(message: Message) -> dict[str, Any] | None:
    """The message as the customer's page gets it, or None for what the customer never sees."""
    view = message_view(message)
    custom = view.get("custom")
    if custom is not None and (not isinstance(custom, dict) or custom.get("type") not in PUBLIC_CUSTOM):
        del view["custom"]
        if not view["text"]:
            return None
    return view


def note_view(note: Note) -> dict[str, Any]:
    return {"id": note.id, "agent_name": note.agent_name, "text": note.text, "created_at": iso(note.created_at)}


def history_view(conversation: Conversation) -> dict[str, Any]:
    """One of the customer's other conversations, as the agent's panel lists it."""
    return {"id": conversation.id, "channel": conversation.channel, "state": conversation.state,
            "created_at": iso(conversation.created_at), "reason": conversation.handoff_reason,
            "summary": conversation.summary or ""}
