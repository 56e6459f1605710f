"""WeChat as the hub meets it: requests built and signed (or encrypted) with wechatpy the
way WeChat's servers send them, to the hub served over HTTP, and a stand-in for WeChat's
API on loopback that issues (and expires) access tokens and records what was pushed."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import xmltodict
from fastapi import FastAPI, Request
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import WeChatSigner

from backend_core.gateway.interfaces import CoreGateway
from integrations.core.config import HubSettings
from integrations.main import create_app
from tests.integrations.conftest import PASSWORD, FakeRasa, RasaReply
from tests.serving import ServedApi

TOKEN = "powerdesk-test-token"
APP_ID = "wx0123456789abcdef"
APP_SECRET = "test-secret"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeChat issues them
ACCOUNT = "gh_95598demo"  # the official account's own id (ToUserName)


@dataclass
class WeChatApiStandIn:
    """WeChat's API for one app: /cgi-bin/token, customer-service and template messages, menu."""

    expires_in: int = 7200
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (epoch s)
    issued: int = 0
    busy: int = 0  # answer errcode -1 this many times first
    custom: list[dict[str, Any]] = field(default_factory=list)
    templates: list[dict[str, Any]] = field(default_factory=list)
    menus: list[dict[str, Any]] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)

    def expire_tokens(self) -> None:
        self.tokens = {t: 0.0 for t in self.tokens}

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
        self._ids = iter(range(10_000_000_000_000_000, 10**18))

    def msg_id(self) -> int:
        return next(self._ids)

    @staticmethod
    def signed_query(timestamp: int | None = None) -> dict[str, str]:
        timestamp = int(time.time()) if timestamp is None else timestamp
        nonce = secrets.token_hex(5)
        signer = WeChatSigner()
        signer.add_data(TOKEN, str(timestamp), nonce)
        return {"signature": signer.signature, "timestamp": str(timestamp), "nonce": nonce}

    def post_xml(self, xml: str, query: dict[str, str] | None = None, timeout: float = 10) -> httpx.Response:
        query = self.signed_query() if query is None else query
        body = xml.encode()
        if self.crypto is not None:
            sealed = self.crypto.encrypt_message(xml, query["nonce"], query["timestamp"])
            query = query | {"encrypt_type": "aes", "msg_signature": xmltodict.parse(sealed)["xml"]["MsgSignature"]}
            body = sealed.encode()
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


@dataclass
class WeChatHub:
    wechat: WeChatServer
    api: WeChatApiStandIn
    rasa: FakeRasa
    base_url: str
    app: FastAPI

    def login(self, username: str = "agent01") -> httpx.Client:
        client = httpx.Client(base_url=self.base_url, timeout=10)
        response = client.post("/api/console/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        return client

    def settle(self, timeout: float = 10) -> None:
        """Wait until replies that went out through the API have all gone."""
        deadline = time.monotonic() + timeout
        while self.app.state.wechat._late and time.monotonic() < deadline:
            time.sleep(0.05)


@pytest.fixture(scope="module")
def wechat_api() -> Iterator[tuple[WeChatApiStandIn, str]]:
    stand_in = WeChatApiStandIn()
    with ServedApi(stand_in.app()) as served:
        yield stand_in, served.base_url + "/cgi-bin/"


@pytest.fixture
def wechat_hub(
    hub_database: str, core_gateway: CoreGateway, wechat_api: tuple[WeChatApiStandIn, str]
) -> Iterator[Callable[..., WeChatHub]]:
    """``wechat_hub(reply, safe=False, bot_delay_s=0, **settings)``: the hub under uvicorn."""
    stand_in, api_url = wechat_api
    served: list[ServedApi] = []

    def build(reply: RasaReply = lambda body: [{"text": "好的"}], safe: bool = False, bot_delay_s: float = 0,
              **settings: Any) -> WeChatHub:
        stand_in.custom.clear()
        stand_in.templates.clear()
        stand_in.refused.clear()
        rasa = FakeRasa(reply)

        async def slow_rasa(request: httpx.Request) -> httpx.Response:
            if request.url.path == "/webhooks/hub/webhook":
                await asyncio.sleep(bot_delay_s)
            return rasa.handle(request)

        app = create_app()
        app.state.settings = HubSettings(
            database_url=hub_database, supervise_every_s=3600, wechat_token=TOKEN, wechat_app_id=APP_ID,
            wechat_app_secret=APP_SECRET, wechat_encoding_aes_key=AES_KEY if safe else "",
            wechat_api_base_url=api_url, **settings,
        )
        app.state.rasa_transport = httpx.MockTransport(slow_rasa)
        app.state.core = lambda: core_gateway
        server = ServedApi(app).__enter__()
        served.append(server)
        return WeChatHub(WeChatServer(server.base_url + "/wechat", safe), stand_in, rasa, server.base_url, app)

    yield build
    for server in served:
        server.__exit__(None, None, None)
