"""The agent console's API: login, the queue, a conversation with its customer panel and
suggestions, and what an agent does with it (claim, reply, note, hand back, resolve)."""

from __future__ import annotations

from typing import Any

from fastapi import (
    APIRouter,
    Depends,
    HTTPException,
    Query,
    Request,
    Response,
    WebSocket,
)
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from integrations.api.deps import (
    RowId,
    agent_changing,
    current_agent,
    get_agent_sessions,
    get_desk,
)
from integrations.api.sockets import BAD_SESSION_CLOSE, pump
from integrations.auth.agents import COOKIE, Agent, AgentSessions
from integrations.conversations.desk import Desk, NotHolder
from integrations.conversations.handoff import reason_label
from integrations.conversations.states import IllegalTransition
from integrations.conversations.summary import intent_label
from integrations.customer360 import customer_panel
from integrations.metrics import metrics as compute_metrics
from integrations.schemas import PlainText, refusals
from integrations.suggestions import last_question, suggest
from integrations.views import history_view, iso, message_view, note_view

router = APIRouter(prefix="/api/console", tags=["agent console"])
sockets = APIRouter(tags=["agent console"])
Text = Field(min_length=1, max_length=2000)


class Credentials(BaseModel):
    username: PlainText = Field(max_length=200)
    password: PlainText = Field(max_length=200)


class TextBody(BaseModel):
    text: PlainText = Text


class CandidateBody(BaseModel):
    question: PlainText = Text
    answer: PlainText = Text


class CannedBody(BaseModel):
    title: PlainText = Field(min_length=1, max_length=64)
    text: PlainText = Text


def _agent_view(agent: Agent) -> dict[str, Any]:
    return {"csrf_token": agent.csrf_token, "agent": {"username": agent.username, "display_name": agent.display_name}}


@router.post("/login", responses=refusals(400, 401))
async def login(body: Credentials, request: Request, response: Response,
                sessions: AgentSessions = Depends(get_agent_sessions)) -> dict[str, Any]:
    identity = await run_in_threadpool(request.app.state.core().authenticate_agent, body.username, body.password)
    if identity is None:
        raise HTTPException(401, "用户名或密码不正确")
    token, agent = await run_in_threadpool(sessions.start, identity.username, identity.display_name)
    settings = request.app.state.desk.settings
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="strict", secure=settings.cookie_secure,
        max_age=settings.agent_session_hours * 3600, path="/",
    )
    return _agent_view(agent)


@router.post("/logout", responses=refusals(401, 403))
async def logout(request: Request, response: Response, _agent: Agent = Depends(agent_changing),
                 sessions: AgentSessions = Depends(get_agent_sessions)) -> dict[str, bool]:
    await run_in_threadpool(sessions.end, request.cookies.get(COOKIE))
    response.delete_cookie(COOKIE, path="/")
    return {"ok": True}


@router.get("/me", responses=refusals(401))
async def me(agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    return _agent_view(agent)


@router.get("/queue", responses=refusals(401))
async def queue(agent: Agent = Depends(current_agent), desk: Desk = Depends(get_desk)) -> dict[str, Any]:
    return await desk.queue_rows(agent.username)


@router.get("/conversations/{conversation_id}", responses=refusals(400, 401, 404))
async def conversation(conversation_id: RowId, request: Request, agent: Agent = Depends(current_agent),
                       desk: Desk = Depends(get_desk)) -> dict[str, Any]:
    found = await run_in_threadpool(desk.store.get, conversation_id)
    if found is None:
        raise HTTPException(404, "没有这个会话")
    transcript = await run_in_threadpool(desk.store.transcript, conversation_id)
    notes = await run_in_threadpool(desk.store.notes, conversation_id)
    context = found.handoff_context or {}
    body: dict[str, Any] = {
        "id": found.id, "state": found.state, "channel": found.channel,
        "reason": found.handoff_reason, "reason_label": reason_label(found.handoff_reason),
        "summary": found.summary or "", "agent_name": found.agent_name,
        "mine": found.agent_username == agent.username,
        "intent": context.get("intent"), "intent_label": intent_label(context.get("intent")),
        "slots": context.get("slots") or {},
        "account": (context.get("slots") or {}).get("verified_account"),
        "transcript": [message_view(m) for m in transcript],
        "notes": [note_view(n) for n in notes],
        "customer": None,
    }
    if found.account_no:
        body["customer"] = await run_in_threadpool(customer_panel, request.app.state.core(), found.account_no)
        earlier = await run_in_threadpool(desk.store.history, found.account_no, found.id)
        body["history"] = [history_view(c) for c in earlier]
    rating = await run_in_threadpool(desk.store.rating, conversation_id)
    if rating is not None:
        body["csat"] = {"score": rating.score, "comment": rating.comment, "created_at": iso(rating.created_at)}
    return body


@router.post("/conversations/{conversation_id}/claim", responses=refusals(400, 401, 403, 404, 409))
async def claim(conversation_id: RowId, agent: Agent = Depends(agent_changing),
                desk: Desk = Depends(get_desk)) -> dict[str, bool]:
    if not await desk.claim(conversation_id, agent.username, agent.display_name):
        found = await run_in_threadpool(desk.store.get, conversation_id)
        if found is None:
            raise HTTPException(404, "没有这个会话")
        holder = f"已由{found.agent_name}接入" if found.agent_name else "已不在排队中"
        raise HTTPException(409, f"该会话{holder}")
    return {"ok": True}


@router.post("/conversations/{conversation_id}/messages", status_code=201,
             responses=refusals(400, 401, 403, 404, 409))
async def reply(conversation_id: RowId, body: TextBody, agent: Agent = Depends(agent_changing),
                desk: Desk = Depends(get_desk)) -> dict[str, Any]:
    try:
        row = await desk.agent_says(conversation_id, agent.username, agent.display_name, body.text.strip())
    except LookupError:
        raise HTTPException(404, "没有这个会话") from None
    except NotHolder:
        raise HTTPException(409, "请先接入该会话再回复") from None
    return message_view(row)


@router.post("/conversations/{conversation_id}/notes", status_code=201, responses=refusals(400, 401, 403, 404))
async def add_note(conversation_id: RowId, body: TextBody, agent: Agent = Depends(agent_changing),
                   desk: Desk = Depends(get_desk)) -> dict[str, Any]:
    if await run_in_threadpool(desk.store.get, conversation_id) is None:
        raise HTTPException(404, "没有这个会话")
    return note_view(await run_in_threadpool(desk.store.add_note, conversation_id, agent.display_name, body.text.strip()))


@router.post("/conversations/{conversation_id}/handback", responses=refusals(400, 401, 403, 404, 409))
async def hand_back(conversation_id: RowId, agent: Agent = Depends(agent_changing),
                    desk: Desk = Depends(get_desk)) -> dict[str, bool]:
    await _holding(desk.hand_back(conversation_id, agent.username))
    return {"ok": True}


@router.post("/conversations/{conversation_id}/resolve", responses=refusals(400, 401, 403, 404, 409))
async def resolve(conversation_id: RowId, agent: Agent = Depends(agent_changing),
                  desk: Desk = Depends(get_desk)) -> dict[str, bool]:
    await _holding(desk.resolve(conversation_id, agent.username))
    return {"ok": True}


@router.get("/conversations/{conversation_id}/suggestions", responses=refusals(400, 401))
async def suggestions(conversation_id: RowId, _agent: Agent = Depends(current_agent),
                      desk: Desk = Depends(get_desk)) -> dict[str, Any]:
    transcript = await run_in_threadpool(desk.store.recent, conversation_id)
    question = last_question(transcript)
    if question is None:
        return {"for_message": None, "bot_reply": None, "passages": []}
    found = await run_in_threadpool(suggest, question.text)
    return {"for_message": {"id": question.id, "text": question.text}, **found}


@router.post("/conversations/{conversation_id}/kb-candidates", status_code=201,
             responses=refusals(400, 401, 403, 404))
async def kb_candidate(conversation_id: RowId, body: CandidateBody, agent: Agent = Depends(agent_changing),
                       desk: Desk = Depends(get_desk)) -> dict[str, Any]:
    if await run_in_threadpool(desk.store.get, conversation_id) is None:
        raise HTTPException(404, "没有这个会话")
    row = await run_in_threadpool(
        desk.store.add_candidate, conversation_id, body.question.strip(), body.answer.strip(), agent.username
    )
    return {"id": row.id, "status": row.status}


@router.get("/canned", responses=refusals(401))
async def canned(request: Request, _agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    rows = await run_in_threadpool(request.app.state.canned.all)
    return {"responses": [{"id": r.id, "title": r.title, "text": r.text} for r in rows]}


@router.post("/canned", status_code=201, responses=refusals(400, 401, 403))
async def add_canned(body: CannedBody, request: Request, agent: Agent = Depends(agent_changing)) -> dict[str, Any]:
    row = await run_in_threadpool(request.app.state.canned.add, body.title.strip(), body.text.strip(), agent.username)
    return {"id": row.id, "title": row.title, "text": row.text}


@router.put("/canned/{response_id}", responses=refusals(400, 401, 403, 404))
async def change_canned(response_id: RowId, body: CannedBody, request: Request,
                        agent: Agent = Depends(agent_changing)) -> dict[str, bool]:
    changed = await run_in_threadpool(
        request.app.state.canned.change, response_id, body.title.strip(), body.text.strip(), agent.username
    )
    if not changed:
        raise HTTPException(404, "没有这条常用语")
    return {"ok": True}


@router.delete("/canned/{response_id}", responses=refusals(400, 401, 403, 404))
async def remove_canned(response_id: RowId, request: Request,
                        _agent: Agent = Depends(agent_changing)) -> dict[str, bool]:
    if not await run_in_threadpool(request.app.state.canned.remove, response_id):
        raise HTTPException(404, "没有这条常用语")
    return {"ok": True}


@router.get("/metrics", responses=refusals(400, 401))
async def metrics(request: Request, days: int = Query(7, ge=1, le=90), _agent: Agent = Depends(current_agent)) -> dict[str, Any]:
    return await run_in_threadpool(compute_metrics, request.app.state.sessions, days)


async def _holding(work: Any) -> None:
    """Run an action on a held conversation; 404 / 409 when it is not there or not ours."""
    try:
        await work
    except LookupError:
        raise HTTPException(404, "没有这个会话") from None
    except (NotHolder, IllegalTransition):
        raise HTTPException(409, "该会话不在您的处理中") from None


@sockets.websocket("/ws/console")
async def live(websocket: WebSocket) -> None:
    """Queue and conversation events for a logged-in agent (the session cookie)."""
    sessions: AgentSessions = websocket.app.state.agent_sessions
    desk: Desk = websocket.app.state.desk
    token = websocket.cookies.get(COOKIE)
    agent = await run_in_threadpool(sessions.find, token)
    await websocket.accept()
    if agent is None or token is None:
        await websocket.close(BAD_SESSION_CLOSE, "login required")
        return
    async with desk.broker.console() as queue:
        await websocket.send_json({"type": "queue", **await desk.queue_rows(agent.username)})
        await pump(websocket, queue, heartbeat=lambda: run_in_threadpool(sessions.seen, token),
                   personal=lambda frame: _mine(frame, agent.username))


def _mine(frame: dict[str, Any], username: str) -> dict[str, Any]:
    """A queue frame as this agent sees it: which conversations are theirs."""
    if frame.get("type") != "queue":
        return frame
    rows = [{**row, "mine": row.get("agent_username") == username} for row in frame["conversations"]]
    return {**frame, "conversations": rows}
