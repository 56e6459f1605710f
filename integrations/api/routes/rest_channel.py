"""The web/REST channel of record: Rasa's REST format, routed through the hub."""

from __future__ import annotations

import math

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from integrations.api.deps import bearer, get_chat_sessions, get_router
from integrations.auth.chat import ChatSessions
from integrations.ratelimit import SLOW_DOWN
from integrations.routing import Router
from integrations.schemas import Channel, IncomingMessage, OutgoingMessage, RestWebhookRequest, refusals

router = APIRouter(tags=["channels"])


@router.post("/webhooks/rest/webhook", response_model=list[OutgoingMessage], response_model_exclude_none=True,
             responses=refusals(400, 401, 429))
async def rest_webhook(
    body: RestWebhookRequest,
    request: Request,
    hub: Router = Depends(get_router),
    chats: ChatSessions = Depends(get_chat_sessions),
) -> list[OutgoingMessage] | JSONResponse:
    """One customer turn in, the replies out (an empty list while an agent has the conversation).

    A sender that holds a web chat session must send its token (header or
    ``metadata.token``); a sender who floods is slowed (429) before anything is stored.
    """
    asked = body.metadata.get("channel")
    style: Channel = asked if asked in ("web", "wechat", "voice") else "web"
    token = bearer(request) or (body.metadata.get("token") if isinstance(body.metadata.get("token"), str) else None)
    admitted = chats.admits_known(body.sender, token)
    if admitted is None:
        admitted = await run_in_threadpool(chats.admits, body.sender, token)
    if not admitted:
        raise HTTPException(401, "会话已失效，请刷新页面重新开始 (invalid chat token)")
    wait = await request.app.state.limiter.allow(f"web:{body.sender}")
    if wait:
        return JSONResponse(
            {"error": "rate_limited", "message": SLOW_DOWN}, status_code=429,
            headers={"Retry-After": str(math.ceil(wait))},
        )
    return await hub.handle(
        IncomingMessage(channel="web", style=style, sender=body.sender, text=body.message, metadata=body.metadata)
    )
