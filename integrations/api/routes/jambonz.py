"""The voice line: jambonz application webhooks (interfaces.md, "Voice").

Thin on purpose: read and check the request, let the call flow answer
(channels/voice/calls.py), check the answer. jambonz plays whatever array of verbs
comes back, so whatever happens the caller gets a valid one: a request we cannot read
(not JSON, not UTF-8, too big, not the callback's schema, no call_sid) or an error of
ours gets an apology and a hang-up with status 200, never an error page; and an answer
of ours that breaks the contract is logged as the bug it is and replaced by the same
apology.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from integrations.channels.voice.calls import Call, Calls, apology, masked
from integrations.channels.voice.contract import payload_errors, verb_errors
from integrations.channels.voice.hook import CallState
from integrations.channels.voice.signature import HEADER, signed
from integrations.channels.voice.verbs import Verb

# What jambonz posts (../shared/contracts/jambonz/callbacks/, the fields the line reads), and
# what it gets back: a jambonz application (an array of verbs), the apology too.
CALL_FIELDS = {"call_sid": {"type": "string"}, "direction": {"type": "string"}, "from": {"type": "string"},
               "to": {"type": "string"}, "call_status": {"type": "string"}}


def _webhook_body(description: str, **fields: dict[str, Any]) -> dict[str, Any]:
    schema = {"type": "object", "required": ["call_sid"], "properties": CALL_FIELDS | fields}
    return {"requestBody": {"required": True, "description": description,
                            "content": {"application/json": {"schema": schema}}}}


NEW_CALL = _webhook_body("session:new")
HOOKED = _webhook_body(
    "a gather's, enqueue's or dial's callback (the step in the query string says which)",
    reason={"type": "string"}, digits={"type": "string"},
    speech={"type": "object", "properties": {"alternatives": {"type": "array", "items": {
        "type": "object", "properties": {"transcript": {"type": "string"}, "confidence": {"type": "number"}}}}}},
)
CALL_STATUS = _webhook_body("call status", duration={"type": "integer"})

VERBS = {"content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}}}
router = APIRouter(prefix="/ivr/jambonz", tags=["voice"], responses={
    200: {"description": "the verbs to play; an apology and a hang-up for a request we cannot read", **VERBS},
    403: {"description": "not signed with the webhook secret (when one is set): the apology", **VERBS},
})
log = logging.getLogger(__name__)
MAX_SID_CHARS = 128  # the conversation's external id

Act = Callable[[Calls, Call, dict[str, Any]], Awaitable[list[Verb]]]


@router.post("/call", openapi_extra=NEW_CALL)
async def new_call(request: Request) -> JSONResponse:
    """A new call (``session:new``): the greeting and the first gather."""

    async def greet(calls: Calls, call: Call, _payload: dict[str, Any]) -> list[Verb]:
        log.info("voice call %s from %s", call.sid, masked(call.caller))
        return calls.start()

    return await _webhook(request, "session-new", greet)


@router.post("/gather", openapi_extra=HOOKED)
async def hooked(request: Request) -> JSONResponse:
    """The action hook of every gather (and of enqueue and dial): the call's state is in
    the query string we wrote into the hook's URL."""
    state = CallState.parse(request.query_params)
    return await _webhook(request, state.callback, lambda calls, call, payload: calls.hooked(call, state, payload))


@router.post("/status", openapi_extra=CALL_STATUS)
async def status(request: Request) -> JSONResponse:
    """Call status: a call that ended closes its conversation."""
    return await _webhook(request, "call-status", lambda calls, call, payload: calls.ended(call, payload.get("call_status")))


async def _webhook(request: Request, callback: str, act: Act) -> JSONResponse:
    settings = request.app.state.desk.settings
    body = await _body(request, settings.voice_max_body_bytes)
    if body is None:
        log.warning("voice webhook %s refused: body over %d bytes", request.url.path, settings.voice_max_body_bytes)
        return _answer(apology())
    if settings.voice_webhook_secret and not signed(settings.voice_webhook_secret, body, request.headers.get(HEADER)):
        log.warning("voice webhook %s refused: missing or wrong %s", request.url.path, HEADER)
        return _answer(apology(), status=403)
    try:
        payload = _payload(body)
        problems = ["not a JSON object in UTF-8"] if payload is None else payload_errors(callback, payload)
        if payload is not None and not problems and not _is_call_sid(payload.get("call_sid")):
            problems = ["call_sid (missing or not a call id)"]
        if problems:
            log.warning("voice webhook %s refused (%s): %s", request.url.path, callback, "; ".join(problems[:5]))
            return _answer(apology())
        assert payload is not None
        caller = payload.get("from") if isinstance(payload.get("from"), str) else None
        call = Call(payload["call_sid"], caller)
        verbs = await act(Calls(request.app.state.router, request.app.state.desk), call, payload)
    except Exception:
        log.exception("voice webhook %s failed", request.url.path)
        return _answer(apology())
    errors = verb_errors(verbs)
    if errors:
        log.error("BUG: our answer to %s for call %s breaks the jambonz contract, the caller gets an apology: %s",
                  request.url.path, call.sid, "; ".join(errors[:5]))
        return _answer(apology())
    return _answer(verbs)


async def _body(request: Request, limit: int) -> bytes | None:
    """The raw body (signatures are over the bytes), or None past ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _payload(body: bytes) -> dict[str, Any] | None:
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return payload if isinstance(payload, dict) else None


def _is_call_sid(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_SID_CHARS and value.isprintable() and value.strip() == value


def _answer(verbs: list[Verb], status: int = 200) -> JSONResponse:
    return JSONResponse(verbs, status_code=status)
