"""A phone call as jambonz places it, for the voice tests.

Every payload sent is checked against jambonz's callback schemas, so the tests speak
jambonz's protocol and not our idea of it; every answer is checked against the
application schema, so no body the routes emit in a test escapes the contract. The
next request goes to the hook the last answer named, as jambonz would send it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient

from integrations.channels.voice.contract import payload_errors, verb_errors

Verb = dict[str, Any]


def checked(response: Any, status: int = 200) -> list[Verb]:
    """The verbs of a route's answer: the expected status and a valid jambonz application."""
    assert response.status_code == status, response.text
    verbs = response.json()
    assert verb_errors(verbs) == [], verbs
    return verbs


def spoken(verbs: list[Verb]) -> str:
    """Everything the caller hears from ``verbs``: says and the gathers' prompts."""
    texts = [v["text"] for v in verbs if v["verb"] == "say"]
    texts += [v["say"]["text"] for v in verbs if v["verb"] == "gather"]
    return "".join(texts)


def apologised(verbs: list[Verb]) -> bool:
    """The safe answer: a short apology, then the line hangs up."""
    return [v["verb"] for v in verbs] == ["say", "hangup"] and "抱歉" in verbs[0]["text"]


@dataclass
class Line:
    client: TestClient
    sid: str = "CA0001"
    caller: str = "+8613800138000"
    verbs: list[Verb] = field(default_factory=list)  # the latest answer

    # -- what jambonz sends -----------------------------------------------------------

    def dial(self) -> list[Verb]:
        return self._post("/ivr/jambonz/call", "session-new", {"caller_name": "", "caller_id": self.caller})

    def press(self, keys: str) -> list[Verb]:
        """Keys on the phone; jambonz keeps the finishing # to itself."""
        return self._hook("gather", {"reason": "dtmfDetected", "digits": keys})

    def say(self, *alternatives: tuple[str, float] | str) -> list[Verb]:
        """What the recognizer heard: an n-best list, best first (a bare string: sure)."""
        items = [{"transcript": a, "confidence": 0.95} if isinstance(a, str) else {"transcript": a[0], "confidence": a[1]}
                 for a in alternatives]
        speech = {"language_code": "zh-CN", "is_final": True, "alternatives": items}
        return self._hook("gather", {"reason": "speechDetected", "speech": speech})

    def silence(self) -> list[Verb]:
        return self._hook("gather", {"reason": "timeout"})

    def wait_in_queue(self) -> list[Verb]:
        """jambonz asks the enqueue's wait hook what to play (a sparse payload)."""
        payload = {"queue_sid": "queue:AC0001:95598", "queue_time": 30, "queue_size": 1, "queue_position": 0,
                   "call_sid": self.sid, "call_id": f"{self.sid}@sbc"}
        assert payload_errors("enqueue-wait", payload) == [], payload
        return checked(self.client.post(self.verb("enqueue")["waitHook"], json=payload))

    def leave_queue(self, result: str = "bridged") -> list[Verb]:
        return self._hook("enqueue", {"queue_sid": "queue:AC0001:95598", "queue_time": 42, "queue_result": result})

    def agent_line_ends(self, status: str) -> list[Verb]:
        return self._hook("dial", {"dial_call_status": status, "dial_sip_status": 486 if status == "busy" else 200})

    def hang_up(self, status: str = "completed") -> list[Verb]:
        extra = {"call_termination_by": "caller", "duration": 95}
        return self._post("/ivr/jambonz/status", "call-status", {"call_status": status, **extra})

    # -- what the line answered ---------------------------------------------------------

    @property
    def heard(self) -> str:
        return spoken(self.verbs)

    def verb(self, name: str) -> Verb:
        (found,) = [v for v in self.verbs if v["verb"] == name]
        return found

    @property
    def hook(self) -> str:
        """Where jambonz sends the next request: the action hook of the last verb that has one."""
        return next(v["actionHook"] for v in reversed(self.verbs) if "actionHook" in v)

    # -- internals -------------------------------------------------------------------------

    def _hook(self, callback: str, fields: dict[str, Any]) -> list[Verb]:
        return self._post(self.hook, callback, fields)

    def _post(self, path: str, callback: str, fields: dict[str, Any]) -> list[Verb]:
        payload = {
            "call_sid": self.sid, "account_sid": "AC0001", "application_sid": "AP0001", "direction": "inbound",
            "from": self.caller, "to": "95598", "call_id": f"{self.sid}@sbc", "call_status": "in-progress", **fields,
        }
        assert payload_errors(callback, payload) == [], payload
        self.verbs = checked(self.client.post(path, json=payload))
        return self.verbs
