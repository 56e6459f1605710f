"""WeChat as the hub meets it (scripts/wechat_sim.py): requests signed or encrypted with
wechatpy as WeChat's servers send them, to the hub served over HTTP, and WeChat's API
stood in on loopback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from backend_core.gateway.interfaces import CoreGateway
from integrations.core.config import HubSettings
from integrations.main import create_app
from scripts.serving import ServedApi
from scripts.wechat_sim import (
    AES_KEY,
    APP_ID,
    APP_SECRET,
    TOKEN,
    WeChatApiStandIn,
    WeChatServer,
)
from tests.integrations.conftest import PASSWORD, FakeRasa, RasaReply


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
