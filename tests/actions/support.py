"""Building conversations for action tests the way Rasa hands them to the action server."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.kernel import clock
from backend_core.core.clock import Clock

REPO_ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=clock.LOCAL_TZ)  # a Saturday morning, agents on duty
DOMAIN = yaml.safe_load((REPO_ROOT / "bot" / "domain" / "core.yml").read_text(encoding="utf-8"))

# Demo customers (../shared/spec/demo_customers.yml): account → last 4 digits of the phone.
ZHANG_SAN, LI_SI, WANG_WU, ZHAO_LIU, QIAN_QI, SUN_BA, SHOP = (
    "3300012345", "3300012346", "3300012347", "3300012348", "3300012349", "3301100056789", "3300067890",
)
LAST4 = {ZHANG_SAN: "8000", LI_SI: "9001", WANG_WU: "7002", ZHAO_LIU: "6003", QIAN_QI: "5004", SUN_BA: "5005", SHOP: "2006"}


def off_hours(monkeypatch: pytest.MonkeyPatch) -> None:
    """Move the bot's clock to 22:30, when no agent is on duty."""
    monkeypatch.setattr(clock, "pinned", NOW.replace(hour=22, minute=30))


@dataclass
class Result:
    """What one action did: the messages the customer sees and the events it returned."""

    messages: list[dict[str, Any]]
    events: list[dict[str, Any]]

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.messages)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [b for m in self.messages for b in m.get("buttons") or []]

    @property
    def custom(self) -> list[dict[str, Any]]:
        return [m["custom"] for m in self.messages if m.get("custom")]

    def slot(self, name: str, default: Any = "<unset>") -> Any:
        values = [e.get("value") for e in self.events if e.get("event") == "slot" and e.get("name") == name]
        return values[-1] if values else default

    @property
    def followup(self) -> str | None:
        names = [e.get("name") for e in self.events if e.get("event") == "followup"]
        return names[-1] if names else None


def run_on(action: Action, tracker: Tracker) -> Result:
    """Run ``action`` once on a fixed tracker."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return Result(dispatcher.messages, events)


@dataclass
class Conversation:
    """A conversation as Rasa would hand it to the action server, built turn by turn."""

    channel: str = "web"
    sender: str = field(default_factory=lambda: f"test-{uuid.uuid4().hex[:10]}")
    events: list[dict[str, Any]] = field(default_factory=lambda: [{"event": "action", "name": "action_listen"}])
    slots: dict[str, Any] = field(
        default_factory=lambda: {name: spec.get("initial_value") for name, spec in DOMAIN["slots"].items()}
    )
    loop: str | None = None

    def user(
        self,
        text: str,
        intent: str = "inform",
        entities: dict[str, str] | None = None,
        ranking: list[tuple[str, float]] | None = None,
    ) -> Conversation:
        parse = {
            "text": text,
            "intent": {"name": intent, "confidence": 1.0 if ranking is None else ranking[0][1]},
            "intent_ranking": [{"name": n, "confidence": c} for n, c in (ranking or [(intent, 1.0)])],
            "entities": [{"entity": k, "value": v} for k, v in (entities or {}).items()],
            "message_id": uuid.uuid4().hex,
            "metadata": {"channel": self.channel},
        }
        self.events.append(
            {
                "event": "user",
                "text": text,
                "parse_data": parse,
                "metadata": {"channel": self.channel},
                "message_id": parse["message_id"],
            }
        )
        return self

    def set(self, **slots: Any) -> Conversation:
        for name, value in slots.items():
            self.slots[name] = value
            self.events.append({"event": "slot", "name": name, "value": value})
        return self

    def tracker(self) -> Tracker:
        latest: dict[str, Any] = next((e["parse_data"] for e in reversed(self.events) if e["event"] == "user"), {})
        return Tracker(
            self.sender, dict(self.slots), latest, list(self.events), False, None,
            {"name": self.loop} if self.loop else {}, "action_listen",
        )

    def run(self, action: Action) -> Result:
        """Run ``action`` on the conversation so far and apply what it returned."""
        result = run_on(action, self.tracker())
        self.events.append({"event": "action", "name": action.name()})
        for event in result.events:
            self.events.append(event)
            if event.get("event") == "slot":
                self.slots[event["name"]] = event.get("value")
            elif event.get("event") == "active_loop":
                self.loop = event.get("name")
        return result

    def answer_form(self, form_validator: Action, slot: str, text: str, **entities: str) -> Result:
        """The customer answers the form's question for ``slot``; Rasa calls the validator."""
        self.set(requested_slot=slot)
        self.user(text, "inform", entities)
        mapped = {name: v for k, v in entities.items() if (name := DOMAIN_ENTITY_SLOT.get(k))}
        self.set(**mapped)
        return self.run(form_validator)


# Entity → slot mappings that apply while the identity form asks (as action_extract_slots does).
DOMAIN_ENTITY_SLOT = {"account_no": "account_no", "phone_last4": "phone_last4", "phone": "callback_phone"}


def verified(conversation: Conversation, account_no: str) -> Conversation:
    """A conversation whose customer has already passed the identity check."""
    return conversation.set(verified_account=account_no, account_no=account_no)


def later(core_clock: Clock, minutes: int) -> None:
    core_clock.advance(timedelta(minutes=minutes))
