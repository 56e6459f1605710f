"""The jambonz verbs the line answers with, built in one place so that every gather
listens the same way and every answer stays inside the contract (contract.py).
"""

from __future__ import annotations

from typing import Any

from integrations.channels.voice.hearing import VOCABULARY

Verb = dict[str, Any]

# Seconds. A caller looking for the bill to read the account number needs longer than
# one thinking about what to say.
LISTEN_S = 10
NUMBER_S = 20
BETWEEN_DIGITS_S = 5
AGENT_RING_S = 30


def say(text: str) -> Verb:
    return {"verb": "say", "text": text}


def hangup() -> Verb:
    return {"verb": "hangup"}


def tag(data: dict[str, Any]) -> Verb:
    """Data jambonz keeps with the call (in its records and later webhooks)."""
    return {"verb": "tag", "data": data}


def gather(prompt: str, hook: str, recognizer: Verb, digits: int | None = None) -> Verb:
    """Speak ``prompt`` and listen for speech or keys, the caller free to interrupt.

    ``digits``: the most digits of a number keyed in and ended with ``#``; without it one
    key is the whole answer (a menu, a choice, 1 or 2), so nobody waits for a ``#``.
    """
    verb: Verb = {
        "verb": "gather",
        "input": ["speech", "digits"],
        "actionHook": hook,
        "bargein": True,
        "dtmfBargein": True,
        "recognizer": recognizer,
        "say": {"text": prompt},
    }
    if digits is None:
        return verb | {"numDigits": 1, "timeout": LISTEN_S}
    return verb | {"finishOnKey": "#", "maxDigits": digits, "interDigitTimeout": BETWEEN_DIGITS_S, "timeout": NUMBER_S}


def recognizer(vendor: str, language: str) -> Verb:
    """Mandarin, with the line's words as hints."""
    return {"vendor": vendor, "language": language, "hints": list(VOCABULARY)}


def pause(seconds: int) -> Verb:
    return {"verb": "pause", "length": seconds}


def enqueue(queue: str, priority: int, hook: str, wait_hook: str) -> Verb:
    """Wait in jambonz's queue for the next agent (lower ``priority`` is served first, as
    in the hub's own queue); jambonz plays what ``wait_hook`` answers, again and again."""
    return {"verb": "enqueue", "name": queue, "priority": priority, "actionHook": hook, "waitHook": wait_hook}


def dial(sip_uri: str, headers: dict[str, str], hook: str) -> Verb:
    """Ring the agents' SIP line; ``headers`` travel on the INVITE to the agent's phone."""
    return {
        "verb": "dial",
        "target": [{"type": "sip", "sipUri": sip_uri}],
        "headers": headers,
        "answerOnBridge": True,
        "timeout": AGENT_RING_S,
        "actionHook": hook,
    }
