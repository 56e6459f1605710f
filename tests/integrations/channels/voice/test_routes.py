"""What the voice routes answer to requests that are not a proper jambonz webhook, and
when our own side fails: always a valid verbs array, never an error page."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from integrations.channels.voice import calls
from integrations.channels.voice.signature import HEADER, sign
from tests.integrations.channels.voice.line import Line, apologised, checked

GOOD = {"call_sid": "CA0009", "direction": "inbound", "from": "+8613800138000", "to": "95598", "call_status": "in-progress"}


@pytest.mark.parametrize(("path", "body"), [
    ("/ivr/jambonz/call", b"{not json"),
    ("/ivr/jambonz/call", b'{"call_sid": "CA1", "from": "\xff\xfe"}'),  # not UTF-8
    ("/ivr/jambonz/call", b"[1, 2, 3]"),  # JSON, but not an object
    ("/ivr/jambonz/call", b""),
    ("/ivr/jambonz/call", json.dumps({"from": "+8613800138000"}).encode()),  # no call_sid
    ("/ivr/jambonz/call", json.dumps({"call_sid": 42}).encode()),  # wrong type
    ("/ivr/jambonz/call", json.dumps({"call_sid": "CA1", "direction": "sideways"}).encode()),
    ("/ivr/jambonz/call", json.dumps({"call_sid": "x" * 500}).encode()),
    ("/ivr/jambonz/call", b"[" * 100_000 + b"]" * 100_000),  # nested past any parser's depth
    ("/ivr/jambonz/gather", json.dumps({**GOOD, "reason": "telepathy"}).encode()),
    ("/ivr/jambonz/gather", json.dumps({**GOOD, "reason": "speechDetected", "speech": {"alternatives": "电费"}}).encode()),
    ("/ivr/jambonz/gather?step=queue", json.dumps(GOOD).encode()),  # enqueue's hook without its result
    ("/ivr/jambonz/status", json.dumps({**GOOD, "call_status": "exploded"}).encode()),
    ("/ivr/jambonz/status", json.dumps({**GOOD, "duration": "long"}).encode()),
])
def test_what_is_not_a_jambonz_webhook_gets_an_apology_and_a_hang_up(hub, path: str, body: bytes) -> None:
    h = hub()
    verbs = checked(h.client.post(path, content=body, headers={"Content-Type": "application/json"}))
    assert apologised(verbs)
    assert h.desk.store.find("voice", "CA0009") is None


def test_a_huge_body_is_refused_unread(hub) -> None:
    h = hub(voice_max_body_bytes=10_000)
    payload = {**GOOD, "reason": "speechDetected", "speech": {"alternatives": [{"transcript": "电" * 20_000}]}}
    assert apologised(checked(h.client.post("/ivr/jambonz/gather", json=payload)))
    assert h.rasa.seen == []


def test_a_state_in_the_hook_url_nobody_wrote_falls_back_to_a_plain_question(hub) -> None:
    h = hub(lambda body: [{"text": "您好"}])
    payload = {**GOOD, "reason": "dtmfDetected", "digits": "1"}
    checked(h.client.post("/ivr/jambonz/gather?step=confirm&kind=passport&n=DROP%20TABLE&tries=-3", json=payload))
    assert [b["message"] for b in h.rasa.seen] == ["查电费"]  # key 1 of the menu, not a "confirmed" number


def test_an_error_of_ours_is_an_apology_not_a_stack_trace(hub, monkeypatch: pytest.MonkeyPatch) -> None:
    h = hub()

    def broken(self: Any) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(calls.Calls, "start", broken)
    response = h.client.post("/ivr/jambonz/call", json=GOOD)
    assert apologised(checked(response)) and "fire" not in response.text


def test_an_answer_of_ours_outside_the_contract_is_logged_and_replaced(hub, monkeypatch, caplog) -> None:
    h = hub()
    monkeypatch.setattr(calls.Calls, "start", lambda self: [{"verb": "gather", "input": ["telepathy"]}])
    assert apologised(checked(h.client.post("/ivr/jambonz/call", json=GOOD)))
    assert any("breaks the jambonz contract" in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)


def test_the_caller_number_never_reaches_the_logs_in_full(hub, caplog) -> None:
    h = hub()
    caplog.set_level("INFO")
    Line(h.client, sid="CA0009").dial()
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "CA0009" in logged and "+86138****8000" in logged and "13800138000" not in logged


def test_with_a_secret_only_signed_requests_are_answered(hub) -> None:
    h = hub(voice_webhook_secret="s3cret")
    body = json.dumps(GOOD).encode()
    headers = {"Content-Type": "application/json"}
    assert apologised(checked(h.client.post("/ivr/jambonz/call", content=body, headers=headers), status=403))
    stamp = str(int(time.time()))
    forged = {**headers, HEADER: f"t={stamp},v1={sign('guess', body, stamp)}"}
    assert apologised(checked(h.client.post("/ivr/jambonz/call", content=body, headers=forged), status=403))
    genuine = {**headers, HEADER: f"t={stamp},v1={sign('s3cret', body, stamp)}"}
    assert "供电服务热线" in checked(h.client.post("/ivr/jambonz/call", content=body, headers=genuine))[0]["say"]["text"]
