"""The hub's database unreachable: a clear 503 with a plain sentence on every route a
customer uses, nothing half-written, and everything working again once it is back.

The database is a PostgreSQL cluster of this module's own (the session's is shared by
other tests), stopped and started under the running hub.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select

from integrations.models import Conversation, ConversationEvent, Message
from integrations.routing import BOT_UNAVAILABLE
from scripts.servers import PostgresCluster, postgres_bin
from tests.integrations.conftest import Hub
from tests.postgres import start_cluster

pytestmark = pytest.mark.skipif(postgres_bin() is None, reason="PostgreSQL not installed (apt-get install postgresql)")


@pytest.fixture(scope="module")
def cluster() -> Iterator[PostgresCluster]:
    yield from start_cluster(prefix="test-pg-down-")


_databases = itertools.count()


@pytest.fixture
def hub_database(cluster: PostgresCluster) -> str:
    """Overrides tests/integrations/conftest.py's: a new database on this module's cluster."""
    name = f"hub_down_{next(_databases)}"
    cluster.admin(f"CREATE DATABASE {name}")
    return cluster.url(name)


class Outage:
    """Stops and starts the cluster under the running hub; after the test it is up again
    whatever happened."""

    def __init__(self, cluster: PostgresCluster) -> None:
        self.cluster = cluster
        self.stopped = False

    def begin(self) -> None:
        self.cluster.stop("immediate")
        self.stopped = True

    def end(self) -> None:
        self.cluster.start(fsync=False)
        self.stopped = False


@pytest.fixture
def outage(cluster: PostgresCluster) -> Iterator[Outage]:
    outage = Outage(cluster)
    yield outage
    if outage.stopped:
        outage.end()


def rows(url: str) -> dict[str, Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                "messages": [tuple(r) for r in conn.execute(select(Message.author, Message.text).order_by(Message.id))],
                "conversations": conn.scalar(select(func.count(Conversation.id))),
                "events": conn.scalar(select(func.count(ConversationEvent.id))),
            }
    finally:
        engine.dispose()


def assert_plain_503(response: Any) -> None:
    assert response.status_code == 503, response.text
    body = response.json()
    assert body == {"error": "database_unavailable", "message": BOT_UNAVAILABLE}
    assert "Traceback" not in response.text and "sqlalchemy" not in response.text.lower()


def test_customer_routes_answer_503_with_a_plain_sentence_while_the_database_is_down(
    hub: Callable[..., Hub], hub_database: str, outage: Outage
) -> None:
    h = hub()
    session = h.client.post("/api/chat/sessions").json()
    auth = {"Authorization": f"Bearer {session['token']}"}
    assert h.say("你好", sender=session["sender"], token=session["token"]).status_code == 200
    before = rows(hub_database)

    outage.begin()
    assert_plain_503(h.say("上个月电费多少", sender=session["sender"], token=session["token"]))
    assert_plain_503(h.say("上个月电费多少", sender="rest-only-customer"))
    assert_plain_503(h.client.post("/api/chat/sessions"))  # a new web chat
    assert_plain_503(h.client.get("/api/chat/messages", headers=auth))
    assert_plain_503(h.client.post("/api/console/login", json={"username": "agent01", "password": "demo-agent-01"}))
    assert len(h.rasa.seen) == 1  # the bot never heard a message the hub could not store

    outage.end()
    assert rows(hub_database) == before  # nothing of the refused requests
    reply = h.say("上个月电费多少", sender=session["sender"], token=session["token"])
    assert reply.status_code == 200 and reply.json()[0]["text"] == "好的"
    history = h.client.get("/api/chat/messages", headers=auth).json()["messages"]
    assert [m["text"] for m in history] == ["你好", "好的", "上个月电费多少", "好的"]


def test_a_database_lost_in_the_middle_of_a_turn_leaves_whole_transactions_only(
    hub: Callable[..., Hub], hub_database: str, outage: Outage
) -> None:
    """The customer's message is stored, then the database goes while the bot answers: the
    customer hears 503 and the bot's reply is not stored in part (its transaction never
    began); the next turn after the outage is stored whole."""

    def reply_then_lose_the_database(body: dict[str, Any]) -> list[dict[str, Any]]:
        if body["message"] == "停电了":
            outage.begin()
        return [{"text": "第一句"}, {"text": "第二句"}]

    h = hub(reply_then_lose_the_database)
    assert_plain_503(h.say("停电了", sender="mid-turn"))
    outage.end()
    assert rows(hub_database)["messages"] == [("customer", "停电了")]
    assert h.say("还在吗", sender="mid-turn").status_code == 200
    assert rows(hub_database)["messages"] == [
        ("customer", "停电了"), ("customer", "还在吗"), ("bot", "第一句"), ("bot", "第二句"),
    ]
