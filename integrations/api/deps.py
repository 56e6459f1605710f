"""Objects the routes share, built once per application, and who is asking.

An agent is known by the session cookie (401 without one); an unsafe request also needs
the session's CSRF token in ``X-CSRF-Token`` (403 without it). A web chat customer is
known by the Bearer token of their chat session.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request

from integrations.auth.agents import COOKIE, CSRF_HEADER, Agent, AgentSessions, csrf_ok
from integrations.auth.chat import ChatSessions
from integrations.conversations.desk import Desk
from integrations.routing import Router

LOGIN_AGAIN = "请先登录 (login required)"
# Row ids are INTEGER columns: a number past their range names no row, and PostgreSQL
# and SQLite refuse it as a parameter, so it is a bad request (400), not a lookup.
ID_MAX = 2**31 - 1
RowId = Annotated[int, Path(ge=1, le=ID_MAX)]


def get_router(request: Request) -> Router:
    return request.app.state.router


def get_desk(request: Request) -> Desk:
    return request.app.state.desk


def get_chat_sessions(request: Request) -> ChatSessions:
    return request.app.state.chat_sessions


def get_agent_sessions(request: Request) -> AgentSessions:
    return request.app.state.agent_sessions


def bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def chat_sender(request: Request, chats: ChatSessions = Depends(get_chat_sessions)) -> str:
    """The web chat sender whose token came with the request."""
    sender = chats.sender_of(bearer(request))
    if sender is None:
        raise HTTPException(401, "会话已失效，请刷新页面重新开始 (invalid chat token)")
    return sender


def current_agent(request: Request, sessions: AgentSessions = Depends(get_agent_sessions)) -> Agent:
    agent = sessions.find(request.cookies.get(COOKIE))
    if agent is None:
        raise HTTPException(401, LOGIN_AGAIN)
    return agent


def agent_changing(request: Request, agent: Agent = Depends(current_agent)) -> Agent:
    """An agent making a change: the CSRF header must match their session."""
    if not csrf_ok(agent, request.headers.get(CSRF_HEADER)):
        raise HTTPException(403, "缺少或错误的 X-CSRF-Token (CSRF check failed)")
    return agent
