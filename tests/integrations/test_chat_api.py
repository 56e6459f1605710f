"""Web chat sessions: a token reads only its own conversation, history survives a reload,
the socket pushes messages live, and a flood from one sender is slowed."""

from __future__ import annotations

import time

import pytest
from starlette.websockets import WebSocketDisconnect


def wait_until(condition, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def session(h) -> tuple[str, str]:
    body = h.client.post("/api/chat/sessions", json={}).json()
    return body["sender"], body["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_session_is_resumed_only_with_its_token(hub) -> None:
    h = hub()
    sender, token = session(h)
    again = h.client.post("/api/chat/sessions", json={"sender": sender}, headers=bearer(token))
    assert again.status_code == 200 and again.json() == {"sender": sender, "token": token}
    assert h.client.post("/api/chat/sessions", json={"sender": sender}).status_code == 401
    assert h.client.post("/api/chat/sessions", json={"sender": sender}, headers=bearer("x" * 43)).status_code == 401


def test_history_comes_back_after_a_reload_and_only_to_its_owner(hub) -> None:
    h = hub(lambda body: [{"text": f"收到：{body['message']}"}])
    alice, alice_token = session(h)
    bob, bob_token = session(h)
    h.say("我家停电了", sender=alice, token=alice_token)
    h.say("查电费", sender=bob, token=bob_token)
    history = h.client.get("/api/chat/messages?after=0", headers=bearer(alice_token)).json()
    assert [m["text"] for m in history["messages"]] == ["我家停电了", "收到：我家停电了"]
    assert history["state"] == "bot"
    later = h.client.get(f"/api/chat/messages?after={history['messages'][0]['id']}", headers=bearer(alice_token)).json()
    assert [m["text"] for m in later["messages"]] == ["收到：我家停电了"]
    assert "查电费" not in str(history)
    assert h.client.get("/api/chat/messages?after=0").status_code == 401
    assert h.client.get("/api/chat/messages?after=0", headers=bearer("forged")).status_code == 401


def test_a_sender_with_a_session_cannot_be_spoken_for_without_its_token(hub) -> None:
    h = hub()
    sender, token = session(h)
    assert h.say("冒充别人", sender=sender).status_code == 401
    assert h.say("冒充别人", sender=sender, token="wrong").status_code == 401
    ok = h.client.post("/webhooks/rest/webhook", json={"sender": sender, "message": "你好", "metadata": {"token": token}})
    assert ok.status_code == 200
    assert h.rasa.seen[0]["metadata"].get("token") is None  # the token never travels on to the bot


def test_the_handoff_request_and_other_internals_never_reach_the_customer(hub) -> None:
    h = hub(lambda body: [{"text": "正在为您转接"}, {"custom": {"handoff": {"reason": "requested"}}},
                          {"custom": {"type": "bill_card", "amount": "152.88"}}])
    sender, token = session(h)
    h.say("转人工", sender=sender, token=token)
    messages = h.client.get("/api/chat/messages?after=0", headers=bearer(token)).json()["messages"]
    assert "handoff" not in str(messages)
    assert any((m.get("custom") or {}).get("type") == "bill_card" for m in messages)


def test_the_socket_pushes_each_message_and_refuses_a_bad_token(hub) -> None:
    h = hub(lambda body: [{"text": "您好，请问有什么可以帮您？"}])
    sender, token = session(h)
    with h.client.websocket_connect(f"/ws/chat?token={token}") as socket:
        wait_until(lambda: h.desk.broker.customer_count == 1)
        h.say("你好", sender=sender, token=token)
        assert socket.receive_json()["text"] == "你好"
        assert socket.receive_json()["author"] == "bot"
    with pytest.raises(WebSocketDisconnect) as closed, h.client.websocket_connect("/ws/chat?token=forged") as socket:
        socket.receive_json()
    assert closed.value.code == 4401


def test_queue_position_and_agent_name_are_in_the_history(hub) -> None:
    h = hub(lambda body: [{"custom": {"handoff": {"reason": "requested"}}}])
    agent = h.login()
    sender, token = session(h)
    h.say("转人工", sender=sender, token=token)
    waiting = h.client.get("/api/chat/messages?after=0", headers=bearer(token)).json()
    assert waiting["state"] == "queued" and waiting["queue_position"] == 1
    conversation = h.desk.store.open("web", sender).id
    agent.call("POST", f"/api/console/conversations/{conversation}/claim")
    served = h.client.get("/api/chat/messages?after=0", headers=bearer(token)).json()
    assert served["state"] == "agent" and served["agent_name"] == "客服01"
    assert served["messages"][-1]["custom"] == {"type": "status", "state": "agent", "agent_name": "客服01"}


def test_a_flood_from_one_sender_is_slowed_and_others_are_not(hub) -> None:
    h = hub(rate_burst=5, rate_per_s=0.1)
    codes = [h.say(f"刷屏{i}", sender="flood").status_code for i in range(12)]
    assert codes[:5] == [200] * 5 and set(codes[5:]) == {429}
    slowed = h.say("再来", sender="flood")
    assert slowed.json()["message"] == "您发送得太快了，请稍等几秒再发。" and int(slowed.headers["Retry-After"]) >= 1
    assert h.say("我家停电了", sender="someone-else").status_code == 200
    assert len(h.rasa.seen) == 6  # the slowed messages were never passed on


def test_rating_through_the_api_is_refused_when_none_was_asked(hub) -> None:
    h = hub()
    sender, token = session(h)
    h.say("你好", sender=sender, token=token)
    refused = h.client.post("/api/chat/rating", json={"score": 5}, headers=bearer(token))
    assert refused.status_code == 409
    assert h.client.post("/api/chat/rating", json={"score": 9}, headers=bearer(token)).status_code == 400
