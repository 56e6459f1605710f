"""The conversation store: every turn of every conversation, and its routing state."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from integrations.models import Conversation, Message


class ConversationStore:
    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions

    def open(self, channel: str, external_id: str) -> Conversation:
        """The conversation of this channel user; a closed one starts again with the bot."""
        with self._sessions.begin() as session:
            return self._open(session, channel, external_id)

    def receive(self, channel: str, external_id: str, text: str, payload: dict[str, Any] | None = None) -> Conversation:
        """Open the user's conversation and store their message, in one transaction (one
        commit per customer message, not two)."""
        with self._sessions.begin() as session:
            conversation = self._open(session, channel, external_id)
            session.add(Message(conversation_id=conversation.id, author="customer", text=text, payload=payload))
            return conversation

    def add_many(self, conversation_id: int, author: str, items: list[tuple[str, dict[str, Any] | None]]) -> None:
        """Several messages of one author (a bot turn's replies) in one transaction."""
        with self._sessions.begin() as session:
            session.add_all(
                Message(conversation_id=conversation_id, author=author, text=text, payload=payload)
                for text, payload in items
            )

    def hand_over(self, conversation_id: int, reason: str, context: dict[str, Any]) -> None:
        """bot → queued: the conversation waits for an agent, with what the agent needs."""
        with self._sessions.begin() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is not None and conversation.state == "bot":
                conversation.state = "queued"
                conversation.handoff_reason = reason
                conversation.handoff_context = context

    def transcript(self, conversation_id: int) -> list[Message]:
        with self._sessions() as session:
            rows = session.scalars(
                select(Message).where(Message.conversation_id == conversation_id).order_by(Message.id)
            )
            return list(rows)

    def _open(self, session: Session, channel: str, external_id: str) -> Conversation:
        conversation = self._find(session, channel, external_id)
        if conversation is None:
            conversation = Conversation(channel=channel, external_id=external_id, state="bot")
            session.add(conversation)
        elif conversation.state == "closed":
            conversation.state = "bot"
            conversation.handoff_reason = None
            conversation.handoff_context = None
        session.flush()
        session.expunge(conversation)
        return conversation

    @staticmethod
    def _find(session: Session, channel: str, external_id: str) -> Conversation | None:
        return session.scalar(
            select(Conversation).where(Conversation.channel == channel, Conversation.external_id == external_id)
        )
