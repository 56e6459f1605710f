"""The hub's REST channel: routing, hand-over state and bad input, with Rasa faked at HTTP level.

The real Rasa path is covered end to end in tests/e2e; here Rasa is replaced by an
httpx transport so that each routing rule can be checked alone.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from integrations.core.config import HubSettings
from integrations.routing import BOT_UNAVAILABLE, EMPTY_PROMPT, parse_score

HANDOFF = [{"text": "正在为您转人工"}, {"custom": {"handoff": {"reason": "requested"}}}]


def test_reply_comes_back_in_rest_channel_shape(hub) -> None:
    h = hub(
        lambda body: [
            {"recipient_id": body["sender"], "text": "您好", "buttons": [{"title": "查电费", "payload": "/query_bill"}]}
        ]
    )
    replies = h.say("你好").json()
    assert replies == [{"recipient_id": "u1", "text": "您好", "buttons": [{"title": "查电费", "payload": "/query_bill"}]}]
    assert h.rasa.seen[0]["metadata"]["channel"] == "web"
    assert h.rasa.seen[0]["sender"] == "web:u1"


def test_handoff_request_queues_the_conversation_and_stops_calling_the_bot(hub) -> None:
    h = hub(lambda body: HANDOFF)
    h.login()  # an agent is on line
    h.say("转人工")
    replies = h.say("人呢？").json()
    assert "您是下一位" in replies[0]["text"] and replies[0]["custom"]["position"] == 1
    assert len(h.rasa.seen) == 1  # the second turn never reached Rasa
    conversation = h.desk.store.open("web", "u1")
    assert conversation.state == "queued" and conversation.handoff_reason == "requested"
    authors = [m.author for m in h.desk.store.transcript(conversation.id)]
    assert authors == ["customer", "bot", "bot", "system", "customer", "system"]


def test_handoff_with_no_agent_online_offers_a_call_back_through_the_bot(hub) -> None:
    h = hub(lambda body: HANDOFF)
    replies = h.say("转人工").json()
    assert "没有人工客服在线" in replies[-1]["text"] and replies[-1]["buttons"][0]["payload"] == "/affirm"
    assert h.desk.store.open("web", "u1").state == "bot"
    sender, events = h.rasa.events[0]
    assert sender == "web:u1"
    assert {(e["name"], e["value"]) for e in events} == {("handoff_offer", "callback"), ("handoff_reason", "requested")}


def test_a_reason_outside_the_service_rules_is_refused(hub) -> None:
    h = hub(lambda body: [{"custom": {"handoff": {"reason": "bored"}}}])
    h.login()
    h.say("转人工")
    assert h.desk.store.open("web", "u1").state == "bot"


def test_the_bot_saying_the_same_thing_three_turns_running_offers_a_human(hub) -> None:
    h = hub(lambda body: [{"text": "抱歉，我没太明白。"}])
    h.login()
    assert len(h.say("啊啊").json()) == 1
    assert len(h.say("哦哦").json()) == 1
    third = h.say("嗯嗯").json()
    assert "需要为您转接人工客服吗" in third[-1]["text"]
    assert {(e["name"], e["value"]) for e in h.rasa.events[0][1]} == {("handoff_offer", "human"), ("handoff_reason", "fallback")}


def test_empty_or_blank_message_gets_a_prompt_without_calling_the_bot(hub) -> None:
    h = hub()
    for blank in ("", "   ", "\x00\x01"):
        assert h.say(blank).json()[0]["text"] == EMPTY_PROMPT
    assert h.rasa.seen == []


def test_huge_message_is_kept_whole_but_cut_before_nlu(hub) -> None:
    h = hub()
    text = "我家停电了" * 1000
    assert h.say(text).status_code == 200
    assert len(h.rasa.seen[0]["message"]) == HubSettings().max_nlu_chars
    assert h.desk.store.transcript(h.desk.store.open("web", "u1").id)[0].text == text


def test_bot_down_gives_a_polite_answer_not_an_error(hub) -> None:
    def broken(body: dict[str, Any]) -> list[dict[str, Any]]:
        raise httpx.ConnectError("refused")

    response = hub(broken).say("查电费")
    assert response.status_code == 200
    assert response.json()[0]["text"] == BOT_UNAVAILABLE


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"", b"\xff\xfe\x00binary", json.dumps({"message": "no sender"}).encode(), json.dumps([1, 2]).encode()],
)
def test_malformed_requests_get_a_clear_400(hub, raw: bytes) -> None:
    h = hub()
    response = h.client.post("/webhooks/rest/webhook", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert "invalid request" in response.json()["message"]
    assert "Traceback" not in response.text
    assert h.rasa.seen == []


def test_html_is_passed_on_as_text_and_stored_verbatim(hub) -> None:
    h = hub(lambda body: [{"text": "收到"}])
    h.say("<script>alert(1)</script>'; DROP TABLE messages;--")
    assert h.rasa.seen[0]["message"].startswith("<script>")
    assert h.desk.store.transcript(h.desk.store.open("web", "u1").id)[0].text.endswith("DROP TABLE messages;--")


def test_widget_and_console_pages_are_served(hub) -> None:
    h = hub()
    page = h.client.get("/")
    assert page.status_code == 200 and "在线客服" in page.text
    assert h.client.get("/static/widget.js").status_code == 200
    assert h.client.get("/console/").status_code == 200


@pytest.mark.parametrize(
    ("text", "expected"),
    [("5", (5, "")), ("5分", (5, "")), ("4 服务很好", (4, "服务很好")), ("五星", (5, "")), ("★★★", (3, "")),
     ("6", None), ("我要查电费", None), ("15", None)],
)
def test_a_rating_is_read_from_plain_text(text: str, expected: tuple[int, str] | None) -> None:
    assert parse_score(text) == expected
