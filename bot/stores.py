"""Rasa's in-memory tracker store, also remembering the intent of each conversation's
latest message as it saves the tracker, for the hub channel to answer with, and writing
each saved tracker through to a SQLite file so a restarted Rasa continues every
conversation where it was.

Reading the intent back from a stored tracker means deserialising and replaying the whole
conversation (milliseconds, growing with its length); remembering it at save time, from
the tracker already in memory, costs nothing. A deployment on a SQL or Redis tracker store
(several Rasa replicas) puts the same ``save`` on that class.

The file (``RASA_TRACKER_DB``; `make run` sets var/rasa-trackers.db, unset = memory only)
holds one row per conversation: the same serialised tracker the memory holds, replaced at
every save (one small write per turn). Memory stays the fast path; the file is read only
for a conversation memory does not have, i.e. after a restart or a crash (the respawn
wrapper starts Rasa again, docs/architecture.md 43).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Text

from rasa.core.tracker_store import InMemoryTrackerStore, SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

TRACKER_DB_VARIABLE = "RASA_TRACKER_DB"


class TrackerFile:
    """Serialised trackers by conversation id in one SQLite file (WAL: a crash mid-write
    loses at most that write, never the file)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute("CREATE TABLE IF NOT EXISTS trackers (sender_id TEXT PRIMARY KEY, dump TEXT NOT NULL)")

    def put(self, sender_id: Text, dump: Text) -> None:
        self._db.execute("INSERT OR REPLACE INTO trackers (sender_id, dump) VALUES (?, ?)", (sender_id, dump))

    def get(self, sender_id: Text) -> Text | None:
        row = self._db.execute("SELECT dump FROM trackers WHERE sender_id = ?", (sender_id,)).fetchone()
        return row[0] if row else None

    def keys(self) -> list[Text]:
        return [row[0] for row in self._db.execute("SELECT sender_id FROM trackers")]


class IntentRecordingTrackerStore(InMemoryTrackerStore):
    def __init__(self, *args: Any, host: Text | None = None, path: Text | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.latest_intents: dict[Text, Text | None] = {}  # read once by the hub channel
        path = path if path is not None else os.environ.get(TRACKER_DB_VARIABLE, "")
        self.file = TrackerFile(Path(path)) if path else None

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        if self.file is not None:
            self.file.put(tracker.sender_id, self.store[tracker.sender_id])
        self.latest_intents[tracker.sender_id] = latest_intent(tracker)

    async def _retrieve(self, sender_id: Text, fetch_all_sessions: bool) -> DialogueStateTracker | None:
        if sender_id not in self.store and self.file is not None and (dump := self.file.get(sender_id)) is not None:
            self.store[sender_id] = dump
        return await super()._retrieve(sender_id, fetch_all_sessions)

    async def keys(self) -> Iterable[Text]:
        if self.file is None:
            return await super().keys()
        return sorted(set(self.store) | set(self.file.keys()))


def latest_intent(tracker: DialogueStateTracker) -> Text | None:
    message = tracker.latest_message
    return (message.intent or {}).get("name") if message else None


class IntentRecordingSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQL tracker store (PostgreSQL when replicas share the conversations, as in
    `make run-scaled`), remembering each turn's intent like the store above. The replica
    that handles a turn is the one the hub channel asks, so its own memory suffices."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.latest_intents: dict[Text, Text | None] = {}

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        self.latest_intents[tracker.sender_id] = latest_intent(tracker)


RecordingStore = IntentRecordingTrackerStore | IntentRecordingSQLTrackerStore


def recording_store(store: Any) -> RecordingStore | None:
    """The recording store inside Rasa's wrappers (fail-safe, awaitable), if one is configured."""
    while store is not None and not isinstance(store, (IntentRecordingTrackerStore, IntentRecordingSQLTrackerStore)):
        store = getattr(store, "_tracker_store", None)
    return store
