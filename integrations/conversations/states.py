"""The conversation's state machine: the single source of truth of who answers it.

``bot → queued → agent → bot | closed``, as Chatwoot keeps a status per conversation.
Every change goes through :func:`transition`, which refuses moves the table does not
allow and records who made the move and why, so a dispute ("I waited 20 minutes")
can be answered from the events.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.orm import Session

from integrations.models import Conversation, ConversationEvent, utcnow


class State(StrEnum):
    BOT = "bot"  # the bot answers
    QUEUED = "queued"  # waiting for an agent
    AGENT = "agent"  # an agent holds it
    CLOSED = "closed"  # resolved by an agent, or the caller hung up; the next message starts again with the bot


ALLOWED: dict[State, frozenset[State]] = {
    # closed: the caller hung up (voice), nobody is left to answer
    State.BOT: frozenset({State.QUEUED, State.CLOSED}),
    # back to the bot when the customer stops waiting or no agent can take it;
    # closed when the caller hung up while waiting
    State.QUEUED: frozenset({State.AGENT, State.BOT, State.CLOSED}),
    # back to the queue when the agent who claimed it does not answer
    State.AGENT: frozenset({State.BOT, State.CLOSED, State.QUEUED}),
    State.CLOSED: frozenset({State.BOT}),
}


class IllegalTransition(Exception):
    """A move the state machine does not allow, e.g. claiming a conversation the bot has."""

    def __init__(self, current: str, target: State) -> None:
        super().__init__(f"conversation is {current}, cannot move to {target}")
        self.current, self.target = current, target


def transition(session: Session, conversation: Conversation, target: State, actor: str, reason: str) -> ConversationEvent:
    """Move ``conversation`` to ``target`` and record the event, in the caller's transaction."""
    current = State(conversation.state)
    if target not in ALLOWED[current]:
        raise IllegalTransition(current, target)
    conversation.state = target.value
    event = ConversationEvent(
        conversation_id=conversation.id, from_state=current.value, to_state=target.value,
        actor=actor, reason=reason, created_at=utcnow(),
    )
    session.add(event)
    return event
