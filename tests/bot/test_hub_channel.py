"""The tracker store remembers each turn's intent for the hub channel, through Rasa's wrappers, and
keeps every tracker in its file; the hub channel ends a turn the action server cannot run."""

from __future__ import annotations

import asyncio

from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
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


def test_a_saved_tracker_outlives_the_process_in_the_tracker_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Rasa restarted (a new store on the same file) continues the conversation."""
    from rasa.shared.core.events import SlotSet

    path = tmp_path / "trackers.db"
    before = IntentRecordingTrackerStore(domain=Domain.empty(), path=str(path))
    tracker = DialogueStateTracker("web:u2", slots=[])
    tracker.update(UserUttered("3300012345", intent={"name": "inform", "confidence": 0.9}))
    tracker.update(SlotSet("verified_account", "3300012345"))
    asyncio.run(before.save(tracker))

    after = IntentRecordingTrackerStore(domain=Domain.empty(), path=str(path))
    restored = asyncio.run(after.retrieve("web:u2"))
    assert restored is not None and [e.as_dict() for e in restored.events] == [e.as_dict() for e in tracker.events]
    assert list(asyncio.run(after.keys())) == ["web:u2"]
    assert asyncio.run(after.retrieve("web:nobody")) is None
    # without a file (unset RASA_TRACKER_DB) it is memory only, as before
    assert IntentRecordingTrackerStore(domain=Domain.empty(), path="").file is None


def test_an_unreachable_action_server_ends_a_hub_turn_and_nothing_else() -> None:
    """On the hub channel's turns a connection failure gets past Rasa's ``except
    Exception`` (the processor would drop the action's events and carry on); elsewhere,
    and for an action server that answers with an error, Rasa's behaviour is unchanged."""
    from rasa.shared.exceptions import RasaException
    from rasa.utils.endpoints import EndpointConfig

    from bot.channels.hub import ActionServerUnreachable, _hub_turn
    from scripts.ports import free_port

    action = RemoteAction("action_show_bill", EndpointConfig(url=f"http://127.0.0.1:{free_port()}/webhook"))
    tracker = DialogueStateTracker("web:u3", slots=[])

    async def as_rasa_runs_it(hub_turn: bool) -> str:
        token = _hub_turn.set(hub_turn)
        try:
            await action.run(CollectingOutputChannel(), None, tracker, Domain.empty())
        except Exception as exc:  # what MessageProcessor._run_action does
            return type(exc).__name__
        except ActionServerUnreachable:
            return "ended"
        finally:
            _hub_turn.reset(token)
        return "ran"

    assert asyncio.run(as_rasa_runs_it(hub_turn=True)) == "ended"
    assert asyncio.run(as_rasa_runs_it(hub_turn=False)) == RasaException.__name__
