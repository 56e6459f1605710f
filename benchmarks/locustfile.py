"""Load test: web-chat customers holding whole conversations with the hub (locust).

Each simulated customer opens a chat session as the widget does, then holds
conversations drawn from a mix that looks like a 95598 evening: bills with identity
checks, balances, outages, policy questions, small talk. Between messages a customer
thinks (``THINK_S``; 0 for a saturation run).

Besides locust's own failures (non-200), three checks count as failures, each under its
own name, because they are what a customer would notice:
- ``crosstalk``: a reply addressed to another customer;
- ``silence``: a 200 with no reply at all;
- ``lost``: at the end, a message the hub acknowledged is missing from the customer's
  stored conversation, or one the customer never sent is in it.

Run: locust -f benchmarks/locustfile.py --headless -u 20 -r 5 -t 60s --host http://127.0.0.1:8000
(THINK_S=0 for saturation). benchmarks/load_bench.py and tests/e2e/test_scaled.py run it.
"""

from __future__ import annotations

import os
import random
from typing import Any

from locust import HttpUser, between, constant, events, task

THINK_S = float(os.environ.get("THINK_S", "2"))

# Conversations by weight: what customers of a provincial utility write most.
CONVERSATIONS: list[tuple[int, list[str]]] = [
    (4, ["上个月电费多少", "3300012345", "8000"]),  # 张三: phone ends 8000
    (3, ["我家欠费了吗", "3300012346", "9001"]),  # 李四
    (2, ["帮我看看还剩多少电费", "3300012347", "7002"]),  # 王五
    (3, ["峰谷电价是怎么算的"]),
    (2, ["电费可以在哪些地方交啊"]),
    (2, ["我们小区停电了", "杭州市西湖区文三路100号"]),
    (2, ["你好", "谢谢"]),
    (1, ["阶梯电价一年怎么算的，第二档从多少度开始"]),
]


def record_failure(name: str, message: str) -> None:
    events.request.fire(request_type="CHECK", name=name, response_time=0, response_length=0,
                        exception=AssertionError(message), context={})


class Customer(HttpUser):
    wait_time = between(THINK_S / 2, THINK_S * 1.5) if THINK_S > 0 else constant(0)

    def on_start(self) -> None:
        response = self.client.post("/api/chat/sessions", json={}, name="session")
        body = response.json() if response.status_code == 201 else {}
        self.sender: str | None = body.get("sender")
        self.headers = {"Authorization": f"Bearer {body.get('token')}"}
        self.acknowledged: list[str] = []  # what the hub said 200 to, in order
        self.unsure: set[str] = set()  # failed or cut off in flight: stored or not, either is right

    @task
    def converse(self) -> None:
        if self.sender is None:
            return
        script = random.choices([c for _, c in CONVERSATIONS], weights=[w for w, _ in CONVERSATIONS])[0]
        for text in script:
            self.say(text)
            if THINK_S:
                self.wait()

    def say(self, text: str) -> None:
        self.unsure.add(text)  # until the answer is read: a run may end with it in flight
        with self.client.post("/webhooks/rest/webhook", json={"sender": self.sender, "message": text},
                              headers=self.headers, name="turn", catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
            replies: list[dict[str, Any]] = response.json()
            self.acknowledged.append(text)
            self.unsure.discard(text)
            if not replies:
                record_failure("silence", f"no reply to {text!r}")
            elif any(r.get("recipient_id") != self.sender for r in replies):
                record_failure("crosstalk", f"a reply to {text!r} was addressed to someone else")
            response.success()

    def on_stop(self) -> None:
        """Every acknowledged message is stored, in order, and nothing else the customer sent."""
        if self.sender is None:
            return
        response = self.client.get("/api/chat/messages", headers=self.headers, name="history")
        if response.status_code != 200:
            return
        stored = [m["text"] for m in response.json()["messages"] if m["author"] == "customer"]
        certain = [t for t in stored if t not in self.unsure]
        if certain != [t for t in self.acknowledged if t not in self.unsure]:
            record_failure("lost", f"{self.sender}: acknowledged {len(self.acknowledged)}, stored {len(stored)}")
