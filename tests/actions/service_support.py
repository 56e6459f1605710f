"""Helpers for the service-request tests (no tests here): the whole domain, and a
customer answering a service form the way Rasa hands the answer to the validator."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
import yaml
from rasa_sdk import Action
from rasa_sdk.executor import CollectingDispatcher

from tests.actions import support
from tests.actions.support import REPO_ROOT, Conversation, Result


def _whole_domain() -> dict[str, Any]:
    """bot/domain/*.yml merged as Rasa merges them (slots, forms and actions of every file)."""
    merged: dict[str, Any] = {"slots": {}, "forms": {}, "actions": [], "responses": {}}
    for path in sorted((REPO_ROOT / "bot" / "domain").glob("*.yml")):
        part = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("slots", "forms", "responses"):
            merged[key].update(part.get(key) or {})
        merged["actions"] += part.get("actions") or []
    return merged


DOMAIN = _whole_domain()
# What action_extract_slots fills from entities, outside any form condition.
ENTITY_SLOTS = {"phone": "contact_phone", "address": "service_address"}


@pytest.fixture(autouse=True)
def whole_domain(monkeypatch: pytest.MonkeyPatch) -> None:
    """The actions see the service forms too (support.DOMAIN is bot/domain/core.yml alone)."""
    monkeypatch.setattr(support, "DOMAIN", DOMAIN)


def said(conversation: Conversation, text: str, intent: str = "inform", **entities: str) -> Conversation:
    """A customer message, with the slots Rasa fills from its entities."""
    conversation.user(text, intent, entities)
    return conversation.set(**{ENTITY_SLOTS[k]: v for k, v in entities.items() if k in ENTITY_SLOTS})


def answer(
    conversation: Conversation, validator: Action, slot: str, text: str, intent: str = "inform", **entities: str
) -> Result:
    """The form asked for ``slot``; the customer replies and Rasa runs the form's validator."""
    conversation.set(requested_slot=slot)
    return said(conversation, text, intent, **entities).run(validator)


def activate(conversation: Conversation, validator: Action, task: str) -> Result:
    """The form starts for ``task`` (as after action_start_request): Rasa runs its validator once."""
    form = validator.form  # type: ignore[attr-defined]
    conversation.loop = form.name
    conversation.set(service_task=task, requested_slot=None)
    # Rasa hands the values already known to the validator as candidates
    conversation.set(**{s: conversation.slots[s] for s in form.slots if conversation.slots.get(s) is not None})
    return conversation.run(validator)


def still_needed(conversation: Conversation, validator: Action) -> list[str]:
    """The slots the form would still ask for, in order (after dynamic skipping)."""
    form = validator.form  # type: ignore[attr-defined]
    wanted = asyncio.run(
        validator.required_slots(list(form.slots), CollectingDispatcher(), conversation.tracker(), DOMAIN)  # type: ignore[attr-defined]
    )
    return [slot for slot in wanted if conversation.slots.get(slot) is None]
