"""The hub's REST channel: routing, hand-over state and bad input, with Rasa faked at HTTP level.

The real Rasa path is covered end to end in tests/e2e; here Rasa is replaced by an
httpx transport so that each routing rule can be checked alone.
"""

from __future__ import annotations

import json
from typing import Any, Callable

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker

from integrations.core.config import HubSettings
from integrations.db import make_engine
from integrations.main import create_app
from integrations.rasa_client import RasaClient
from integrations.routing import BOT_UNAVAILABLE, EMPTY_PROMPT, QUEUED, Router
from integrations.store import ConversationStore

RasaReply = Callable[[dict[str, Any]], list[dict[str, Any]]]


@pytest.fixture
def hub(tmp_path) -> Callable[[RasaReply], tuple[TestClient, list[dict[str, Any]], ConversationStore]]:  # type: ignore[no-untyped-def]
    def build(reply: RasaReply) -> tuple[TestClient, list[dict[str, Any]], ConversationStore]:
        seen: list[dict[str, Any]] = []

        def handler(request: httpx.Request) -> httpx.Response:
            body = json.loads(request.content)
            seen.append(body)
            return httpx.Response(200, json=reply(body))

        settings = HubSettings(database_url=f"sqlite:///{tmp_path / 'hub.db'}")
        store = ConversationStore(sessionmaker(make_engine(settings.database_url), expire_on_commit=False))
        app = create_app()
        client = TestClient(app)
        client.__enter__()
        app.state.router = Router(store, RasaClient("http://rasa", 5, httpx.MockTransport(handler)), settings)
        return client, seen, store

    return build


def post(client: TestClient, message: Any, sender: str = "u1") -> httpx.Response:
    return client.post("/webhooks/rest/webhook", json={"sender": sender, "message": message})


def test_reply_comes_back_in_rest_channel_shape(hub) -> None:  # type: ignore[no-untyped-def]
    client, seen, _ = hub(lambda body: [{"recipient_id": body["sender"], "text": "您好", "buttons": [{"title": "查电费", "payload": "/query_bill"}]}])
    replies = post(client, "你好").json()
    assert replies == [{"recipient_id": "u1", "text": "您好", "buttons": [{"title": "查电费", "payload": "/query_bill"}]}]
    assert seen[0]["metadata"]["channel"] == "web"
    assert seen[0]["sender"] == "web:u1"


def test_handoff_request_queues_the_conversation_and_stops_calling_the_bot(hub) -> None:  # type: ignore[no-untyped-def]
    client, seen, store = hub(lambda body: [{"text": "正在为您转人工", "custom": {"handoff": {"reason": "requested"}}}])
    post(client, "转人工")
    replies = post(client, "人呢？").json()
    assert [r["text"] for r in replies] == [QUEUED]
    assert len(seen) == 1  # the second turn never reached Rasa
    conversation = store.open("web", "u1")
    assert conversation.state == "queued" and conversation.handoff_reason == "requested"
    authors = [m.author for m in store.transcript(conversation.id)]
    assert authors == ["customer", "bot", "customer", "bot"]


def test_empty_or_blank_message_gets_a_prompt_without_calling_the_bot(hub) -> None:  # type: ignore[no-untyped-def]
    client, seen, _ = hub(lambda body: [{"text": "x"}])
    for blank in ("", "   ", "\x00\x01"):
        assert post(client, blank).json()[0]["text"] == EMPTY_PROMPT
    assert seen == []


def test_huge_message_is_kept_whole_but_cut_before_nlu(hub) -> None:  # type: ignore[no-untyped-def]
    client, seen, store = hub(lambda body: [{"text": "好的"}])
    text = "我家停电了" * 1000
    assert post(client, text).status_code == 200
    assert len(seen[0]["message"]) == HubSettings().max_nlu_chars
    stored = store.transcript(store.open("web", "u1").id)[0]
    assert stored.text == text


def test_bot_down_gives_a_polite_answer_not_an_error(hub) -> None:  # type: ignore[no-untyped-def]
    def broken(body: dict[str, Any]) -> list[dict[str, Any]]:
        raise httpx.ConnectError("refused")

    client, _, _ = hub(broken)
    response = post(client, "查电费")
    assert response.status_code == 200
    assert response.json()[0]["text"] == BOT_UNAVAILABLE


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"", b"\xff\xfe\x00binary", json.dumps({"message": "no sender"}).encode(), json.dumps([1, 2]).encode()],
)
def test_malformed_requests_get_a_clear_400(hub, raw: bytes) -> None:  # type: ignore[no-untyped-def]
    client, seen, _ = hub(lambda body: [{"text": "x"}])
    response = client.post("/webhooks/rest/webhook", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "invalid request" in response.json()["message"]
    assert "Traceback" not in response.text
    assert seen == []


def test_html_is_passed_on_as_text_and_stored_verbatim(hub) -> None:  # type: ignore[no-untyped-def]
    client, seen, store = hub(lambda body: [{"text": "收到"}])
    post(client, "<script>alert(1)</script>'; DROP TABLE messages;--")
    assert seen[0]["message"].startswith("<script>")
    assert store.transcript(store.open("web", "u1").id)[0].text.endswith("DROP TABLE messages;--")


def test_widget_page_is_served(hub) -> None:  # type: ignore[no-untyped-def]
    client, _, _ = hub(lambda body: [])
    page = client.get("/")
    assert page.status_code == 200 and "在线客服" in page.text
    assert client.get("/static/widget.js").status_code == 200
