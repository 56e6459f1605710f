"""The tracker store remembers each turn's intent for the hub channel, through Rasa's wrappers."""

from __future__ import annotations

import asyncio

from rasa.core.tracker_store import FailSafeTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.stores import IntentRecordingTrackerStore, recording_store


def test_saving_a_turn_remembers_its_intent_and_the_store_is_found_inside_the_wrapper() -> None:
    store = IntentRecordingTrackerStore(domain=Domain.empty())
    tracker = DialogueStateTracker("web:u1", slots=[])
    tracker.update(UserUttered("上个月电费多少", intent={"name": "query_bill", "confidence": 0.9}))
    asyncio.run(store.save(tracker))
    assert store.latest_intents == {"web:u1": "query_bill"}
    assert recording_store(FailSafeTrackerStore(store)) is store
    assert recording_store(object()) is None
