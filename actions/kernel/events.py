"""Every reading of the conversation's history, in one place.

Rasa hands the action server the tracker's events; what the customer said before,
which action answered it and what the bot offered are all read from them. Keeping
these scans together means one definition of "the customer's last message", "the
previous turn" or "what answered it", instead of a loop in each action.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from rasa_sdk import Tracker

Event = dict[str, Any]
# Actions Rasa runs around every turn that answer nothing themselves.
BOOKKEEPING_ACTIONS = frozenset({"action_listen", "action_extract_slots", "action_validate_slot_mappings"})


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def filled_slot(tracker: Tracker, slot: str) -> str:
    """A slot the form that ran before this step has filled."""
    value = tracker.get_slot(slot)
    if value is None:
        raise LookupError(f"slot {slot} is empty: this step runs only after its form filled it")
    return str(value)


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def latest_entities(tracker: Tracker, entity: str) -> list[str]:
    """Values NLU found for ``entity`` in the latest message, in order."""
    return [str(v) for v in tracker.get_latest_entity_values(entity)]


def intent_of(event: Event) -> str | None:
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def user_messages(tracker: Tracker) -> Iterator[Event]:
    """The customer's messages, newest first."""
    return (event for event in reversed(tracker.events) if event.get("event") == "user")


def previous_user_message(tracker: Tracker) -> Event | None:
    """The customer's message before the latest one."""
    messages = user_messages(tracker)
    next(messages, None)
    return next(messages, None)


def latest_metadata(tracker: Tracker) -> dict[str, Any]:
    """The channel metadata of the latest message (or of the last one that had any)."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    if metadata:
        return metadata
    return next((m.get("metadata") for m in user_messages(tracker) if m.get("metadata")), {}) or {}


def answered_by(events: list[Event], index: int) -> str | None:
    """The first action after ``events[index]`` that is not Rasa's bookkeeping."""
    for event in events[index + 1 :]:
        if event.get("event") == "action" and event.get("name") not in BOOKKEEPING_ACTIONS:
            return event.get("name")
    return None


def turns(tracker: Tracker) -> list[tuple[Event, list[Event]]]:
    """(customer message, the events that followed it), oldest first."""
    out: list[tuple[Event, list[Event]]] = []
    for event in tracker.events:
        if event.get("event") == "user":
            out.append((event, []))
        elif out:
            out[-1][1].append(event)
    return out


def actions_of(events: list[Event]) -> list[str]:
    return [e["name"] for e in events if e.get("event") == "action" and e.get("name") not in BOOKKEEPING_ACTIONS]


def asked_again(tracker: Tracker, slot: str) -> bool:
    """Whether the customer's latest message was an answer for ``slot`` that did not do.

    True when the slot was set or cleared since that message, unless the form only
    started with it (a bare "我要投诉" is the request, not a poor answer).
    """
    touched = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return touched
        if event.get("event") == "active_loop" and event.get("name"):
            return False
        if event.get("event") == "slot" and event.get("name") == slot:
            touched = True
    return touched


def slot_set_in_previous_turn(tracker: Tracker, slot: str) -> Any:
    """The value the bot's previous turn gave ``slot`` (None when it did not set it).

    An offer ("需要转人工吗？") lasts one turn: it counts only if the turn before the
    customer's latest message made it.
    """
    users_seen = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen == 2:
                return None
        elif event.get("event") == "slot" and event.get("name") == slot and users_seen == 1:
            return event.get("value")
    return None


def slot_before_latest_message(tracker: Tracker, slot: str) -> Any:
    """The value ``slot`` had when the customer sent the latest message.

    Rasa fills slots from the message's entities before a form validates them; when
    such a value turns out not to be one, the validator restores this one.
    """
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
        elif seen_user and event.get("event") in ("restart", "session_started"):
            return None
    return None


def consecutive_answers_by(tracker: Tracker, action: str) -> int:
    """Customer messages in a row, the latest included, that ``action`` answered.

    The latest message counts as answered by ``action`` (the caller is that action).
    """
    history = turns(tracker)
    count = 1
    for _, after in reversed(history[:-1]):
        if next(iter(actions_of(after)), None) != action:
            break
        count += 1
    return count


def last_answer_among(tracker: Tracker, names: frozenset[str] | tuple[str, ...]) -> str | None:
    """Which of ``names`` answered the customer's previous message, if one did."""
    history = turns(tracker)
    if len(history) < 2:
        return None
    return next((a for a in actions_of(history[-2][1]) if a in names), None)


def topic_intent(tracker: Tracker, control_intents: frozenset[str]) -> str | None:
    """The customer's most recent substantive intent (not 好的, 转人工, a bare value…)."""
    latest = None
    for event in user_messages(tracker):
        name = intent_of(event)
        latest = latest or name
        if name and name not in control_intents:
            return name
    return latest


def text_of_latest(tracker: Tracker, intent: str) -> str | None:
    """The words of the customer's latest message with this intent."""
    return next((e.get("text") for e in user_messages(tracker) if intent_of(e) == intent), None)


def texts_since(tracker: Tracker, action: str) -> list[str]:
    """The customer's messages from the one ``action`` last answered, oldest first:
    the request that started a task and every answer since."""
    texts: list[str] = []
    started = False
    for event in reversed(tracker.events):
        if event.get("event") == "action" and event.get("name") == action:
            started = True
        elif event.get("event") == "user" and event.get("text"):
            texts.append(event["text"])
            if started:
                return texts[::-1]
    return [latest_text(tracker)] if latest_text(tracker) else []


_TICKET = re.compile(r"GD\s*(?:\d\s*){12}")


def tickets_told(tracker: Tracker) -> list[str]:
    """Work-order numbers the bot gave in this conversation, oldest first
    (「刚才的报修单号多少来着」 asks for the last of them)."""
    told: list[str] = []
    for event in tracker.events:
        if event.get("event") == "bot":
            for match in _TICKET.findall(event.get("text") or ""):
                ticket = re.sub(r"\s+", "", match)
                if ticket not in told:
                    told.append(ticket)
    return told
