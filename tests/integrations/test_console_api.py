"""The agent console's API: sessions and CSRF, the queue, claiming, answering, handing back,
resolving and rating, with the real core behind the customer panel."""

from __future__ import annotations

import threading

import pytest
from starlette.websockets import WebSocketDisconnect

HANDOFF = {"reason": "complaint", "intent": "complain", "slots": {"verified_account": "3300****45"}}


def queued_hub(hub, reason: str = "complaint", sender: str = "u1"):
    """A hub with one agent logged in and ``sender``'s conversation waiting for them."""
    h = hub(lambda body: [{"text": "好的，正在为您转接人工客服"}, {"custom": {"handoff": {**HANDOFF, "reason": reason}}}])
    agent = h.login()
    h.rasa.slots[f"web:{sender}"] = {"verified_account": "3300012345"}
    h.say("我要投诉，停电三天了没人管", sender=sender)
    return h, agent, h.desk.store.open("web", sender).id


UNSAFE = [
    ("POST", "/api/console/conversations/1/claim", None),
    ("POST", "/api/console/conversations/1/messages", {"text": "您好"}),
    ("POST", "/api/console/conversations/1/notes", {"text": "备注"}),
    ("POST", "/api/console/conversations/1/handback", None),
    ("POST", "/api/console/conversations/1/resolve", None),
    ("POST", "/api/console/conversations/1/kb-candidates", {"question": "问", "answer": "答"}),
    ("POST", "/api/console/canned", {"title": "t", "text": "x"}),
    ("PUT", "/api/console/canned/1", {"title": "t", "text": "x"}),
    ("DELETE", "/api/console/canned/1", None),
    ("POST", "/api/console/logout", None),
]
SAFE = [
    "/api/console/me", "/api/console/queue", "/api/console/conversations/1",
    "/api/console/conversations/1/suggestions", "/api/console/canned", "/api/console/metrics",
]


def test_every_console_route_refuses_without_a_session(hub) -> None:
    h, _, _ = queued_hub(hub)
    for path in SAFE:
        assert h.client.get(path).status_code == 401, path
    for method, path, body in UNSAFE:
        assert h.client.request(method, path, json=body).status_code == 401, path
    with pytest.raises(WebSocketDisconnect) as closed, h.client.websocket_connect("/ws/console") as socket:
        socket.receive_json()
    assert closed.value.code == 4401


def test_every_unsafe_console_route_refuses_without_the_csrf_header(hub) -> None:
    h, agent, _ = queued_hub(hub)
    for method, path, body in UNSAFE:
        response = agent.call(method, path, body, csrf=False)
        assert response.status_code == 403 and "CSRF" in response.json()["message"], path
    wrong = agent.client.post("/api/console/conversations/1/claim",
                              headers={"Cookie": f"powerdesk_console={agent.cookie}", "X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    assert h.desk.store.get(1).state == "queued"  # nothing happened


def test_login_cookie_is_httponly_and_strict_and_a_wrong_password_is_refused(hub) -> None:
    h = hub()
    response = h.client.post("/api/console/login", json={"username": "agent01", "password": "demo-agent-01"})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert response.json()["agent"] == {"username": "agent01", "display_name": "客服01"}
    for username, password in (("agent01", "wrong"), ("nobody", "demo-agent-01"), ("agent01", ""), ("' OR 1=1 --", "x")):
        refused = h.client.post("/api/console/login", json={"username": username, "password": password})
        assert refused.status_code == 401 and refused.json()["message"] == "用户名或密码不正确"


def test_logout_ends_the_session(hub) -> None:
    h = hub()
    agent = h.login()
    assert agent.call("POST", "/api/console/logout").status_code == 200
    assert agent.call("GET", "/api/console/queue").status_code == 401


def test_queue_shows_reason_summary_and_serving_order(hub) -> None:
    h, agent, _ = queued_hub(hub, reason="requested", sender="early")
    h.rasa.reply = lambda body: [{"text": "请马上远离"}, {"custom": {"handoff": {**HANDOFF, "reason": "hazard"}}}]
    h.say("电线杆倒了在冒火花", sender="later")
    rows = agent.call("GET", "/api/console/queue").json()["conversations"]
    assert [r["reason"] for r in rows] == ["hazard", "requested"]  # a hazard goes first, though it came later
    assert [r["position"] for r in rows] == [1, 2]
    assert rows[0]["reason_label"] == "用电安全隐患" and rows[0]["priority"] == 0
    assert "电线杆倒了" in rows[0]["summary"] and "已验证户号3300****45" in rows[1]["summary"]


def test_two_agents_claiming_at_once_exactly_one_wins(hub) -> None:
    h, first, conversation = queued_hub(hub)
    second = h.login("agent02")
    results: list[int] = []
    barrier = threading.Barrier(2)

    def claim(agent) -> None:
        barrier.wait()
        results.append(agent.call("POST", f"/api/console/conversations/{conversation}/claim").status_code)

    threads = [threading.Thread(target=claim, args=(a,)) for a in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409]
    claims = [e for e in h.desk.store.events(conversation) if e.reason == "claim"]
    assert len(claims) == 1


def test_agent_context_has_transcript_masked_account_and_the_customer_panel(hub) -> None:
    _, agent, conversation = queued_hub(hub)
    detail = agent.call("GET", f"/api/console/conversations/{conversation}").json()
    assert detail["account"] == "3300****45" and detail["intent_label"] == "投诉"
    assert [m["author"] for m in detail["transcript"]][:2] == ["customer", "bot"]
    panel = detail["customer"]
    assert panel["account"] == "3300****45" and panel["name"] == "张*"
    assert len(panel["bills"]) == 10 and panel["bills"][-1] == {
        "period": "2026-10", "kwh": "260", "amount": "152.88", "due_date": "2026-11-20", "paid": False,
    }
    assert panel["arrears"]["principal"] == "152.88"
    assert "3300012345" not in str(detail) and "13800138000" not in str(detail)


def test_reply_reaches_the_customer_hand_back_lets_the_bot_answer_again(hub) -> None:
    h, agent, conversation = queued_hub(hub)
    assert agent.call("POST", f"/api/console/conversations/{conversation}/messages", {"text": "您好"}).status_code == 409
    assert agent.call("POST", f"/api/console/conversations/{conversation}/claim").status_code == 200
    assert h.say("在吗").json() == []  # the agent has it: the bot stays out
    sent = agent.call("POST", f"/api/console/conversations/{conversation}/messages", {"text": "<b>您好</b>，我是客服01"})
    assert sent.status_code == 201 and sent.json()["agent_name"] == "客服01"
    token_free = h.desk.store.transcript(conversation)
    assert token_free[-1].text == "<b>您好</b>，我是客服01"  # stored as written, shown as text by the pages
    assert agent.call("POST", f"/api/console/conversations/{conversation}/handback").status_code == 200
    h.rasa.reply = lambda body: [{"text": "您的电费是152.88元"}]
    assert h.say("我电费多少").json()[0]["text"] == "您的电费是152.88元"
    states = [(e.from_state, e.to_state, e.actor) for e in h.desk.store.events(conversation)]
    assert states == [("bot", "queued", "bot"), ("queued", "agent", "agent:agent01"), ("agent", "bot", "agent:agent01")]


def test_resolve_asks_for_a_rating_and_the_metrics_count_it(hub) -> None:
    h, agent, conversation = queued_hub(hub)
    agent.call("POST", f"/api/console/conversations/{conversation}/claim")
    agent.call("POST", f"/api/console/conversations/{conversation}/messages", {"text": "已为您加急处理"})
    assert agent.call("POST", f"/api/console/conversations/{conversation}/resolve").status_code == 200
    asked = h.desk.store.transcript(conversation)[-1]
    assert asked.payload["custom"] == {"type": "csat", "scale": 5}
    assert "感谢您的评价" in h.say("4 处理得挺快").json()[0]["text"]
    h.rasa.reply = lambda body: [{"text": "您好"}]
    h.rasa.intents["web:contained"] = "query_bill"
    h.say("上个月电费多少", sender="contained")
    numbers = agent.call("GET", "/api/console/metrics?days=7").json()
    assert numbers["conversations"] == 2 and numbers["contained"] == 1 and numbers["containment_rate"] == 0.5
    assert numbers["handoffs_by_reason"] == {"complaint": 1}
    assert numbers["csat_avg"] == 4.0 and numbers["csat_distribution"]["4"] == 1
    assert numbers["top_intents"] == [{"intent": "query_bill", "label": "查询某期电费账单", "count": 1}]
    assert agent.call("GET", f"/api/console/conversations/{conversation}").json()["csat"]["comment"] == "处理得挺快"


def test_an_agent_cannot_act_on_a_conversation_someone_else_holds(hub) -> None:
    h, first, conversation = queued_hub(hub)
    second = h.login("agent02")
    first.call("POST", f"/api/console/conversations/{conversation}/claim")
    for action in ("handback", "resolve"):
        assert second.call("POST", f"/api/console/conversations/{conversation}/{action}").status_code == 409
    assert second.call("POST", f"/api/console/conversations/{conversation}/messages", {"text": "x"}).status_code == 409


def test_notes_candidates_and_canned_responses(hub) -> None:
    h, agent, conversation = queued_hub(hub)
    agent.call("POST", f"/api/console/conversations/{conversation}/notes", {"text": "客户情绪激动，已安抚"})
    detail = agent.call("GET", f"/api/console/conversations/{conversation}").json()
    assert detail["notes"][0]["text"] == "客户情绪激动，已安抚"
    assert all("已安抚" not in m.text for m in h.desk.store.transcript(conversation))  # never to the customer
    made = agent.call("POST", f"/api/console/conversations/{conversation}/kb-candidates",
                      {"question": "停电三天没人管怎么办", "answer": "可拨打95598催办"})
    assert made.status_code == 201 and made.json()["status"] == "pending"
    canned = agent.call("GET", "/api/console/canned").json()["responses"]
    assert canned and canned[0]["title"] == "问候"
    added = agent.call("POST", "/api/console/canned", {"title": "催办", "text": "已为您催办"}).json()
    assert agent.call("PUT", f"/api/console/canned/{added['id']}", {"title": "催办", "text": "已加急催办"}).status_code == 200
    assert agent.call("DELETE", f"/api/console/canned/{added['id']}").status_code == 200
    assert agent.call("DELETE", f"/api/console/canned/{added['id']}").status_code == 404


def test_console_socket_pushes_the_queue_and_new_messages(hub) -> None:
    h, agent, conversation = queued_hub(hub)
    with h.client.websocket_connect("/ws/console", headers={"Cookie": f"powerdesk_console={agent.cookie}"}) as socket:
        first = socket.receive_json()  # sent after the socket subscribed
        assert first["type"] == "queue" and first["conversations"][0]["id"] == conversation
        h.say("还要等多久")
        frames = [socket.receive_json() for _ in range(2)]
        assert {"type": "message", "conversation_id": conversation} .items() <= frames[0].items()
        assert frames[0]["message"]["text"] == "还要等多久"
