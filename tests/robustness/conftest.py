"""One hub and one core per database backend, shared by every case of the corpus.

The hub is the real app on a real database with Rasa stood in (it echoes the customer's
words back, so what comes back can be compared with what went in; one sender of
``HANDOFF_SENDERS`` asks for an agent instead), the real core behind the console's
login and customer panel, WeChat's token set (plaintext and, in a second app on the same
database, safe mode) and the voice line's webhook secret set, so signatures are checked
on every channel. The core is its API on a seeded copy of the demo data.

Before each case the tests count the rows of every table of the hub's and the core's
database; a refused request must leave both counts as they were.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, func, select, union_all

from backend_core import models as core_models
from backend_core.api.main import create_app as create_core_app
from backend_core.core.config import CoreSettings
from integrations import models as hub_models
from integrations.auth.agents import COOKIE, CSRF_HEADER
from integrations.core.config import HubSettings
from integrations.main import create_app as create_hub_app
from scripts.wechat_sim import AES_KEY, APP_ID, APP_SECRET
from scripts.wechat_sim import TOKEN as WECHAT_TOKEN
from tests.backend_core.conftest import Copier, Database
from tests.integrations.conftest import PASSWORD, FakeRasa
from tests.postgres import BACKENDS, pg_admin
from tests.robustness.corpus import (
    CORE_TOKEN,
    HANDOFF_SENDERS,
    HELD_SENDER,
    OTHER_SENDER,
    VOICE_SECRET,
)

pytest.register_assert_rewrite("tests.robustness.runner")
_databases = itertools.count()


def counter(engine: Engine, tables: list[Any]) -> Any:
    """A function giving the number of rows of each of ``tables``, in one query."""
    query = union_all(*(select(func.count()).select_from(t) for t in tables))

    def count() -> tuple[int, ...]:
        with engine.connect() as conn:
            return tuple(conn.execute(query).scalars())

    return count


def echo(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The stand-in bot: says back what it heard (cut short, so a WeChat reply stays one
    passive reply), or asks for an agent for the senders the console cases need."""
    if body["sender"].split(":", 1)[1] in HANDOFF_SENDERS:
        handoff = {"reason": "complaint", "intent": "complain", "slots": {"verified_account": "3300****45"}}
        return [{"text": "好的，正在为您转接人工客服"}, {"custom": {"handoff": handoff}}]
    return [{"text": "收到：" + body["message"][:200]}]


@dataclass
class Session:
    cookie: str
    csrf: str


@dataclass
class RobustHub:
    client: TestClient  # plaintext WeChat, signed voice webhooks
    safe: TestClient  # the same hub in WeChat's safe (AES) mode, on the same database
    rasa: FakeRasa
    engine: Engine
    agent: Session  # agent01, holding HELD_SENDER's conversation
    held: int  # agent01's conversation
    other: int  # agent02's conversation
    chat_sender: str
    chat_token: str

    def counts(self) -> tuple[int, ...]:
        return self._count()

    def __post_init__(self) -> None:
        self._count = counter(self.engine, list(hub_models.Base.metadata.sorted_tables))


@dataclass
class RobustCore:
    client: TestClient
    db: Database

    def counts(self) -> tuple[int, ...]:
        return self._count()

    def __post_init__(self) -> None:
        self._count = counter(self.db.engine, list(core_models.Base.metadata.sorted_tables))


class RobustCopier(Copier):
    """The backend_core tests' copier, naming its databases apart from theirs: both share
    the session's PostgreSQL cluster."""

    def _name(self) -> str:
        return "robust_" + super()._name()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def core_db(backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    cluster = request.getfixturevalue("postgres") if backend == "postgres" else None
    db = RobustCopier(backend, tmp_path_factory.mktemp(f"robust-core-{backend}"), cluster).copy()
    yield db
    db.engine.dispose()


@pytest.fixture(scope="session")
def core(core_db: Database) -> Iterator[RobustCore]:
    app = create_core_app(CoreSettings(database_url=core_db.url, service_token=CORE_TOKEN), gateway=core_db.gateway())
    with TestClient(app, raise_server_exceptions=False) as client:
        yield RobustCore(client, core_db)


def _hub_database(backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('robust-hub') / 'hub.db'}"
    cluster = request.getfixturevalue("postgres")
    name = f"robust_hub_{next(_databases)}"
    pg_admin(cluster, f"CREATE DATABASE {name}")
    return cluster.url(name)


def _login(client: TestClient, username: str) -> Session:
    response = client.post("/api/console/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    cookie = response.cookies[COOKIE]
    client.cookies.clear()
    return Session(cookie, response.json()["csrf_token"])


def _held_by(client: TestClient, agent: Session, sender: str) -> int:
    """``sender``'s web conversation, handed over by the bot and claimed by ``agent``."""
    assert client.post("/webhooks/rest/webhook", json={"sender": sender, "message": "我要投诉"}).status_code == 200
    queue = client.get("/api/console/queue", headers={"Cookie": f"{COOKIE}={agent.cookie}"}).json()["conversations"]
    (conversation,) = [row["id"] for row in queue if row["state"] == "queued"]
    claimed = client.post(f"/api/console/conversations/{conversation}/claim",
                          headers={"Cookie": f"{COOKIE}={agent.cookie}", CSRF_HEADER: agent.csrf})
    assert claimed.status_code == 200, claimed.text
    return int(conversation)


@pytest.fixture(scope="session")
def hub(backend: str, core_db: Database, request: pytest.FixtureRequest,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[RobustHub]:
    url = _hub_database(backend, request, tmp_path_factory)
    rasa = FakeRasa(echo)
    gateway = core_db.gateway()
    common: dict[str, Any] = dict(
        database_url=url, supervise_every_s=3600, rate_burst=1_000_000, rate_per_s=1000.0,
        wechat_token=WECHAT_TOKEN, wechat_app_id=APP_ID, wechat_app_secret=APP_SECRET,
        wechat_api_base_url="http://127.0.0.1:9/cgi-bin/",  # nothing listens: no push leaves the test
        voice_webhook_secret=VOICE_SECRET,
    )
    clients = []
    for aes_key in ("", AES_KEY):
        app = create_hub_app()
        app.state.settings = HubSettings(wechat_encoding_aes_key=aes_key, **common)
        app.state.rasa_transport = httpx.MockTransport(rasa.handle)
        app.state.core = lambda: gateway
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
    main, safe = clients
    try:
        agent = _login(main, "agent01")
        other_agent = _login(main, "agent02")
        held = _held_by(main, agent, HELD_SENDER)
        other = _held_by(main, other_agent, OTHER_SENDER)
        chat = main.post("/api/chat/sessions", json={}).json()
        engine = create_engine(url)
        yield RobustHub(main, safe, rasa, engine, agent, held, other, chat["sender"], chat["token"])
        engine.dispose()
    finally:
        for client in clients:
            client.__exit__(None, None, None)
