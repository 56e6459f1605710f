"""A hub under test: the real app and database, Rasa faked at HTTP level, the real core
(seeded demo data, embedded) for agent logins and the customer panel."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import httpx2  # what starlette's TestClient answers with
import pytest
from fastapi.testclient import TestClient

from backend_core.core.config import CoreSettings
from backend_core.gateway import make_gateway
from backend_core.gateway.interfaces import CoreGateway
from integrations.auth.agents import COOKIE, CSRF_HEADER
from integrations.conversations.desk import Desk
from integrations.core.config import HubSettings
from integrations.main import create_app
from tests.postgres import BACKENDS, pg_admin

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "demo-agent-01"  # demo_customers.yml default_demo_password
RasaReply = Callable[[dict[str, Any]], list[dict[str, Any]]]


@dataclass
class FakeRasa:
    """Rasa's hub channel and the tracker API, answering as ``reply`` says."""

    reply: RasaReply
    seen: list[dict[str, Any]] = field(default_factory=list)
    slots: dict[str, dict[str, Any]] = field(default_factory=dict)  # sender -> slots
    intents: dict[str, str] = field(default_factory=dict)  # sender -> latest intent
    events: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if path == "/webhooks/hub/webhook":  # bot/channels/hub.py
            body = json.loads(request.content)
            self.seen.append(body)
            return httpx.Response(200, json={"messages": self.reply(body), "intent": self.intents.get(body["sender"])})
        # As Rasa reads it: the raw path segment, not percent-decoded ("web%3Au1" is another id).
        raw = request.url.raw_path.decode().split("?")[0]
        sender = raw.split("/")[2] if raw.startswith("/conversations/") else ""
        if path.endswith("/tracker/events"):
            self.events.append((sender, json.loads(request.content)))
            return httpx.Response(200, json={})
        if path.endswith("/tracker"):
            intent = self.intents.get(sender)
            return httpx.Response(200, json={
                "sender_id": sender, "slots": self.slots.get(sender, {}),
                "latest_message": {"intent": {"name": intent}} if intent else {},
            })
        return httpx.Response(404)


@dataclass
class Hub:
    client: TestClient
    rasa: FakeRasa
    desk: Desk

    def say(self, text: str, sender: str = "u1", token: str | None = None) -> httpx2.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.post("/webhooks/rest/webhook", json={"sender": sender, "message": text}, headers=headers)

    def login(self, username: str = "agent01") -> Agent:
        """Log an agent in; the client's cookie jar is emptied, so each call says who it is."""
        response = self.client.post("/api/console/login", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        cookie = response.cookies[COOKIE]
        self.client.cookies.clear()
        return Agent(self.client, cookie, response.json()["csrf_token"])


@dataclass
class Agent:
    """One logged-in console (its own cookie and CSRF token), as a second browser would be."""

    client: TestClient
    cookie: str
    csrf: str

    def call(self, method: str, path: str, body: Any = None, csrf: bool = True) -> httpx2.Response:
        headers = {"Cookie": f"{COOKIE}={self.cookie}"}
        if csrf:
            headers[CSRF_HEADER] = self.csrf
        return self.client.request(method, path, json=body, headers=headers)


@pytest.fixture(scope="session")
def core_gateway(tmp_path_factory: pytest.TempPathFactory) -> CoreGateway:
    db = tmp_path_factory.mktemp("core") / "core.db"
    subprocess.run(
        [sys.executable, "-m", "backend_core.seed", "--customers", "0", "--database-url", f"sqlite:///{db}",
         "--today", "2026-11-25"],
        cwd=ROOT, check=True, capture_output=True,
    )
    return make_gateway(CoreSettings(database_url=f"sqlite:///{db}", today=date(2026, 11, 25), agent_hours="00:00-24:00"))


_databases = itertools.count()


@pytest.fixture(params=BACKENDS)
def hub_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every hub test runs on SQLite and, where PostgreSQL is available (always in CI), on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'hub.db'}"
    cluster = request.getfixturevalue("postgres")
    name = f"hub_test_{next(_databases)}"
    pg_admin(cluster, f"CREATE DATABASE {name}")
    return cluster.url(name)


@pytest.fixture
def hub(hub_database: str, core_gateway: CoreGateway) -> Iterator[Callable[..., Hub]]:
    started: list[TestClient] = []

    def build(reply: RasaReply = lambda body: [{"text": "好的"}], **settings: Any) -> Hub:
        rasa = FakeRasa(reply)
        app = create_app()
        app.state.settings = HubSettings(
            database_url=hub_database, supervise_every_s=3600, **settings
        )
        app.state.rasa_transport = httpx.MockTransport(rasa.handle)
        app.state.core = lambda: core_gateway
        client = TestClient(app)
        client.__enter__()
        started.append(client)
        return Hub(client, rasa, app.state.desk)

    yield build
    for client in started:
        client.__exit__(None, None, None)
