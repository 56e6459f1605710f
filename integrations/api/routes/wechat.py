"""``GET/POST /wechat``: the official account's server URL (interfaces.md).

GET answers WeChat's server check with ``echostr``; POST takes messages and events.
Whatever is not signed by WeChat is refused (403) before anything is read or stored;
what is signed but unreadable is a bad request (400); everything else gets 200, with a
passive reply or ``success``, as WeChat expects.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import PlainTextResponse, Response

from integrations.channels.wechat.protocol import Malformed, Refused, Signed
from integrations.schemas import refusals

router = APIRouter(tags=["channels"])
log = logging.getLogger(__name__)
SUCCESS = "success"
# The query WeChat signs every request with (the route reads it itself).
SIGNED_QUERY = {"parameters": [
    {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
    for name in ("signature", "timestamp", "nonce", "echostr", "encrypt_type", "msg_signature")
]}


@router.get("/wechat", response_class=Response, openapi_extra=SIGNED_QUERY, responses={
    200: {"description": "echostr, when WeChat signed the check", "content": {"text/plain": {"schema": {"type": "string"}}}},
    **refusals(403),
})
async def verify_server(request: Request) -> Response:
    signed = Signed.from_query(dict(request.query_params))
    try:
        request.app.state.wechat_protocol.verify(signed)
    except Refused as exc:
        log.warning("wechat: server check refused: %s", exc)
        raise HTTPException(403, "signature check failed") from exc
    return PlainTextResponse(request.query_params.get("echostr", ""))


@router.post("/wechat", response_class=Response, openapi_extra=SIGNED_QUERY, responses={
    200: {"description": "a passive reply (XML, sealed in safe mode), or success",
          "content": {"application/xml": {"schema": {"type": "string"}}, "text/plain": {"schema": {"type": "string"}}}},
    **refusals(400, 403),
})
async def receive(request: Request) -> Response:
    protocol = request.app.state.wechat_protocol
    signed = Signed.from_query(dict(request.query_params))
    try:
        message = protocol.open(await _body(request, protocol.max_bytes), signed)
    except Refused as exc:
        log.warning("wechat: request refused: %s", exc)
        raise HTTPException(403, "signature check failed") from exc
    except Malformed as exc:
        log.warning("wechat: unreadable request: %s", exc)
        raise HTTPException(400, "not a WeChat message") from exc
    reply = await request.app.state.wechat.receive(message)
    if reply is None:
        return PlainTextResponse(SUCCESS)
    return Response(protocol.reply(message, reply, signed), media_type="application/xml")


async def _body(request: Request, limit: int) -> bytes:
    """The body, read no further than one byte past ``limit`` (the protocol refuses it)."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            break
    return body
