"""The agent console page (integrations/static/console/) in a real browser, without the hub.

The static files are served by a small local server (/static/ → integrations/static,
/console/ → console/index.html) and the hub's API is faked with Playwright's page.route,
so these tests check the page alone, under the hub's Content-Security-Policy (a violation
fails the test like a script error): login, queue, conversation, claim conflict, the
customer 360 chart, suggestions, replying, notes, canned responses, knowledge-base
candidates and the metrics charts. The first test runs without a console websocket (the
page must fall back to polling); the second fakes the socket and checks live frames.
"""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from integrations.security import content_security_policy

STATIC = Path(__file__).resolve().parents[2] / "integrations" / "static"
CSRF = "csrf-test-token"
XSS = "<img src=x onerror=alert(1)>我家电表读数不对"


# --------------------------------------------------------------------------- static server
class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=str(STATIC), **kwargs)

    def translate_path(self, path: str) -> str:
        clean = urlparse(path).path
        if clean in ("/console", "/console/"):
            return str(STATIC / "console" / "index.html")
        if clean.startswith("/static/"):
            return super().translate_path(clean[len("/static"):])
        return str(STATIC / "__missing__")

    def end_headers(self) -> None:
        # the hub's own policy (integrations/security.py): the page is tested under it
        self.send_header("Content-Security-Policy", content_security_policy(self.headers.get("Host")))
        super().end_headers()

    def log_message(self, *args: Any) -> None:  # quiet
        pass


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _StaticHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()




# --------------------------------------------------------------------------- fake hub API
def _bills() -> list[dict[str, Any]]:
    bills = []
    for i in range(12):
        month = i + 1
        bills.append({
            "period": f"2026-{month:02d}", "kwh": str(150 + 10 * i), "amount": f"{(150 + 10 * i) * 0.56:.2f}",
            "due_date": f"2026-{month:02d}-25", "paid": i < 10,
        })
    return bills


class FakeHub:
    """Just enough of docs/hub_api.md for the page, with every request recorded."""

    def __init__(self) -> None:
        self.logged_in = False
        self.requests: list[dict[str, Any]] = []
        self.next_id = 100
        self.rows = [
            {"id": 1, "channel": "web", "state": "queued", "reason": "complaint", "reason_label": "投诉",
             "priority": 0, "waiting_s": 125, "position": 1, "sla_breached": True,
             "summary": "客户投诉抄表读数有误，要求人工核实并退还多收电费", "mine": False},
            {"id": 2, "channel": "wechat", "state": "queued", "reason": "requested", "reason_label": "客户要求人工",
             "priority": 2, "waiting_s": 30, "position": 2, "sla_breached": False, "summary": "询问峰谷电价", "mine": False},
            {"id": 3, "channel": "voice", "state": "agent", "reason": "billing_dispute", "reason_label": "电费争议",
             "priority": 1, "waiting_s": 400, "position": None, "sla_breached": False, "summary": "对10月电费有疑问",
             "agent_name": "客服01", "mine": True},
            {"id": 4, "channel": "web", "state": "agent", "reason": "outage", "reason_label": "停电报修",
             "priority": 1, "waiting_s": 50, "position": None, "sla_breached": False, "summary": "小区停电",
             "agent_name": "客服02", "mine": False},
        ]
        self.conversations: dict[int, dict[str, Any]] = {
            1: {"id": 1, "state": "queued", "channel": "web", "reason": "complaint", "reason_label": "投诉",
                "summary": "客户投诉抄表读数有误", "intent": "complain", "intent_label": "投诉",
                "slots": {"complaint_detail": "读数不对"},
                "transcript": [
                    {"id": 11, "author": "customer", "text": XSS, "created_at": "2026-12-03T08:15:02+00:00"},
                    {"id": 12, "author": "bot", "text": "抱歉给您带来不便，正在为您转接人工客服。",
                     "created_at": "2026-12-03T08:15:03+00:00", "buttons": [{"title": "需要", "payload": "/affirm"}]},
                    {"id": 13, "author": "system", "text": "您前面还有0位客户。", "created_at": "2026-12-03T08:15:04+00:00",
                     "custom": {"type": "status", "state": "queued", "position": 1, "eta_s": 60}},
                ],
                "notes": []},
            3: {"id": 3, "state": "agent", "channel": "voice", "reason": "billing_dispute", "reason_label": "电费争议",
                "summary": "对10月电费有疑问", "account": "3100****0001", "intent": "query_bill", "intent_label": "查询电费",
                "slots": {"account_no": "3100****0001", "period": "2026-10"}, "agent_name": "客服01",
                "transcript": [
                    {"id": 21, "author": "customer", "text": "10月电费怎么这么多", "created_at": "2026-12-03T08:10:00+00:00"},
                    {"id": 22, "author": "bot", "text": "您2026年10月的电费是123.45元。",
                     "created_at": "2026-12-03T08:10:01+00:00",
                     "custom": {"type": "bill_card", "period": "2026-10", "period_label": "2026年10月", "kwh": "220",
                                "amount": "123.45", "due_date": "2026-11-25", "paid": False, "account": "3100****0001"}},
                    {"id": 23, "author": "bot", "text": "图表", "created_at": "2026-12-03T08:10:02+00:00",
                     "custom": {"type": "usage_chart", "title": "用电量", "unit": "度", "points": []}},
                    {"id": 24, "author": "agent", "agent_name": "客服01", "text": "您好，我是客服01。",
                     "created_at": "2026-12-03T08:11:00+00:00"},
                    {"id": 25, "author": "customer", "text": "为什么比上个月多了一百块？",
                     "created_at": "2026-12-03T08:12:00+00:00"},
                    {"id": 26, "author": "customer", "text": "[图片]", "created_at": "2026-12-03T08:12:30+00:00",
                     "attachment": {"type": "image", "url": "http://127.0.0.1:9/meter.jpg", "media_id": "m1"}},
                ],
                "history": [{"id": 2, "channel": "wechat", "state": "closed", "created_at": "2026-11-28T02:00:00+00:00",
                             "reason": "requested", "summary": "微信上问过10月电费"}],
                "notes": [{"id": 1, "agent_name": "客服02", "text": "该户上月已投诉过一次",
                           "created_at": "2026-12-02T09:00:00+00:00"}],
                "customer": {
                    "account": "3100****0001", "name": "张*", "address": "示例市东城区和平街道****", "category": "residential",
                    "billing_mode": "postpaid", "bills": _bills(),
                    "arrears": {"principal": "246.00", "late_fee": "1.23", "total": "247.23"}, "prepaid": None,
                    "work_orders": [{"ticket_no": "WO20261201001", "type": "complain", "state": "accepted",
                                     "created_at": "2026-12-01T10:00:00+00:00", "deadline": "2026-12-04T10:00:00+00:00"}],
                    "outages": [{"area": "东城区和平街道", "start": "2026-12-05T08:00:00+00:00",
                                 "end": "2026-12-05T12:00:00+00:00", "reason": "计划检修"}],
                }},
        }
        self.canned = [{"id": 1, "title": "问候", "text": "您好，很高兴为您服务，请问有什么可以帮您？"},
                       {"id": 2, "title": "稍等", "text": "请您稍等，我马上为您查询。"}]

    # ---- helpers
    def json(self, route: Any, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        route.fulfill(status=status, content_type="application/json", body=json.dumps(body, ensure_ascii=False),
                      headers=headers or {})

    def calls(self, method: str, path: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if r["method"] == method and r["path"] == path]

    def queue_body(self) -> dict[str, Any]:
        return {"conversations": self.rows, "agents_online": 2}

    def metrics(self, days: int) -> dict[str, Any]:
        if days == 30:  # nothing happened: every chart must still render
            return {"days": 30, "conversations": 0, "contained": 0, "containment_rate": None, "handoffs": 0,
                    "handoffs_by_reason": {}, "reason_labels": {}, "csat_avg": None, "csat_count": 0,
                    "csat_distribution": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}, "top_intents": [],
                    "median_wait_s": None, "per_day": []}
        return {"days": 7, "conversations": 120, "contained": 84, "containment_rate": 0.7, "handoffs": 36,
                "handoffs_by_reason": {"requested": 20, "complaint": 10, "low_confidence": 6},
                "reason_labels": {"requested": "客户要求人工", "complaint": "投诉", "low_confidence": "机器人无法理解"},
                "csat_avg": 4.3, "csat_count": 30, "csat_distribution": {"1": 1, "2": 1, "3": 2, "4": 8, "5": 18},
                "top_intents": [{"intent": "query_bill", "label": "查询电费", "count": 40},
                                {"intent": "report_outage", "label": "停电报修", "count": 22}],
                "median_wait_s": 75,
                "per_day": [{"date": f"2026-12-0{d}", "conversations": 15 + d, "handoffs": 4 + d % 3} for d in range(1, 8)]}

    # ---- router
    def handle(self, route: Any, request: Any) -> None:
        url = urlparse(request.url)
        path, query = url.path, parse_qs(url.query)
        body: Any = json.loads(request.post_data) if request.post_data else None
        headers = request.headers
        self.requests.append({"method": request.method, "path": path, "body": body,
                              "csrf": headers.get("x-csrf-token"), "cookie": headers.get("cookie", "")})
        method = request.method

        if path == "/api/kb/search":
            q = query.get("q", [""])[0]
            return self.json(route, 200, {"answerable": True, "results": [
                {"doc_id": "a_large_household", "title": "一户多人口", "section": "申请条件",
                 "text": f"（{q}）家庭常住人口5人及以上的居民用户可申请。", "score": 0.87}]})
        if path == "/api/console/login" and method == "POST":
            if body != {"username": "agent01", "password": "demo-agent-01"}:
                return self.json(route, 401, {"error": "bad_credentials", "message": "用户名或密码错误"})
            self.logged_in = True
            return self.json(route, 200, {"csrf_token": CSRF, "agent": {"username": "agent01", "display_name": "客服01"}},
                             {"Set-Cookie": "powerdesk_console=s1; Path=/; HttpOnly; SameSite=Strict"})
        if not self.logged_in:
            return self.json(route, 401, {"error": "unauthorized", "message": "请先登录"})
        if method in ("POST", "PUT", "DELETE") and headers.get("x-csrf-token") != CSRF:
            return self.json(route, 403, {"error": "csrf", "message": "缺少 CSRF 令牌"})
        if path == "/api/console/me":
            return self.json(route, 200, {"csrf_token": CSRF, "agent": {"username": "agent01", "display_name": "客服01"}})
        if path == "/api/console/logout":
            self.logged_in = False
            return self.json(route, 200, {"ok": True})
        if path == "/api/console/queue":
            return self.json(route, 200, self.queue_body())
        if path == "/api/console/metrics":
            return self.json(route, 200, self.metrics(int(query.get("days", ["7"])[0])))
        if path == "/api/console/canned":
            if method == "POST":
                item = {"id": self.next_id, **body}
                self.next_id += 1
                self.canned.append(item)
                return self.json(route, 201, item)
            return self.json(route, 200, {"responses": self.canned})
        if path.startswith("/api/console/canned/"):
            cid = int(path.rsplit("/", 1)[1])
            if method == "DELETE":
                self.canned = [c for c in self.canned if c["id"] != cid]
                return self.json(route, 200, {"ok": True})
            for c in self.canned:
                if c["id"] == cid:
                    c.update(body)
            return self.json(route, 200, {"ok": True})
        if path.startswith("/api/console/conversations/"):
            parts = path.split("/")[4:]
            conv = self.conversations.get(int(parts[0]))
            if conv is None:
                return self.json(route, 404, {"error": "not_found", "message": "会话不存在"})
            action = parts[1] if len(parts) > 1 else ""
            if action == "":
                return self.json(route, 200, conv)
            if action == "claim":
                return self.json(route, 409, {"error": "already_claimed", "message": "该会话已由客服02接入"})
            if action == "messages":
                self.next_id += 1
                message = {"id": self.next_id, "author": "agent", "agent_name": "客服01", "text": body["text"],
                           "created_at": "2026-12-03T08:20:00+00:00"}
                conv["transcript"].append(message)
                return self.json(route, 201, message)
            if action == "notes":
                self.next_id += 1
                note = {"id": self.next_id, "agent_name": "客服01", "text": body["text"],
                        "created_at": "2026-12-03T08:21:00+00:00"}
                conv["notes"].append(note)
                return self.json(route, 201, note)
            if action == "resolve":
                conv["state"] = "closed"
                conv.pop("agent_name", None)
                conv["csat"] = {"score": 4, "comment": "很耐心"}
                return self.json(route, 200, {"ok": True})
            if action == "handback":
                conv["state"] = "bot"
                return self.json(route, 200, {"ok": True})
            if action == "suggestions":
                last = [m for m in conv["transcript"] if m["author"] == "customer"][-1]
                return self.json(route, 200, {
                    "for_message": {"id": last["id"], "text": last["text"]},
                    "bot_reply": {"text": "您10月用电量比9月多了约180度，主要是空调用电增加。", "sources": ["电费账单说明"]},
                    "passages": [{"doc_id": "b_tiers", "title": "阶梯电价", "section": "第二档",
                                  "text": "年用电量超过2760度的部分执行第二档电价。", "score": 0.82}]})
            if action == "kb-candidates":
                return self.json(route, 201, {"ok": True})
        return self.json(route, 404, {"error": "not_found", "message": "无此接口"})


def _open_page(browser: Any, base_url: str, hub: FakeHub) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    def console(msg: Any) -> None:
        if "Content Security Policy" in msg.text:
            errors.append(msg.text)

    def native_dialog(dialog: Any) -> None:
        errors.append("native dialog: " + dialog.message)
        dialog.dismiss()

    page.on("console", console)
    page.on("dialog", native_dialog)
    page.route("**/api/**", hub.handle)
    return context, page, errors


def _login(page: Any, base_url: str) -> None:
    page.goto(base_url + "/console/")
    page.wait_for_selector("#login-form", state="visible")
    page.fill("#login-username", "agent01")
    page.fill("#login-password", "demo-agent-01")
    page.click("#login-submit")
    page.wait_for_selector("#app", state="visible")


# --------------------------------------------------------------------------- tests
def test_console_flow_without_websocket(browser: Any, base_url: str, tmp_path: Path) -> None:
    hub = FakeHub()
    context, page, errors = _open_page(browser, base_url, hub)
    try:
        page.goto(base_url + "/console/")
        page.wait_for_selector("#login-form", state="visible")
        assert "演示账号 agent01 / agent02，密码见 README" in page.inner_text("#login")
        page.fill("#login-username", "agent01")
        page.fill("#login-password", "wrong")
        page.click("#login-submit")
        page.wait_for_function("() => document.getElementById('login-error').textContent.includes('用户名或密码错误')")
        page.fill("#login-password", "demo-agent-01")
        page.click("#login-submit")
        page.wait_for_selector("#app", state="visible")
        assert page.inner_text("#agent-name") == "客服01"

        # Queue: two sections, urgent + SLA red, waiting time ticking.
        page.wait_for_selector("#queue-queued .queue__item[data-id='1']")
        assert page.locator("#queue-queued .queue__item").count() == 2
        assert page.locator("#queue-held .queue__item").count() == 2
        first = page.locator(".queue__item[data-id='1']")
        assert "sla-breached" in (first.get_attribute("class") or "")
        assert "紧急" in first.inner_text() and "网页" in first.inner_text() and "投诉" in first.inner_text()
        assert "queue__item--mine" in (page.locator(".queue__item[data-id='3']").get_attribute("class") or "")
        page.wait_for_function("() => document.querySelector(\".queue__item[data-id='1'] .queue__wait\").textContent >= '02:06'")
        assert page.inner_text("#agents-online") == "2"

        # Without a socket the page falls back to polling the queue.
        page.wait_for_function("() => document.getElementById('conn-status').textContent === '轮询中'", timeout=10_000)

        # Open the queued conversation: markup stays text, no account yet, claim conflicts.
        first.click()
        page.wait_for_function("() => document.getElementById('conv-reason').textContent === '投诉'")
        page.wait_for_selector("#transcript .t-msg--customer")
        assert page.locator("#transcript .t-msg--customer .t-msg__text").first.inner_text() == XSS
        assert page.locator("#transcript img").count() == 0
        assert "排第 1 位" in page.inner_text("#transcript .t-msg--system")
        assert "客户尚未验证身份，暂无账户信息" in page.inner_text("#customer360")
        assert page.is_disabled("#reply-text") and page.is_disabled("#reply-send")
        page.click("#claim")
        page.wait_for_selector("#conv-alert", state="visible")
        assert "该会话已由客服02接入" in page.inner_text("#conv-alert")

        # Open my conversation: 360 chart, bill card line, arrears, suggestions.
        page.click(".queue__item[data-id='3']")
        page.wait_for_function("() => document.getElementById('conv-reason').textContent === '电费争议'")
        assert page.is_hidden("#conv-alert") and page.is_hidden("#claim")
        page.wait_for_function(
            "() => { const c = document.getElementById('usage-chart'); const ch = c && Chart.getChart(c);"
            " return !!ch && ch.data.datasets[0].data.length === 12; }")
        assert "247.23" in page.inner_text("#customer360 .arrears")
        assert "查询电费" in page.inner_text("#customer360")
        assert "2026年10月" in page.inner_text("#transcript")
        assert page.locator("#transcript .t-msg").count() == 6  # a usage_chart shows its text only
        # shown over https: the hub's CSP allows pictures from https: only (WeChat's PicUrl is often http://)
        assert page.locator("#transcript .t-msg__image img").get_attribute("src") == "https://127.0.0.1:9/meter.jpg"
        assert "微信上问过10月电费" in page.inner_text("#customer360 .items--history")
        assert page.locator("#transcript canvas").count() == 0
        page.wait_for_selector("#suggestions .suggestion__insert")
        assert "机器人建议回复" in page.inner_text("#suggestions")
        page.locator("#suggestions .suggestion__insert").first.click()
        assert page.input_value("#reply-text") == "您10月用电量比9月多了约180度，主要是空调用电增加。"
        page.focus("#reply-text")
        page.keyboard.press("Enter")
        page.wait_for_function("() => document.querySelectorAll('#transcript .t-msg--agent').length === 2")
        sent = hub.calls("POST", "/api/console/conversations/3/messages")
        assert sent and sent[-1]["body"] == {"text": "您10月用电量比9月多了约180度，主要是空调用电增加。"}
        assert sent[-1]["csrf"] == CSRF
        assert page.input_value("#reply-text") == ""

        # Canned response insert, KB search insert.
        page.locator(".canned__item", has_text="稍等").click()
        assert page.input_value("#reply-text") == "请您稍等，我马上为您查询。"
        page.fill("#reply-text", "")
        page.fill("#kb-query", "一户多人口")
        page.press("#kb-query", "Enter")
        page.wait_for_selector("#kb-results .kb-result .suggestion__insert")
        page.locator("#kb-results .suggestion__insert").first.click()
        assert "常住人口5人" in page.input_value("#reply-text")

        # Private note.
        page.click("#tab-notes")
        assert "内部备注（客户不可见）" in page.inner_text("#pane-notes")
        page.fill("#note-text", "客户情绪激动，注意安抚")
        page.click("#note-send")
        page.wait_for_function("() => document.getElementById('notes-list').textContent.includes('客户情绪激动')")
        page.click("#tab-transcript")

        # Knowledge-base candidate from the last question and the last reply.
        page.click("#save-candidate")
        page.wait_for_selector("#candidate-dialog", state="visible")
        assert page.input_value("#candidate-question") == "为什么比上个月多了一百块？"
        assert page.input_value("#candidate-answer") == "您10月用电量比9月多了约180度，主要是空调用电增加。"
        page.click("#candidate-submit")
        page.wait_for_function("() => document.getElementById('candidate-status').textContent === '已提交审核'")
        candidate = hub.calls("POST", "/api/console/conversations/3/kb-candidates")[-1]["body"]
        assert candidate["question"] == "为什么比上个月多了一百块？"

        # Metrics: tiles and four charts; then an empty period.
        page.click("#nav-metrics")
        page.wait_for_selector("#metrics", state="visible")
        page.wait_for_function(
            "() => ['chart-per-day','chart-reasons','chart-csat','chart-intents']"
            ".every(id => Chart.getChart(document.getElementById(id)))")
        assert page.inner_text("#m-conversations") == "120"
        assert page.inner_text("#m-containment") == "70.0%"
        assert "客户要求人工" in page.evaluate("Chart.getChart(document.getElementById('chart-reasons')).data.labels.join(',')")
        page.screenshot(path=str(tmp_path / "console_metrics.png"))
        page.select_option("#metrics-days", "30")
        page.wait_for_function("() => document.querySelectorAll('#metrics .chart-empty:not([hidden])').length === 4")
        assert page.inner_text("#m-conversations") == "0"
        assert page.inner_text("#m-csat") == "—"

        # Logout goes back to the login screen.
        page.click("#nav-desk")
        page.click("#logout")
        page.wait_for_selector("#login-form", state="visible")
        assert hub.calls("POST", "/api/console/logout")[-1]["csrf"] == CSRF
        assert not errors, errors
    finally:
        context.close()


def test_live_frames_resolve_and_expired_session(browser: Any, base_url: str, tmp_path: Path) -> None:
    hub = FakeHub()
    context, page, errors = _open_page(browser, base_url, hub)
    sockets: list[Any] = []
    def keep(socket: Any) -> None:  # Playwright needs a Python function, not a bound builtin
        sockets.append(socket)

    page.route_web_socket("**/ws/console", keep)
    try:
        _login(page, base_url)
        page.wait_for_function("() => document.getElementById('conn-status').textContent === '实时'")
        assert sockets, "the console did not open /ws/console"
        ws = sockets[-1]
        rows = hub.rows + [{"id": 5, "channel": "wechat", "state": "queued", "reason": "requested",
                            "reason_label": "客户要求人工", "priority": 2, "waiting_s": 3, "position": 3,
                            "sla_breached": False, "summary": "新来的", "mine": False}]
        ws.send(json.dumps({"type": "queue", "conversations": rows, "agents_online": 3}))
        page.wait_for_selector(".queue__item[data-id='5']")
        assert page.inner_text("#agents-online") == "3"

        page.click(".queue__item[data-id='3']")
        page.wait_for_selector("#transcript .t-msg--customer")
        page.wait_for_selector("#suggestions .suggestion__insert")
        before = len(hub.calls("GET", "/api/console/conversations/3/suggestions"))
        ws.send(json.dumps({"type": "message", "conversation_id": 3, "message": {
            "id": 90, "author": "customer", "text": "<b>那怎么办</b>", "created_at": "2026-12-03T08:30:00+00:00"}}))
        page.wait_for_function("() => Array.from(document.querySelectorAll('#transcript .t-msg--customer'))"
                               ".some(n => n.textContent.includes('<b>那怎么办</b>'))")
        ws.send(json.dumps({"type": "message", "conversation_id": 3, "message": {
            "id": 90, "author": "customer", "text": "<b>那怎么办</b>", "created_at": "2026-12-03T08:30:00+00:00"}}))
        page.wait_for_timeout(700)
        assert len(hub.calls("GET", "/api/console/conversations/3/suggestions")) > before
        assert page.locator("#transcript .t-msg[data-id='90']").count() == 1  # deduplicated by id

        # Canned responses: add, edit, delete.
        page.click("#canned-manage")
        page.wait_for_selector("#canned-dialog", state="visible")
        page.fill("#canned-title", "结束语")
        page.fill("#canned-text", "感谢您的来电，祝您生活愉快。")
        page.click("#canned-save")
        page.wait_for_selector(".canned__item:has-text('结束语')", state="attached")
        assert hub.calls("POST", "/api/console/canned")[-1]["body"] == {"title": "结束语", "text": "感谢您的来电，祝您生活愉快。"}
        page.locator(".canned-editor__item", has_text="结束语").locator(".canned-editor__edit").click()
        assert page.input_value("#canned-text") == "感谢您的来电，祝您生活愉快。"
        page.fill("#canned-title", "结束")
        page.click("#canned-save")
        page.wait_for_function("() => !document.getElementById('canned-editor-list').textContent.includes('结束语')")
        new_id = hub.canned[-1]["id"]
        assert hub.calls("PUT", f"/api/console/canned/{new_id}")[-1]["body"]["title"] == "结束"
        page.locator(".canned-editor__item", has_text="结束").locator(".canned-editor__delete").click()
        page.click("#confirm-ok")
        page.wait_for_function("() => !document.getElementById('canned-editor-list').textContent.includes('结束')")
        assert hub.calls("DELETE", f"/api/console/canned/{new_id}")[-1]["csrf"] == CSRF
        page.click("#canned-close")

        # Resolve: confirm dialog, then the CSAT from the conversation detail.
        page.click("#resolve")
        page.wait_for_selector("#confirm-dialog", state="visible")
        page.click("#confirm-ok")
        page.wait_for_selector("#csat", state="visible")
        page.wait_for_function("() => document.getElementById('csat').textContent.includes('4 分')")
        assert page.is_disabled("#reply-text")
        page.screenshot(path=str(tmp_path / "console_desk.png"))

        # A 401 anywhere sends the agent back to the login screen.
        hub.logged_in = False
        page.click(".queue__item[data-id='1']")
        page.wait_for_selector("#login-form", state="visible")
        assert "登录已失效" in page.inner_text("#login-error")
        assert not errors, errors
    finally:
        context.close()
