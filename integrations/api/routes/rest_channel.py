"""The web/REST channel of record: Rasa's REST format, routed through the hub."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from integrations.api.deps import get_router
from integrations.routing import Router
from integrations.schemas import IncomingMessage, OutgoingMessage, RestWebhookRequest

router = APIRouter(tags=["channels"])


@router.post("/webhooks/rest/webhook", response_model=list[OutgoingMessage], response_model_exclude_none=True)
async def rest_webhook(body: RestWebhookRequest, hub: Router = Depends(get_router)) -> list[OutgoingMessage]:
    """One customer turn in, the replies out (an empty list while an agent has the conversation)."""
    channel = body.metadata.get("channel") if body.metadata.get("channel") in ("web", "wechat", "voice") else "web"
    return await hub.handle(
        IncomingMessage(channel=channel, sender=body.sender, text=body.message, metadata=body.metadata)
    )
