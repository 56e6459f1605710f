"""The conversation store: every turn of every conversation, its state and hand-over data.

Synchronous SQLAlchemy, one short transaction per call; the async layers call it in a
thread pool. State changes go through conversations.states.transition only.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from integrations.conversations.handoff import HandoffRequest
from integrations.conversations.states import IllegalTransition, State, transition
from integrations.models import (
    AgentSession,
    Conversation,
    ConversationEvent,
    KbCandidate,
    Message,
    Note,
    Rating,
    utcnow,
)

Item = tuple[str, dict[str, Any] | None]  # (text, payload) of one message


class ConversationStore:
    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions

    # -- customer side -------------------------------------------------------------

    def open(self, channel: str, external_id: str) -> Conversation:
        """The conversation of this channel user (created on first contact)."""
        with self._sessions.begin() as session:
            return self._detached(session, self._open(session, channel, external_id))

    def find(self, channel: str, external_id: str) -> Conversation | None:
        with self._sessions() as session:
            conversation = self._find(session, channel, external_id)
            return self._detached(session, conversation) if conversation else None

    def receive(
        self, channel: str, external_id: str, text: str, payload: dict[str, Any] | None = None
    ) -> tuple[Conversation, Message]:
        """Open the user's conversation and store their message, in one transaction (one
        commit per customer message, not two). A closed conversation goes back to the bot,
        unless the message is the rating it was asked for (the caller decides that)."""
        with self._sessions.begin() as session:
            conversation = self._open(session, channel, external_id)
            message = Message(conversation_id=conversation.id, author="customer", text=text, payload=payload)
            session.add(message)
            session.flush()
            return self._detached(session, conversation), self._detached(session, message)

    def reopen(self, conversation_id: int) -> Conversation:
        """closed → bot: the customer writes again after a resolved conversation."""
        with self._sessions.begin() as session:
            conversation = self._get(session, conversation_id)
            if conversation.state == State.CLOSED:
                transition(session, conversation, State.BOT, "customer", "new_message")
                conversation.csat_pending = False
                conversation.handoff_reason = conversation.handoff_context = conversation.summary = None
            return self._detached(session, conversation)

    def add_many(
        self, conversation_id: int, author: str, items: list[Item], agent_name: str | None = None
    ) -> list[Message]:
        """Several messages of one author (a bot turn's replies) in one transaction."""
        with self._sessions.begin() as session:
            rows = [
                Message(conversation_id=conversation_id, author=author, text=text, payload=payload, agent_name=agent_name)
                for text, payload in items
            ]
            session.add_all(rows)
            if author == "agent":
                conversation = self._get(session, conversation_id)
                conversation.agent_replied_at = utcnow()
            session.flush()
            return [self._detached(session, row) for row in rows]

    def add_bot_turn(
        self, conversation_id: int, items: list[Item], customer_message_id: int, intent: str | None
    ) -> tuple[list[Message], int]:
        """The bot's replies to one customer message, the intent NLU read in that message,
        and how many turns in a row (this one included) the bot has said exactly this: one
        transaction for all three."""
        with self._sessions.begin() as session:
            if intent:
                session.execute(update(Message).where(Message.id == customer_message_id).values(intent=intent[:64]))
            rows = [Message(conversation_id=conversation_id, author="bot", text=text, payload=payload)
                    for text, payload in items]
            session.add_all(rows)
            conversation = self._get(session, conversation_id)
            said = hashlib.sha1("\n".join(text for text, _ in items).encode()).hexdigest()
            repeats = conversation.bot_repeats + 1 if said == conversation.last_bot_turn else 1
            conversation.last_bot_turn, conversation.bot_repeats = said, repeats
            session.flush()
            return [self._detached(session, row) for row in rows], repeats

    def transcript(self, conversation_id: int) -> list[Message]:
        return self.messages_after(conversation_id, 0)

    def messages_after(self, conversation_id: int, after: int, limit: int = 500) -> list[Message]:
        with self._sessions() as session:
            rows = session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation_id, Message.id > after)
                .order_by(Message.id)
                .limit(limit)
            )
            return list(rows)

    def recent(self, conversation_id: int, limit: int = 30) -> list[Message]:
        """The last ``limit`` messages, oldest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id.desc()).limit(limit)
            )
            return list(reversed(list(rows)))

    def get(self, conversation_id: int) -> Conversation | None:
        with self._sessions() as session:
            conversation = session.get(Conversation, conversation_id)
            return self._detached(session, conversation) if conversation else None

    # -- hand-over -----------------------------------------------------------------

    def enqueue(self, conversation_id: int, request: HandoffRequest, account_no: str | None, actor: str) -> Conversation:
        """bot → queued, with what the agent needs; a conversation already queued keeps its place."""
        with self._sessions.begin() as session:
            conversation = self._get(session, conversation_id)
            if conversation.state == State.BOT:
                transition(session, conversation, State.QUEUED, actor, request.reason.value)
                conversation.handoff_reason = request.reason.value
                conversation.handoff_context = request.model_dump(mode="json")
                conversation.priority = request.priority
                conversation.account_no = account_no or conversation.account_no
                conversation.queued_at = utcnow()
                conversation.announced_position = conversation.announced_at = None
                conversation.agent_username = conversation.agent_name = None
            return self._detached(session, conversation)

    def file_under(self, conversation_id: int, account_no: str) -> None:
        """The customer proved this account: the conversation joins the account's history."""
        with self._sessions.begin() as session:
            self._get(session, conversation_id).account_no = account_no

    def history(self, account_no: str, exclude: int, limit: int = 10) -> list[Conversation]:
        """The account's other conversations, on any channel, newest first."""
        with self._sessions() as session:
            rows = session.scalars(
                select(Conversation)
                .where(Conversation.account_no == account_no, Conversation.id != exclude)
                .order_by(Conversation.id.desc())
                .limit(limit)
            )
            return list(rows)

    def set_summary(self, conversation_id: int, summary: str) -> None:
        with self._sessions.begin() as session:
            self._get(session, conversation_id).summary = summary

    def claim(self, conversation_id: int, username: str, display_name: str) -> bool:
        """queued → agent for exactly one agent: a conditional UPDATE, atomic on SQLite and
        PostgreSQL alike, so two agents clicking at once cannot both win."""
        with self._sessions.begin() as session:
            now = utcnow()
            won = session.execute(
                update(Conversation)
                .where(Conversation.id == conversation_id, Conversation.state == State.QUEUED.value)
                .values(state=State.AGENT.value, agent_username=username, agent_name=display_name,
                        claimed_at=now, agent_replied_at=None, updated_at=now)
            ).rowcount == 1
            if won:
                session.add(ConversationEvent(
                    conversation_id=conversation_id, from_state=State.QUEUED.value, to_state=State.AGENT.value,
                    actor=f"agent:{username}", reason="claim", created_at=now,
                ))
            return won

    def move(self, conversation_id: int, target: State, actor: str, reason: str, holder: str | None = None) -> Conversation:
        """A transition other than enqueue and claim. ``holder``: only the agent holding the
        conversation may make it (IllegalTransition otherwise)."""
        with self._sessions.begin() as session:
            conversation = self._get(session, conversation_id)
            if holder is not None and conversation.agent_username != holder:
                raise IllegalTransition(conversation.state, target)
            transition(session, conversation, target, actor, reason)
            if target == State.QUEUED:  # lost by an agent who did not answer: back in line, keeps its wait
                conversation.agent_username = conversation.agent_name = conversation.claimed_at = None
                conversation.announced_position = None
            if target == State.CLOSED:
                conversation.csat_pending = True
            return self._detached(session, conversation)

    def hang_up(self, conversation_id: int) -> Conversation | None:
        """→ closed because the caller hung up: unlike an agent's resolve, nobody is left to
        rate the service, so no rating is asked. None when it was closed already (jambonz
        reports every call's end, also of a call an agent resolved)."""
        with self._sessions.begin() as session:
            conversation = self._get(session, conversation_id)
            if conversation.state == State.CLOSED:
                return None
            transition(session, conversation, State.CLOSED, "customer", "hangup")
            return self._detached(session, conversation)

    def queued(self) -> list[Conversation]:
        return self._in_state(State.QUEUED)

    def held(self) -> list[Conversation]:
        return self._in_state(State.AGENT)

    def stale_claims(self, older_than: datetime) -> list[Conversation]:
        """Claimed conversations whose agent has not written a word since ``older_than``."""
        with self._sessions() as session:
            rows = session.scalars(
                select(Conversation).where(
                    Conversation.state == State.AGENT.value,
                    Conversation.agent_replied_at.is_(None),
                    Conversation.claimed_at < older_than,
                )
            )
            return [self._detached(session, row) for row in rows]

    def announced(self, conversation_id: int, position: int) -> None:
        with self._sessions.begin() as session:
            conversation = self._get(session, conversation_id)
            conversation.announced_position, conversation.announced_at = position, utcnow()

    def events(self, conversation_id: int) -> list[ConversationEvent]:
        with self._sessions() as session:
            return list(session.scalars(
                select(ConversationEvent).where(ConversationEvent.conversation_id == conversation_id)
                .order_by(ConversationEvent.id)
            ))

    # -- agents' records ------------------------------------------------------------

    def add_note(self, conversation_id: int, agent_name: str, text: str) -> Note:
        with self._sessions.begin() as session:
            note = Note(conversation_id=conversation_id, agent_name=agent_name, text=text)
            session.add(note)
            session.flush()
            return self._detached(session, note)

    def notes(self, conversation_id: int) -> list[Note]:
        with self._sessions() as session:
            return list(session.scalars(select(Note).where(Note.conversation_id == conversation_id).order_by(Note.id)))

    def rate(self, conversation_id: int, score: int, comment: str | None) -> bool:
        """Store the customer's rating if one was asked for; False when none was."""
        with self._sessions.begin() as session:
            conversation = self._get(session, conversation_id)
            if not conversation.csat_pending:
                return False
            conversation.csat_pending = False
            session.add(Rating(conversation_id=conversation_id, agent_username=conversation.agent_username,
                               score=score, comment=comment or None))
            return True

    def rating(self, conversation_id: int) -> Rating | None:
        with self._sessions() as session:
            return session.scalar(
                select(Rating).where(Rating.conversation_id == conversation_id).order_by(Rating.id.desc()).limit(1)
            )

    def add_candidate(self, conversation_id: int, question: str, answer: str, username: str) -> KbCandidate:
        with self._sessions.begin() as session:
            row = KbCandidate(conversation_id=conversation_id, question=question, answer=answer, agent_username=username)
            session.add(row)
            session.flush()
            return self._detached(session, row)

    def agents_online(self, since: datetime) -> int:
        """Agents whose console was seen since ``since`` and whose session is still valid."""
        with self._sessions() as session:
            return session.scalar(
                select(func.count(func.distinct(AgentSession.username))).where(
                    AgentSession.last_seen >= since, AgentSession.expires_at > utcnow()
                )
            ) or 0

    # -- internals ------------------------------------------------------------------

    def _in_state(self, state: State) -> list[Conversation]:
        with self._sessions() as session:
            rows = session.scalars(select(Conversation).where(Conversation.state == state.value))
            return [self._detached(session, row) for row in rows]

    def _open(self, session: Session, channel: str, external_id: str) -> Conversation:
        """Find or create; two first contacts at once (the widget's socket and its first
        message) both end with the one row the unique constraint let through."""
        conversation = self._find(session, channel, external_id)
        if conversation is not None:
            return conversation
        try:
            with session.begin_nested():
                conversation = Conversation(channel=channel, external_id=external_id, state=State.BOT.value,
                                            priority=3, bot_repeats=0, csat_pending=False)
                session.add(conversation)
            return conversation
        except IntegrityError:
            found = self._find(session, channel, external_id)
            assert found is not None
            return found

    @staticmethod
    def _get(session: Session, conversation_id: int) -> Conversation:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None:
            raise LookupError(f"no conversation {conversation_id}")
        return conversation

    @staticmethod
    def _detached(session: Session, row: Any) -> Any:
        """The row, flushed (ids and defaults set) and free of the session, without reading it back."""
        session.flush()
        session.expunge(row)
        return row

    @staticmethod
    def _find(session: Session, channel: str, external_id: str) -> Conversation | None:
        return session.scalar(
            select(Conversation).where(Conversation.channel == channel, Conversation.external_id == external_id)
        )


def since(seconds: float) -> datetime:
    return utcnow() - timedelta(seconds=seconds)
