"""The web chat widget's page in a real browser against a fake hub (no backend needed).

Debian's Chromium driven by Playwright; every request of the page (the static files and the
hub's API, see docs/hub_api.md) is answered by `FakeHub` through `page.route`, the chat
websocket through `page.route_web_socket` (or switched off to exercise the polling fallback).
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

STATIC = Path(__file__).resolve().parents[2] / "integrations" / "static"
ORIGIN = "http://widget.test"
NO_WEBSOCKET = "window.WebSocket = undefined;"

Message = dict[str, Any]




class FakeHub:
    """The hub's web-chat routes, in memory, as docs/hub_api.md describes them."""

    def __init__(self, reply: Callable[[str], list[Message]] | None = None) -> None:
        self.tokens: dict[str, str] = {}          # token -> sender
        self.messages: dict[str, list[Message]] = {}
        self.state: dict[str, dict[str, Any]] = {}
        self.csat_pending: dict[str, bool] = {}
        self.next_id = 100
        self.reply = reply or (lambda text: [{"author": "bot", "text": "收到：" + text}])
        self.webhook_bodies: list[dict[str, Any]] = []
        self.session_calls: list[tuple[dict[str, Any], str | None]] = []
        self.ratings: list[dict[str, Any]] = []
        self.rate_limit = False
        self.sockets: dict[str, list[Any]] = {}   # sender -> WebSocketRoute

    # -- conversation
    def store(self, sender: str, message: Message) -> Message:
        self.next_id += 1
        stored = {"id": self.next_id, "created_at": datetime.now(UTC).isoformat(), **message}
        self.messages[sender].append(stored)
        custom = stored.get("custom") or {}
        if custom.get("type") == "status":
            self.state[sender] = {k: v for k, v in custom.items() if k != "type"}
        if custom.get("type") == "csat":
            self.csat_pending[sender] = True
        for ws in self.sockets.get(sender, []):
            ws.send(json.dumps(stored, ensure_ascii=False))
        return stored

    def only_sender(self) -> str:
        assert len(self.messages) == 1, self.messages.keys()
        return next(iter(self.messages))

    # -- HTTP
    def attach(self, page: Any) -> None:
        page.route(ORIGIN + "/**", self.handle)
        page.route_web_socket("**/ws/chat*", self.socket)

    def socket(self, ws: Any) -> None:
        token = parse_qs(urlsplit(ws.url).query).get("token", [""])[0]
        sender = self.tokens.get(token)
        if sender is None:
            ws.close(code=4401, reason="bad token")
            return
        self.sockets.setdefault(sender, []).append(ws)

    def handle(self, route: Any) -> None:
        request = route.request
        url = urlsplit(request.url)
        path = url.path
        if request.method == "GET" and (path == "/" or path.startswith("/static/")):
            file = STATIC / ("index.html" if path == "/" else path[len("/static/"):])
            if not file.is_file():
                return route.fulfill(status=404, body="not found")
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            return route.fulfill(status=200, body=file.read_bytes(), headers={"Content-Type": kind + "; charset=utf-8"})

        auth = request.headers.get("authorization", "")
        sender = self.tokens.get(auth[len("Bearer "):]) if auth.startswith("Bearer ") else None
        body = request.post_data_json if request.method == "POST" and request.post_data else {}

        if path == "/api/chat/sessions" and request.method == "POST":
            self.session_calls.append((body, auth or None))
            if body.get("sender"):
                if sender != body["sender"]:
                    return self.json(route, 401, {"error": "unauthorized", "message": "会话已失效"})
                token = auth[len("Bearer "):]
                return self.json(route, 200, {"sender": sender, "token": token})
            sender = f"web-{len(self.tokens) + 1}"
            token = f"token-{len(self.tokens) + 1}"
            self.tokens[token] = sender
            self.messages[sender] = []
            self.state[sender] = {"state": "bot"}
            self.csat_pending[sender] = False
            return self.json(route, 201, {"sender": sender, "token": token})

        if sender is None:
            return self.json(route, 401, {"error": "unauthorized", "message": "请先建立会话"})

        if path == "/api/chat/messages" and request.method == "GET":
            after = int(parse_qs(url.query).get("after", ["0"])[0])
            state = self.state[sender]
            answer: dict[str, Any] = {
                "messages": [m for m in self.messages[sender] if m["id"] > after],
                "state": state.get("state", "bot"),
                "csat_pending": self.csat_pending[sender],
            }
            if "position" in state:
                answer["queue_position"] = state["position"]
            for key in ("eta_s", "agent_name"):
                if key in state:
                    answer[key] = state[key]
            return self.json(route, 200, answer)

        if path == "/webhooks/rest/webhook" and request.method == "POST":
            self.webhook_bodies.append(body)
            if self.rate_limit:
                return self.json(route, 429, {"error": "rate_limited", "message": "您发送得太快了，请稍等几秒再发。"},
                                 {"Retry-After": "5"})
            self.store(sender, {"author": "customer", "text": body["message"]})
            replies = [self.store(sender, m) for m in self.reply(body["message"])]
            return self.json(route, 200, [{"recipient_id": sender, "text": m.get("text", "")} for m in replies])

        if path == "/api/chat/rating" and request.method == "POST":
            if not self.csat_pending[sender]:
                return self.json(route, 409, {"error": "conflict", "message": "当前没有待评价的服务"})
            self.ratings.append(body)
            self.csat_pending[sender] = False
            return self.json(route, 200, {"ok": True})

        return self.json(route, 404, {"error": "not_found", "message": "not found"})

    @staticmethod
    def json(route: Any, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        route.fulfill(status=status, body=json.dumps(body, ensure_ascii=False),
                      headers={"Content-Type": "application/json", **(headers or {})})


BILL = {"type": "bill_card", "period": "2026-10", "period_label": "2026年10月", "kwh": "256",
        "amount": "138.24", "due_date": "2026-11-25", "paid": False, "account": "3300****45"}
CHART = {
    "type": "usage_chart",
    "title": "近6个月用电量",
    "unit": "度",
    "points": [{"label": f"2026-{m:02d}", "kwh": k} for m, k in zip(range(5, 11), [180, 210, 320, 356, 240, 256], strict=True)],
}


def billing_reply(text: str) -> list[Message]:
    return [
        {"author": "bot", "text": "您2026年10月的电费如下："},
        {"author": "bot", "text": "2026年10月：256度，138.24元，未缴，缴费截止2026-11-25。", "custom": BILL},
        {"author": "bot", "text": "近6个月用电量：5月180度……", "custom": CHART},
        {"author": "bot", "text": "", "custom": {"type": "something_else", "x": 1}},
    ]


def open_page(browser: Any, hub: FakeHub, *, websocket: bool, mobile: bool = False) -> tuple[Any, Any]:
    options: dict[str, Any] = {"viewport": {"width": 390, "height": 740}} if mobile else {}
    context = browser.new_context(**options)
    if not websocket:
        context.add_init_script(NO_WEBSOCKET)
    page = context.new_page()
    hub.attach(page)
    page.goto(ORIGIN + "/")
    page.wait_for_selector(".pd-widget[data-state=ready]", state="attached")
    return context, page


def test_history_bill_card_and_chart_survive_a_reload(browser: Any, tmp_path: Path) -> None:
    hub = FakeHub(billing_reply)
    context, page = open_page(browser, hub, websocket=False)
    try:
        assert "在线客服" in page.title()
        assert page.locator(".msg--bot").first.inner_text().startswith("您好")
        assert page.locator(".pd-panel").is_visible()
        page.fill("#input", "上个月电费多少")
        page.click("#send")
        page.wait_for_selector(".usage-chart--ready canvas", timeout=10_000)

        assert page.locator(".msg--customer").all_inner_texts() == ["上个月电费多少"]
        assert page.locator(".msg--bot").nth(1).inner_text() == "您2026年10月的电费如下："
        card = page.locator(".bill-card")
        assert card.locator(".bill-card__period").inner_text() == "2026年10月"
        assert card.locator(".bill-card__kwh dd").inner_text() == "256 度"
        assert card.locator(".bill-card__amount dd").inner_text() == "¥138.24"
        assert card.locator(".bill-card__due dd").inner_text() == "2026-11-25"
        assert card.locator(".bill-card__badge--unpaid").inner_text() == "未缴"
        height = page.locator(".usage-chart__canvas canvas").bounding_box()["height"]
        assert 140 <= height <= 180
        assert page.locator(".chat__log .msg").count() == 5  # greeting, customer, 3 bot (unknown custom hidden)
        assert page.locator(".msg--pending, .typing").count() == 0
        assert page.locator(".chat__status").is_hidden()

        # the launcher closes and reopens the panel
        page.click("#pd-launcher")
        assert page.locator(".pd-panel").is_hidden()
        assert page.get_attribute("#pd-launcher", "aria-expanded") == "false"
        page.click("#pd-launcher")
        assert page.locator(".pd-panel").is_visible()

        sender = hub.only_sender()
        assert hub.webhook_bodies == [{"sender": sender, "message": "上个月电费多少", "metadata": {"channel": "web"}}]

        page.reload()
        page.wait_for_selector(".pd-widget[data-state=ready]", state="attached")
        page.wait_for_selector(".usage-chart--ready canvas", timeout=10_000)
        assert page.locator(".msg--customer").all_inner_texts() == ["上个月电费多少"]
        assert page.locator(".bill-card").count() == 1
        assert page.locator(".chat__log .msg").count() == 5
        assert hub.session_calls[-1] == ({"sender": sender}, "Bearer token-1")
        assert len(hub.tokens) == 1, "the reload resumed the conversation"
        page.screenshot(path=str(tmp_path / "widget_page_bill.png"))
    finally:
        context.close()


def test_markup_is_text_and_quick_replies_send_the_payload(browser: Any) -> None:
    evil = '<img src=x onerror="window.__pwned=1"><b>粗体</b>'

    def reply(text: str) -> list[Message]:
        if text == "/affirm":
            return [{"author": "bot", "text": "好的，已为您办理。"}]
        return [{"author": "bot", "text": evil, "buttons": [{"title": "需要<i>", "payload": "/affirm"}]}]

    hub = FakeHub(reply)
    context, page = open_page(browser, hub, websocket=False)
    try:
        page.fill("#input", evil)
        page.click("#send")
        page.wait_for_selector(".chip")
        assert page.locator(".msg--customer").first.inner_text() == evil
        assert page.locator(".msg--bot .msg__text").nth(1).inner_text() == evil
        assert page.locator(".chip").inner_text() == "需要<i>"
        assert page.locator(".chat__log img, .chat__log b, .chat__log i").count() == 0
        assert page.evaluate("window.__pwned") is None

        page.click(".chip")
        page.wait_for_function("document.querySelectorAll('.msg--bot').length >= 3")
        assert hub.webhook_bodies[-1]["message"] == "/affirm"
        assert page.locator(".msg--customer").all_inner_texts() == [evil, "需要<i>"]
        page.reload()
        page.wait_for_selector(".pd-widget[data-state=ready]", state="attached")
        assert page.locator(".msg--customer").all_inner_texts() == [evil, "需要<i>"]
    finally:
        context.close()


def test_rate_limit_and_network_error_keep_the_text(browser: Any) -> None:
    hub = FakeHub()
    context, page = open_page(browser, hub, websocket=False)
    try:
        hub.rate_limit = True
        page.fill("#input", "我家停电了")
        page.click("#send")
        page.wait_for_selector(".msg--system >> text=您发送得太快了，请稍等几秒再发。")
        assert page.input_value("#input") == "我家停电了"
        assert page.locator(".msg--customer").count() == 0

        hub.rate_limit = False
        page.click("#send")
        page.wait_for_selector(".msg--bot >> text=收到：我家停电了")
        assert page.input_value("#input") == ""

        page.route(ORIGIN + "/webhooks/**", lambda route: route.abort())
        page.fill("#input", "还在吗")
        page.click("#send")
        page.wait_for_selector(".msg--system >> text=网络异常，请检查网络后重试。")
        assert page.input_value("#input") == "还在吗"
    finally:
        context.close()


def test_queue_agent_and_rating_over_the_socket(browser: Any, tmp_path: Path) -> None:
    hub = FakeHub(lambda text: [{"author": "bot", "text": "正在为您转接人工客服。"}])
    context, page = open_page(browser, hub, websocket=True, mobile=True)
    try:
        page.fill("#input", "转人工")
        page.click("#send")
        page.wait_for_selector(".msg--bot >> text=正在为您转接人工客服。")
        sender = hub.only_sender()
        assert hub.sockets.get(sender), "the widget opened the chat websocket"
        status = page.locator(".chat__status")

        hub.store(sender, {"author": "system", "text": "您前面还有2位客户，预计等待约4分钟。",
                           "custom": {"type": "status", "state": "queued", "position": 3, "eta_s": 230}})
        page.wait_for_selector(".msg--system >> text=您前面还有2位客户，预计等待约4分钟。")
        assert status.inner_text() == "排队中：您前面还有2位，预计等待约4分钟"

        hub.store(sender, {"author": "system", "text": "马上为您接入。",
                           "custom": {"type": "status", "state": "queued", "position": 1, "eta_s": 30}})
        page.wait_for_function("document.querySelector('.chat__status').textContent === '马上为您接入人工客服'")

        hub.store(sender, {"author": "system", "text": "客服01为您服务",
                           "custom": {"type": "status", "state": "agent", "agent_name": "客服01"}})
        agent = hub.store(sender, {"author": "agent", "agent_name": "客服01", "text": "您好，我是客服01。"})
        page.wait_for_selector(".msg--agent")
        assert status.inner_text() == "人工客服 客服01 正在为您服务"
        assert page.locator(".chat__row--agent .msg__name").inner_text() == "客服01"
        # the same message twice (socket + history) is shown once
        hub.sockets[sender][0].send(json.dumps(agent, ensure_ascii=False))
        page.wait_for_timeout(200)
        assert page.locator(".msg--agent").count() == 1

        # the socket drops: the widget reconnects and fetches what it missed
        hub.sockets.pop(sender)[0].close(code=1011, reason="restart")
        hub.store(sender, {"author": "agent", "agent_name": "客服01", "text": "请问还在吗？"})
        page.wait_for_selector(".msg--agent >> text=请问还在吗？", timeout=8_000)
        assert hub.sockets.get(sender), "the widget reconnected"
        assert page.locator(".msg--agent").count() == 2

        # phone layout: full-screen panel, input visible and not covered by the launcher
        panel = page.locator(".pd-panel").bounding_box()
        assert panel["width"] == 390 and panel["height"] == pytest.approx(740, abs=2)
        field = page.locator("#input").bounding_box()
        launcher = page.locator(".pd-launcher").bounding_box()
        assert field["y"] + field["height"] <= 740 and launcher["y"] + launcher["height"] < field["y"]
        assert page.eval_on_selector("#input", "e => parseFloat(getComputedStyle(e).fontSize)") >= 15
        page.screenshot(path=str(tmp_path / "widget_page_agent_mobile.png"))

        hub.store(sender, {"author": "system", "text": "本次服务已结束。", "custom": {"type": "status", "state": "closed"}})
        hub.store(sender, {"author": "system", "text": "请为本次服务打分……", "custom": {"type": "csat", "scale": 5}})
        page.wait_for_selector(".csat__star")
        assert status.is_hidden()
        assert page.locator(".csat__star").count() == 5
        assert page.locator(".csat__submit").is_disabled()
        page.locator(".csat__star").nth(3).click()
        page.fill(".csat__comment", "很耐心")
        page.click(".csat__submit")
        page.wait_for_selector(".csat__done >> text=感谢您的评价！")
        assert hub.ratings == [{"score": 4, "comment": "很耐心"}]

        page.reload()
        page.wait_for_selector(".pd-widget[data-state=ready]", state="attached")
        page.wait_for_selector(".csat--done")
        assert page.locator(".csat__star").count() == 0
        assert page.locator(".msg--agent").count() == 2
        assert status.is_hidden()
    finally:
        context.close()


def test_state_from_history_and_finished_rating(browser: Any) -> None:
    """A reload in the queue shows the queue from /api/chat/messages; an old rating form is done."""
    hub = FakeHub()
    context, page = open_page(browser, hub, websocket=False)
    try:
        sender = hub.only_sender()
        hub.store(sender, {"author": "system", "text": "请为本次服务打分……", "custom": {"type": "csat", "scale": 5}})
        hub.csat_pending[sender] = False  # e.g. rated by replying a digit
        hub.store(sender, {"author": "system", "text": "您前面还有1位客户。",
                           "custom": {"type": "status", "state": "queued", "position": 2}})
        hub.state[sender] = {"state": "queued", "position": 2, "eta_s": 100}
        page.reload()
        page.wait_for_selector(".pd-widget[data-state=ready]", state="attached")
        page.wait_for_selector(".csat--done")
        assert page.locator(".chat__status").inner_text() == "排队中：您前面还有1位，预计等待约2分钟"
        assert page.locator(".csat__star").count() == 0
    finally:
        context.close()
