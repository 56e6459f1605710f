"""The state machine's table, the queue's order and waits, and the desk's clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from integrations.conversations.queue import eta_s, ordered, wait_words
from integrations.conversations.states import ALLOWED, IllegalTransition, State, transition
from integrations.models import Conversation, ConversationEvent

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


class Recorder:
    def __init__(self) -> None:
        self.added: list[object] = []

    def add(self, item: object) -> None:
        self.added.append(item)


@pytest.mark.parametrize("current", list(State))
@pytest.mark.parametrize("target", list(State))
def test_transition_follows_the_table_and_records_each_move(current: State, target: State) -> None:
    conversation = Conversation(id=1, state=current.value)
    session = Recorder()
    if target in ALLOWED[current]:
        transition(session, conversation, target, "agent:agent01", "claim")  # type: ignore[arg-type]
        (event,) = session.added
        assert isinstance(event, ConversationEvent)
        assert (event.from_state, event.to_state, event.actor) == (current.value, target.value, "agent:agent01")
        assert conversation.state == target.value
    else:
        with pytest.raises(IllegalTransition):
            transition(session, conversation, target, "system", "x")  # type: ignore[arg-type]
        assert conversation.state == current.value and session.added == []


def waiting(id_: int, priority: int, minutes: float) -> Conversation:
    return Conversation(id=id_, priority=priority, queued_at=NOW - timedelta(minutes=minutes), state="queued")


def test_priority_first_then_longest_wait_and_the_sla_moves_a_long_wait_up() -> None:
    queue = [waiting(1, 3, 1), waiting(2, 1, 0.5), waiting(3, 0, 0.1), waiting(4, 3, 1.5)]
    assert [w.conversation.id for w in ordered(queue, NOW, sla_wait_s=600)] == [3, 2, 4, 1]
    late = [waiting(1, 2, 0.5), waiting(2, 3, 11)]  # waited past a 10-minute SLA: now level 2, and older
    rows = ordered(late, NOW, sla_wait_s=600)
    assert [w.conversation.id for w in rows] == [2, 1] and rows[0].sla_breached and not rows[1].sla_breached


def test_estimated_wait_and_its_words() -> None:
    assert eta_s(1, 2, 240) == 0 and eta_s(3, 2, 240) == 240 and eta_s(3, 0, 240) == 480
    assert wait_words(1, 0) == "您是下一位，客服马上为您接入。"
    assert wait_words(3, 480) == "您前面还有2位客户，预计等待约8分钟。"


def test_a_claim_nobody_answers_goes_back_to_the_queue(hub) -> None:
    h = hub(lambda body: [{"custom": {"handoff": {"reason": "requested"}}}], claim_timeout_s=0)
    agent = h.login()
    h.say("转人工")
    conversation = h.desk.store.open("web", "u1").id
    agent.call("POST", f"/api/console/conversations/{conversation}/claim")
    h.client.portal.call(h.desk.supervise)
    assert h.desk.store.get(conversation).state == "queued"
    assert h.desk.store.events(conversation)[-1].reason == "claim_timeout"
    assert "重新安排客服" in h.desk.store.transcript(conversation)[-1].text


def test_waiting_customers_hear_a_changed_position_at_most_once_a_minute(hub) -> None:
    h = hub(lambda body: [{"custom": {"handoff": {"reason": "requested"}}}], announce_every_s=60)
    agent = h.login()
    h.say("转人工", sender="first")
    h.say("转人工", sender="second")
    second = h.desk.store.open("web", "second").id
    agent.call("POST", f"/api/console/conversations/{h.desk.store.open('web', 'first').id}/claim")
    told = len(h.desk.store.transcript(second))
    h.client.portal.call(h.desk.supervise)  # position changed 2 -> 1, but it was told less than a minute ago
    assert len(h.desk.store.transcript(second)) == told
    h.desk.settings.announce_every_s = 0
    h.client.portal.call(h.desk.supervise)
    assert h.desk.store.transcript(second)[-1].text == "您是下一位，客服马上为您接入。"
    h.client.portal.call(h.desk.supervise)  # unchanged: said once
    assert len(h.desk.store.transcript(second)) == told + 1
