"""Rasa's in-memory tracker store, also remembering the intent of each conversation's
latest message as it saves the tracker, for the hub channel to answer with.

Reading the intent back from a stored tracker means deserialising and replaying the whole
conversation (milliseconds, growing with its length); remembering it at save time, from
the tracker already in memory, costs nothing. A deployment on a SQL or Redis tracker store
(several Rasa replicas) puts the same ``save`` on that class.
"""

from __future__ import annotations

from typing import Any, Text

from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker


class IntentRecordingTrackerStore(InMemoryTrackerStore):
    def __init__(self, *args: Any, host: Text | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.latest_intents: dict[Text, Text | None] = {}  # read once by the hub channel

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        message = tracker.latest_message
        self.latest_intents[tracker.sender_id] = (message.intent or {}).get("name") if message else None


def recording_store(store: Any) -> IntentRecordingTrackerStore | None:
    """The recording store inside Rasa's wrappers (fail-safe, awaitable), if one is configured."""
    while store is not None and not isinstance(store, IntentRecordingTrackerStore):
        store = getattr(store, "_tracker_store", None)
    return store
