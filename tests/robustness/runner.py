"""Sends a corpus case to the hub or the core and checks what every case must hold.

Every case: a status below 500; a body with no stack trace and no internal name; a
refused request (4xx, or on the voice line the apology and hang-up) leaves every table
of the database behind it as it was. A case expecting refusal or acceptance gets it, and
an injection string a route accepts is stored exactly as sent and comes back exactly as
sent, as data (JSON, or text inside well-formed XML), never as markup.
"""

from __future__ import annotations

import json
import re
import secrets
import time
import zlib
from collections.abc import Callable
from typing import Any

import httpx
from defusedxml.ElementTree import fromstring
from sqlalchemy import select
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from integrations.auth.agents import COOKIE, CSRF_HEADER
from integrations.channels.voice.contract import verb_errors
from integrations.channels.voice.signature import HEADER as VOICE_HEADER
from integrations.channels.voice.signature import sign as voice_sign
from integrations.models import Conversation, KbCandidate, Message
from scripts.wechat_sim import AES_KEY, APP_ID, TOKEN, WeChatServer
from tests.robustness.conftest import RobustCore, RobustHub
from tests.robustness.corpus import CORE_TOKEN, MISSING_ID, VOICE_SECRET, Case

LEAKS = ("Traceback", 'File "/', ".py", "sqlalchemy", "psycopg", "sqlite3", "KeyError", "integrations.",
         "backend_core.", "pydantic")
ECHO = "收到："  # the stand-in bot's reply starts with this (conftest.echo)
Response = Any  # what the TestClient answers: httpx's Response, or httpx2's where starlette uses that


def sender_of(case: Case) -> str:
    """A sender (and call id, idempotency key) of this case alone."""
    return f"rb{zlib.crc32(case.test_id.encode()):08x}"


def _latin1(headers: dict[str, str]) -> dict[str, Any]:
    """Headers as sent on the wire: values outside ASCII go as their latin-1 bytes."""
    return {k: (v if v.isascii() else v.encode("latin-1")) for k, v in headers.items()}


def _fill(text: str, case: Case, hub: RobustHub | None) -> str:
    text = text.replace("{sender}", sender_of(case)).replace("{missing}", str(MISSING_ID))
    if hub is not None:
        text = (text.replace("{held}", str(hub.held)).replace("{other}", str(hub.other))
                .replace("{chat_sender}", hub.chat_sender))
    return text


def _fill_body(case: Case, hub: RobustHub | None) -> bytes | None:
    body = case.body
    if body is None or len(body) > 100_000 or not re.search(rb"\{(sender|missing|held|other|chat_sender|now|msgid)\}", body):
        return body
    text = _fill(body.decode("utf-8", "surrogateescape"), case, hub)
    text = text.replace("{now}", str(int(time.time()))).replace("{msgid}", str(secrets.randbits(62) + 1))
    return text.encode("utf-8", "surrogateescape")


# -- hub ----------------------------------------------------------------------------------------


def hub_headers(case: Case, hub: RobustHub) -> dict[str, str]:
    auth = case.auth
    headers: dict[str, str] = {}
    if auth == "chat":
        headers["Authorization"] = f"Bearer {hub.chat_token}"
    elif auth == "chat-forged":
        headers["Authorization"] = "Bearer " + "0" * 43
    elif auth == "chat-not-bearer":
        headers["Authorization"] = hub.chat_token
    elif auth.startswith("agent"):
        cookie = "forged" + "0" * 40 if auth == "agent-forged-cookie" else hub.agent.cookie
        headers["Cookie"] = f"{COOKIE}={cookie}"
        if auth == "agent-bad-csrf":
            headers[CSRF_HEADER] = "guess"
        elif auth != "agent-no-csrf":
            headers[CSRF_HEADER] = hub.agent.csrf
    return headers | {k: _fill(v, case, hub) for k, v in case.headers.items()}


def send_hub(case: Case, hub: RobustHub) -> Response:
    client = hub.safe if case.app == "safe" else hub.client
    client.cookies.clear()
    path, body = _fill(case.path, case, hub), _fill_body(case, hub)
    headers = hub_headers(case, hub)
    if case.surface == "wechat":
        path, body = wechat_request(case, path, body)
    elif case.surface == "voice":
        headers |= voice_signature(case.auth, body or b"")
    return client.request(case.method, path, content=body, headers=_latin1(headers))


def wechat_request(case: Case, path: str, body: bytes | None) -> tuple[str, bytes | None]:
    """The path with the signature's query, and the body (sealed in safe mode)."""
    now = int(time.time())
    stamps = {"stale": now - 600, "future": now + 3600}
    query: dict[str, str]
    if case.auth in ("signed", "stale", "future", "signed-safe", "forged", "non-ascii-signature"):
        query = WeChatServer.signed_query(stamps.get(case.auth))
        if case.auth == "forged":
            query["signature"] = "f" * 40
        elif case.auth == "non-ascii-signature":
            query["signature"] = "签名" * 10
    elif case.auth in ("bad-timestamp", "huge-timestamp", "nan-timestamp"):
        stamp = {"bad-timestamp": "yesterday", "huge-timestamp": "9" * 40, "nan-timestamp": "NaN"}[case.auth]
        signer = WeChatSigner()
        signer.add_data(TOKEN, stamp, "nonce1")
        query = {"signature": signer.signature, "timestamp": stamp, "nonce": "nonce1"}
    elif case.auth in ("sealed", "sealed-forged"):
        query = WeChatServer.signed_query()
        crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID)
        sealed = crypto.encrypt_message((body or b"").decode(), query["nonce"], query["timestamp"])
        signature = re.search(r"<MsgSignature><!\[CDATA\[(\w+)\]\]>", sealed)
        assert signature is not None
        query |= {"encrypt_type": "aes", "msg_signature": "0" * 40 if case.auth == "sealed-forged" else signature.group(1)}
        body = sealed.encode()
    else:
        query = {}
    if case.auth == "signed-safe":  # a broken envelope, signed as WeChat would sign it
        encrypt = re.search(rb"<Encrypt>(?:<!\[CDATA\[)?(.*?)(?:\]\]>)?</Encrypt>", body or b"")
        signer = WeChatSigner()
        signer.add_data(TOKEN, query["timestamp"], query["nonce"], (encrypt.group(1) if encrypt else b"").decode())
        query |= {"encrypt_type": "aes", "msg_signature": signer.signature}
    separator = "&" if "?" in path else "?"
    return path + (separator + str(httpx.QueryParams(query)) if query else ""), body


def voice_signature(auth: str, body: bytes) -> dict[str, str]:
    now = int(time.time())
    if auth == "signed":
        return {VOICE_HEADER: f"t={now},v1={voice_sign(VOICE_SECRET, body, str(now))}"}
    if auth == "forged":
        return {VOICE_HEADER: f"t={now},v1={voice_sign('guess', body, str(now))}"}
    if auth in ("stale", "future"):
        stamp = str(now - 600 if auth == "stale" else now + 3600)
        return {VOICE_HEADER: f"t={stamp},v1={voice_sign(VOICE_SECRET, body, stamp)}"}
    if auth == "malformed-signature":
        return {VOICE_HEADER: "t=,v1=,,==garbage"}
    if auth == "non-ascii-signature":
        return {VOICE_HEADER: f"t={now},v1=\xe9\xe9\xe9"}
    return {}


# -- core ---------------------------------------------------------------------------------------


def send_core(case: Case, core: RobustCore) -> Response:
    headers = {"token": {"Authorization": f"Bearer {CORE_TOKEN}"}, "wrong-token": {"Authorization": "Bearer wrong"},
               "not-bearer": {"Authorization": CORE_TOKEN}, "non-ascii-token": {"Authorization": "Bearer \xe9\xff"},
               }.get(case.auth, {})
    headers |= {k: _fill(v, case, None) for k, v in case.headers.items()}
    return core.client.request(case.method, _fill(case.path, case, None), content=_fill_body(case, None),
                               headers=_latin1(headers))


# -- what every case must hold --------------------------------------------------------------------


def apologised(response: Response) -> bool:
    try:
        verbs = response.json()
    except ValueError:
        return False
    return (isinstance(verbs, list) and [v.get("verb") for v in verbs] == ["say", "hangup"]
            and "抱歉" in verbs[0].get("text", ""))


def refused(case: Case, response: Response) -> bool:
    return 400 <= response.status_code < 500 or (case.surface == "voice" and apologised(response))


def check_common(case: Case, response: Response, before: tuple[int, ...], after: Callable[[], tuple[int, ...]]) -> None:
    shown = response.text[:500]
    assert response.status_code < 500, f"{case.test_id}: {response.status_code} {shown}"
    text = response.content.decode("utf-8", "replace")
    leaked = [marker for marker in LEAKS if marker in text]
    assert not leaked, f"{case.test_id}: the body names {leaked}: {shown}"
    if case.surface == "voice" and response.status_code in (200, 403):
        assert verb_errors(response.json()) == [], f"{case.test_id}: not a jambonz application: {shown}"
    if case.expect == "refused":
        assert refused(case, response), f"{case.test_id}: expected a refusal, got {response.status_code} {shown}"
    elif case.expect == "accepted":
        assert 200 <= response.status_code < 300 and not refused(case, response), \
            f"{case.test_id}: expected acceptance, got {response.status_code} {shown}"
    if refused(case, response):
        assert after() == before, f"{case.test_id}: refused ({response.status_code}) but rows were stored"
    if response.status_code >= 400 and case.surface not in ("voice", "wechat"):
        body = response.json()
        assert set(body) == {"error", "message"} and body["message"], f"{case.test_id}: error shape {shown}"


# -- where accepted injection strings went --------------------------------------------------------


def _json_response(response: Response) -> Any:
    assert response.headers["content-type"].startswith("application/json"), response.headers["content-type"]
    return response.json()


def _last_customer_text(hub: RobustHub, channel: str, external_id: str) -> str | None:
    with hub.engine.connect() as conn:
        conversation = conn.scalar(select(Conversation.id).where(Conversation.channel == channel,
                                                                 Conversation.external_id == external_id))
        if conversation is None:
            return None
        return conn.scalar(select(Message.text).where(Message.conversation_id == conversation, Message.author == "customer")
                           .order_by(Message.id.desc()).limit(1))


def _agent_get(hub: RobustHub, path: str) -> Any:
    hub.client.cookies.clear()
    return _json_response(hub.client.get(path, headers={"Cookie": f"{COOKIE}={hub.agent.cookie}"}))


def _wechat_reply(case: Case, response: Response, hub: RobustHub) -> str:
    """The passive reply's Content: the XML must be well-formed and the text intact."""
    xml = response.text
    if case.app == "safe":
        envelope = fromstring(xml)
        xml = WeChatCrypto(TOKEN, AES_KEY, APP_ID).decrypt_message(
            xml, envelope.findtext("MsgSignature"), envelope.findtext("TimeStamp"), envelope.findtext("Nonce"))
    assert response.headers["content-type"].startswith("application/xml"), response.headers["content-type"]
    reply = fromstring(xml)  # well-formed, or the customer's text broke out of its CDATA
    assert sorted(child.tag for child in reply) == ["Content", "CreateTime", "FromUserName", "MsgType", "ToUserName"], xml
    return reply.findtext("Content") or ""


def check_stored(case: Case, response: Response, hub: RobustHub | None, core: RobustCore | None) -> None:
    value = case.value
    assert value is not None
    sender = sender_of(case)
    if case.check == "rest-message":
        replies = _json_response(response)
        assert replies[0]["text"] == ECHO + value
        assert hub is not None and _last_customer_text(hub, "web", sender) == value
    elif case.check == "chat-message":
        assert hub is not None
        hub.client.cookies.clear()
        history = _json_response(hub.client.get("/api/chat/messages?after=0",
                                                headers={"Authorization": f"Bearer {hub.chat_token}"}))
        mine = [m["text"] for m in history["messages"] if m["author"] == "customer"]
        assert mine[-1] == value
    elif case.check == "rest-sender":
        assert _json_response(response)[0]["recipient_id"] == value
        assert hub is not None and _last_customer_text(hub, "web", value) == "你好"
    elif case.check in ("console-message", "console-note"):
        assert hub is not None
        assert _json_response(response)["text"] == value
        view = _agent_get(hub, f"/api/console/conversations/{hub.held}")
        listed = view["transcript"] if case.check == "console-message" else view["notes"]
        assert listed[-1]["text"] == value
    elif case.check == "kb-candidate":
        assert hub is not None
        with hub.engine.connect() as conn:
            row = conn.execute(select(KbCandidate.question, KbCandidate.answer).order_by(KbCandidate.id.desc()).limit(1)).one()
        assert value in row
    elif case.check == "canned":
        assert hub is not None
        made = _json_response(response)
        assert value in (made["title"], made["text"])
        listed = _agent_get(hub, "/api/console/canned")["responses"]
        assert {"id": made["id"], "title": made["title"], "text": made["text"]} in listed
    elif case.check == "wechat-echo":
        assert response.headers["content-type"].startswith("text/plain") and response.text == value
    elif case.check == "wechat-text":
        assert hub is not None
        assert _wechat_reply(case, response, hub) == ECHO + value
        assert _last_customer_text(hub, "wechat", sender) == value
    elif case.check == "wechat-reply":
        assert hub is not None
        assert value in _wechat_reply(case, response, hub)
    elif case.check == "voice-text":
        assert hub is not None
        assert _last_customer_text(hub, "voice", sender) == value
    elif case.check == "core-work-order":
        assert core is not None
        made = _json_response(response)
        assert made["fields"]["description"] == value
        again = core.client.get(f"/api/work-orders/{made['ticket_no']}", headers={"Authorization": f"Bearer {CORE_TOKEN}"})
        assert _json_response(again)["fields"]["description"] == value
    else:
        raise AssertionError(f"unknown check {case.check}")


def check_outages(case: Case, response: Response) -> None:
    """An address that names no place finds no outage: wildcards and quotes are text, not SQL."""
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert _json_response(response) == [], f"{case.test_id}: {response.text[:300]}"


def dump(response: Response) -> str:
    try:
        return json.dumps(response.json(), ensure_ascii=False)[:300]
    except ValueError:
        return response.text[:300]
