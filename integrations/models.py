"""The hub's own records: conversations and their messages.

The hub owns the conversation (ARCHITECTURE.md, decision 2): whoever answers it, bot or
agent, every turn is stored here, so a hand-over carries the whole transcript.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    pass


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))  # web | wechat | voice
    external_id: Mapped[str] = mapped_column(String(128))  # the channel's user or call id
    state: Mapped[str] = mapped_column(String(16), default="bot")  # bot | queued | agent | closed
    handoff_reason: Mapped[str | None] = mapped_column(String(32))
    handoff_context: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    messages: Mapped[list[Message]] = relationship(back_populates="conversation", order_by="Message.id")

    @property
    def rasa_sender(self) -> str:
        """The id Rasa knows this conversation by: unique across channels."""
        return f"{self.channel}:{self.external_id}"


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_conversation", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    author: Mapped[str] = mapped_column(String(16))  # customer | bot | agent | system
    text: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # buttons, custom, metadata
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")
