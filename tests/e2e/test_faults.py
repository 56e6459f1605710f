"""A service of the running system killed in the middle of a conversation.

The customer's next turn gets the hub's apology at once (not a 5xx, not silence), their
message is in the hub's conversation, the respawn wrapper starts the service again, and
the same conversation continues where it was: the identity form that was asking for the
phone's last four digits takes them, the bill the customer asked for comes, and the
account stays verified for the next question.

These tests use the session's running system and leave it as they found it: the killed
service is back (checked after each test, whatever happened), and nothing of a customer
is shared with other tests (each uses its own chat session). That costs one restart of
the killed service, not the start of a second system (docs/architecture.md 43). The
database unreachable is tests/integrations/test_database_down.py (in-process).
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from typing import Any

import httpx
import psutil
import pytest

from integrations.routing import BOT_UNAVAILABLE
from scripts.running import RunningSystem

HEALTH = {"hub": "/healthz", "rasa": "/", "action": "/health", "core": "/healthz"}
RESPAWN_NAME = {"action": "actions", "rasa": "rasa"}  # the Procfile's names
HUB_TIMEOUT_S = 30  # HUB_RASA_TIMEOUT_S: the apology must come well before it
BACK_WITHIN_S = 600  # Rasa loads its model again: about a minute, much more on a busy machine


def listeners(port: int) -> set[int]:
    return {c.pid for c in psutil.net_connections(kind="tcp")
            if c.status == psutil.CONN_LISTEN and c.laddr.port == port and c.pid}


def healthy(system: RunningSystem, service: str) -> bool:
    try:
        return httpx.get(system.url(service) + HEALTH[service], timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def wait_until(condition: Any, timeout_s: float, what: str) -> float:
    began = time.monotonic()
    while not condition():
        if time.monotonic() - began > timeout_s:
            pytest.fail(f"{what}: not within {timeout_s:.0f} s")
        time.sleep(0.5)
    return time.monotonic() - began


@pytest.fixture(autouse=True)
def system_restored(system: RunningSystem) -> Iterator[None]:
    """Every service answers again after each test, so the other e2e tests find the system whole."""
    yield
    for service in HEALTH:
        wait_until(lambda s=service: healthy(system, s), BACK_WITHIN_S, f"{service} back after a fault test")


class Customer:
    """A web chat customer speaking through the REST channel with their session token."""

    def __init__(self, system: RunningSystem) -> None:
        self.hub = system.url("hub")
        session = httpx.post(self.hub + "/api/chat/sessions", timeout=30).json()
        self.sender, self.auth = session["sender"], {"Authorization": f"Bearer {session['token']}"}

    def say(self, text: str) -> tuple[int, list[str], float]:
        began = time.monotonic()
        response = httpx.post(self.hub + "/webhooks/rest/webhook", headers=self.auth, timeout=HUB_TIMEOUT_S + 30,
                              json={"sender": self.sender, "message": text, "metadata": {"channel": "web"}})
        texts = [r.get("text") or "" for r in response.json()] if response.status_code == 200 else []
        return response.status_code, texts, time.monotonic() - began

    def stored(self) -> list[tuple[str, str]]:
        """The conversation as the hub holds it (the web chat's history)."""
        body = httpx.get(self.hub + "/api/chat/messages", headers=self.auth, timeout=30).json()
        return [(m["author"], m.get("text") or "") for m in body["messages"]]


@pytest.mark.parametrize("service", ["action", "rasa"])
def test_a_service_killed_mid_conversation_gets_an_apology_and_the_conversation_resumes(
    system: RunningSystem, service: str
) -> None:
    customer = Customer(system)
    customer.say("上个月电费多少")
    status, texts, _ = customer.say("3300012345")
    assert status == 200 and "后4位" in "".join(texts), texts  # the identity form asks for the phone's last four

    pids = listeners(system.ports[service])
    assert len(pids) == 1, f"{service}: one process serves the port ({pids}), so killing it closes the port"
    killed = pids.pop()
    os.kill(killed, signal.SIGKILL)
    wait_until(lambda: not psutil.pid_exists(killed) or psutil.Process(killed).status() == psutil.STATUS_ZOMBIE,
               10, f"{service} (pid {killed}) gone")

    status, texts, took = customer.say("8000")
    assert status == 200 and texts == [BOT_UNAVAILABLE], (status, texts)
    assert took < HUB_TIMEOUT_S / 3, f"the apology took {took:.1f} s"
    assert customer.stored()[-2:] == [("customer", "8000"), ("bot", BOT_UNAVAILABLE)]

    back = wait_until(lambda: healthy(system, service) and listeners(system.ports[service]) - {killed},
                      BACK_WITHIN_S, f"{service} started again by the respawn wrapper")
    printed = "".join(system.output)
    assert f"respawn: {RESPAWN_NAME[service]} was killed by SIGKILL" in printed

    status, texts, _ = customer.say("8000")  # the same answer again: the form still wants it
    reply = "".join(texts)
    assert status == 200 and "身份核验通过" in reply and "152.88" in reply, (back, texts)
    status, texts, _ = customer.say("我家欠费吗")
    reply = "".join(texts)
    assert status == 200 and "155.02" in reply and "请先提供户号" not in reply, texts  # still verified
