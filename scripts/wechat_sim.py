"""WeChat simulated on loopback, for tests and benchmarks without an official account:
the requests WeChat's servers send to the account's server URL, built, signed and (in
safe mode) encrypted with wechatpy, and a stand-in for WeChat's API that issues (and
expires) access tokens and records the messages pushed to followers.

    api = WeChatApiStandIn(); ServedApi(api.app())   # then WECHAT_API_BASE_URL=<url>/cgi-bin/
    wechat = WeChatServer("http://127.0.0.1:8000/wechat", safe=False)
    wechat.reply_text(wechat.text("oFollower", "查电费"))
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import xmltodict
from fastapi import FastAPI, Request
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

TOKEN = "powerdesk-test-token"
APP_ID = "wx0123456789abcdef"
APP_SECRET = "test-secret"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat issues them
ACCOUNT = "gh_95598demo"  # the official account's own id (ToUserName)


@dataclass
class WeChatApiStandIn:
    """WeChat's API for one app: /cgi-bin/token, customer-service and template messages, menu."""

    url: str = ""  # where it is served (…/cgi-bin/), once it is
    expires_in: int = 7200
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (epoch s)
    issued: int = 0
    busy: int = 0  # answer errcode -1 this many times first
    custom: list[dict[str, Any]] = field(default_factory=list)
    templates: list[dict[str, Any]] = field(default_factory=list)
    menus: list[dict[str, Any]] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)

    def expire_tokens(self) -> None:
        self.tokens = dict.fromkeys(self.tokens, 0.0)

    def texts_to(self, openid: str) -> list[str]:
        return [m["text"]["content"] for m in self.custom if m["touser"] == openid]

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/cgi-bin/token")
        def token(appid: str, secret: str, grant_type: str) -> dict[str, Any]:
            if (appid, secret, grant_type) != (APP_ID, APP_SECRET, "client_credential"):
                return {"errcode": 40125, "errmsg": "invalid appsecret"}
            self.issued += 1
            value = f"tok-{self.issued}-{secrets.token_hex(4)}"
            self.tokens[value] = time.time() + self.expires_in
            return {"access_token": value, "expires_in": self.expires_in}

        def check(access_token: str) -> dict[str, Any] | None:
            if access_token not in self.tokens:
                return {"errcode": 40001, "errmsg": "invalid credential"}
            if self.tokens[access_token] < time.time():
                return {"errcode": 42001, "errmsg": "access_token expired"}
            if self.busy:
                self.busy -= 1
                return {"errcode": -1, "errmsg": "system error"}
            return None

        def record(into: list[dict[str, Any]], access_token: str, body: dict[str, Any]) -> dict[str, Any]:
            error = check(access_token)
            if error:
                self.refused.append(error["errcode"])
                return error
            into.append(body)
            return {"errcode": 0, "errmsg": "ok"}

        @app.post("/cgi-bin/message/custom/send")
        async def custom(access_token: str, request: Request) -> dict[str, Any]:
            return record(self.custom, access_token, await request.json())

        @app.post("/cgi-bin/message/template/send")
        async def template(access_token: str, request: Request) -> dict[str, Any]:
            return record(self.templates, access_token, await request.json())

        @app.post("/cgi-bin/menu/create")
        async def menu(access_token: str, request: Request) -> dict[str, Any]:
            return record(self.menus, access_token, await request.json())

        return app


class WeChatServer:
    """Sends what WeChat's servers send to an official account's server URL."""

    def __init__(self, url: str, safe: bool, http: Any = httpx) -> None:
        self.url = url
        self.http = http  # httpx itself, or an in-process client of the hub
        self.crypto = WeChatCrypto(TOKEN, AES_KEY, APP_ID) if safe else None

    @staticmethod
    def msg_id() -> int:
        """A fresh MsgId (WeChat's are 64-bit): unique across simulators and runs."""
        return secrets.randbits(62) + 1

    @staticmethod
    def signed_query(timestamp: int | None = None) -> dict[str, str]:
        timestamp = int(time.time()) if timestamp is None else timestamp
        nonce = secrets.token_hex(5)
        signer = WeChatSigner()
        signer.add_data(TOKEN, str(timestamp), nonce)
        return {"signature": signer.signature, "timestamp": str(timestamp), "nonce": nonce}

    def request(self, xml: str, query: dict[str, str] | None = None) -> tuple[dict[str, str], bytes]:
        """The query and body WeChat would POST for ``xml`` (signed; sealed in safe mode)."""
        query = self.signed_query() if query is None else query
        if self.crypto is None:
            return query, xml.encode()
        sealed = self.crypto.encrypt_message(xml, query["nonce"], query["timestamp"])
        query = query | {"encrypt_type": "aes", "msg_signature": xmltodict.parse(sealed)["xml"]["MsgSignature"]}
        return query, sealed.encode()

    def post_xml(self, xml: str, query: dict[str, str] | None = None, timeout: float = 10) -> httpx.Response:
        query, body = self.request(xml, query)
        wait = {"timeout": timeout} if self.http is httpx else {}  # an in-process client waits anyway
        return self.http.post(self.url, params=query, content=body, headers={"Content-Type": "text/xml"}, **wait)

    def send(self, openid: str, msg_type: str, fields: dict[str, Any], msg_id: int | None = None,
             created: int | None = None) -> httpx.Response:
        return self.post_xml(self.xml(openid, msg_type, fields, msg_id, created))

    def xml(self, openid: str, msg_type: str, fields: dict[str, Any], msg_id: int | None = None,
            created: int | None = None) -> str:
        message = {"ToUserName": ACCOUNT, "FromUserName": openid, "CreateTime": created or int(time.time()),
                   "MsgType": msg_type, **fields}
        if msg_type != "event":
            message["MsgId"] = msg_id or self.msg_id()
        return xmltodict.unparse({"xml": message}, full_document=False)

    def text(self, openid: str, content: str, msg_id: int | None = None) -> httpx.Response:
        return self.send(openid, "text", {"Content": content}, msg_id)

    def event(self, openid: str, event: str, key: str | None = None) -> httpx.Response:
        return self.send(openid, "event", {"Event": event, **({"EventKey": key} if key is not None else {})})

    def reply_text(self, response: httpx.Response) -> str | None:
        """The passive reply's text (None for "success"), opened in safe mode."""
        assert response.status_code == 200, response.text
        if response.text == "success":
            return None
        xml = response.text
        if self.crypto is not None:
            fields = xmltodict.parse(xml)["xml"]
            xml = self.crypto.decrypt_message(xml, fields["MsgSignature"], fields["TimeStamp"], fields["Nonce"])
        reply = xmltodict.parse(xml)["xml"]
        assert reply["MsgType"] == "text" and reply["FromUserName"] == ACCOUNT
        return reply["Content"]


def stand_in_app() -> FastAPI:
    """The API stand-in as its own service (``uvicorn --factory scripts.wechat_sim:stand_in_app``),
    as WeChat's API is: a benchmark's load generator must not share a process with it."""
    return WeChatApiStandIn().app()
