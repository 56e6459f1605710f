"""Web chat for customers: a session token, the conversation's history, the rating, and
the live socket. Every route reads only the token holder's own conversation."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, WebSocket
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from integrations.api.deps import ID_MAX, bearer, chat_sender, get_chat_sessions, get_desk
from integrations.api.sockets import BAD_SESSION_CLOSE, pump
from integrations.auth.chat import ChatSessions
from integrations.conversations.desk import Desk
from integrations.conversations.states import State
from integrations.schemas import PlainText, refusals
from integrations.views import customer_view

router = APIRouter(tags=["web chat"])
CHANNEL = "web"


class SessionRequest(BaseModel):
    sender: PlainText | None = Field(None, max_length=128)


class ChatSession(BaseModel):
    sender: str
    token: str


class RatingRequest(BaseModel):
    score: int = Field(ge=1, le=5)
    comment: PlainText | None = Field(None, max_length=500)


@router.post("/api/chat/sessions", responses={
    200: {"model": ChatSession, "description": "the same session again, for the holder of its token"},
    201: {"model": ChatSession, "description": "a new chat session"},
    **refusals(400, 401),
})
async def start_session(
    request: Request, body: SessionRequest | None = None, chats: ChatSessions = Depends(get_chat_sessions)
) -> JSONResponse:
    """A new chat (201), or the same one again for the holder of its token (200)."""
    if body is not None and body.sender:
        token = bearer(request)
        if not await run_in_threadpool(chats.check, body.sender, token):
            raise HTTPException(401, "会话已失效，请重新开始 (invalid chat token)")
        return JSONResponse({"sender": body.sender, "token": token})
    sender, token = await run_in_threadpool(chats.create)
    return JSONResponse({"sender": sender, "token": token}, status_code=201)


@router.get("/api/chat/messages", responses=refusals(400, 401))
async def messages(
    after: int = Query(0, ge=0, le=ID_MAX), sender: str = Depends(chat_sender), desk: Desk = Depends(get_desk)
) -> dict[str, Any]:
    """The conversation since message ``after`` (0: all of it), and where it stands."""
    conversation = await run_in_threadpool(desk.store.find, CHANNEL, sender)
    if conversation is None:
        return {"messages": [], "state": State.BOT.value, "csat_pending": False}
    rows = await run_in_threadpool(desk.store.messages_after, conversation.id, after)
    body: dict[str, Any] = {
        "messages": [v for v in map(customer_view, rows) if v is not None],
        "state": conversation.state,
        "csat_pending": conversation.csat_pending,
    }
    if conversation.state == State.QUEUED:
        place = await desk.place_of(conversation.id)
        if place is not None:
            body["queue_position"], body["eta_s"] = place
    if conversation.state == State.AGENT and conversation.agent_name:
        body["agent_name"] = conversation.agent_name
    return body


@router.post("/api/chat/rating", responses=refusals(400, 401, 409))
async def rate(body: RatingRequest, sender: str = Depends(chat_sender), desk: Desk = Depends(get_desk)) -> dict[str, bool]:
    conversation = await run_in_threadpool(desk.store.find, CHANNEL, sender)
    if conversation is None or not await desk.rate(conversation, body.score, (body.comment or "").strip() or None):
        raise HTTPException(409, "当前没有需要评价的服务 (no rating was asked for)")
    return {"ok": True}


@router.websocket("/ws/chat")
async def live(websocket: WebSocket, token: str = "") -> None:
    """Pushes each message of the token holder's conversation as it is stored."""
    chats: ChatSessions = websocket.app.state.chat_sessions
    desk: Desk = websocket.app.state.desk
    sender = await run_in_threadpool(chats.sender_of, token)
    await websocket.accept()
    if sender is None:
        await websocket.close(BAD_SESSION_CLOSE, "invalid chat token")
        return
    conversation = await run_in_threadpool(desk.store.open, CHANNEL, sender)
    async with desk.broker.customer(conversation.id) as queue:
        await pump(websocket, queue)
