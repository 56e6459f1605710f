"""The hub's own records: conversations, their messages and hand-over history, agent
sessions, chat sessions, ratings, and what agents keep for later.

The hub owns the conversation (ARCHITECTURE.md, decision 2): whoever answers it, bot or
agent, every turn is stored here, so a hand-over carries the whole transcript. The
schema is made by the Alembic migrations in integrations/migrations, never by
``create_all``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite hands datetimes back naive; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# Named constraints, so that migrations can refer to them on SQLite and PostgreSQL alike.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Conversation(Base):
    """One customer's conversation on one channel; ``state`` is changed only by
    :func:`integrations.conversations.states.transition`."""

    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("channel", "external_id"), Index("ix_conversations_state", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))  # web | wechat | voice
    external_id: Mapped[str] = mapped_column(String(128))  # the channel's user or call id
    state: Mapped[str] = mapped_column(String(16), default="bot")  # conversations.states.State
    handoff_reason: Mapped[str | None] = mapped_column(String(32))
    handoff_context: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # intent, slots (masked)
    summary: Mapped[str | None] = mapped_column(Text)
    # The verified account in full, for the agent's customer panel; never sent to a page unmasked.
    account_no: Mapped[str | None] = mapped_column(String(16))
    priority: Mapped[int] = mapped_column(Integer, default=3)
    queued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    agent_username: Mapped[str | None] = mapped_column(String(64))
    agent_name: Mapped[str | None] = mapped_column(String(64))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    agent_replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    announced_position: Mapped[int | None] = mapped_column(Integer)
    announced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The bot's last turn (SHA-1 of its text) and how many turns in a row it said exactly that.
    last_bot_turn: Mapped[str | None] = mapped_column(String(40))
    bot_repeats: Mapped[int] = mapped_column(Integer, default=0)
    csat_pending: Mapped[bool] = mapped_column(Boolean, default=False)
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
    agent_name: Mapped[str | None] = mapped_column(String(64))  # who wrote an agent message
    intent: Mapped[str | None] = mapped_column(String(64))  # what NLU read in a customer message
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class ConversationEvent(Base):
    """One state transition: who moved the conversation, when, from where to where, why."""

    __tablename__ = "conversation_events"
    __table_args__ = (Index("ix_events_conversation", "conversation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"))
    from_state: Mapped[str] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(80))  # bot | customer | system | agent:<username>
    reason: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Note(Base):
    """An agent's private note on a conversation; never shown to the customer."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    agent_name: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Rating(Base):
    """The customer's 1-5 rating of a resolved conversation (CSAT)."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    agent_username: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ChatSession(Base):
    """A web chat sender's token (stored as its SHA-256), which reads that sender's conversation only."""

    __tablename__ = "chat_sessions"

    sender: Mapped[str] = mapped_column(String(128), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AgentSession(Base):
    """A logged-in agent: the cookie's token (as SHA-256) and the CSRF token it pairs with."""

    __tablename__ = "agent_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    display_name: Mapped[str] = mapped_column(String(64))
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CannedResponse(Base):
    __tablename__ = "canned_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class KbCandidate(Base):
    """An agent's answer to a question the documents could not answer, waiting for the
    knowledge-base editors' review (never searched live)."""

    __tablename__ = "kb_candidates"

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int | None] = mapped_column(ForeignKey("conversations.id"))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    agent_username: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | accepted | rejected
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WechatDelivery(Base):
    """One message or event WeChat delivered, by its dedupe key (MsgId, or FromUserName
    and CreateTime for events). WeChat retries a message it got no answer to within 5 s,
    up to three times and possibly to another replica: the primary key makes the first
    insert win, so each message is processed once."""

    __tablename__ = "wechat_deliveries"

    key: Mapped[str] = mapped_column(String(160), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


class WechatBinding(Base):
    """An official-account follower who proved control of an account (bind_account): they
    count as verified for it in every later conversation (service_rules.yml)."""

    __tablename__ = "wechat_bindings"

    openid: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_no: Mapped[str] = mapped_column(String(16), index=True)
    bound_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WechatSend(Base):
    """One customer-service (客服) or template message the hub pushed to a follower, with
    WeChat's answer: the 48-hour window and the per-user limit are counted from these."""

    __tablename__ = "wechat_sends"
    __table_args__ = (Index("ix_wechat_sends_openid_sent_at", "openid", "sent_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    openid: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # custom | template
    errcode: Mapped[int] = mapped_column(Integer, default=0)  # 0: delivered
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
