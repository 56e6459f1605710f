"""The service desk: hand-over to the queue, agents claiming, answering, handing back and
resolving, and what the customer is told at each step.

Every change is stored first (store.py, one transaction), then published to the open
sockets (live.py) and, for channels that push (WeChat), through their outbound adapter.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool

from integrations.conversations.handoff import HandoffRequest, Reason, reason_label
from integrations.conversations.queue import (
    Waiting,
    eta_s,
    ordered,
    wait_words,
    waited_s,
)
from integrations.conversations.states import State
from integrations.conversations.summary import summarize
from integrations.core.config import HubSettings
from integrations.live import Bus
from integrations.models import Conversation, Message, as_utc, utcnow
from integrations.rasa_client import BotUnavailable, RasaClient
from integrations.store import ConversationStore, Item, since
from integrations.views import customer_view, message_view

log = logging.getLogger(__name__)

YES_NO = [{"title": "需要", "payload": "/affirm"}, {"title": "不用了", "payload": "/deny"}]
NO_AGENT_ONLINE = "抱歉，现在暂时没有人工客服在线。需要为您登记回电吗？客服上线后会尽快给您打电话。"
BOT_LOOPING = "看来我没能解决您的问题，抱歉。需要为您转接人工客服吗？"
QUEUED_ACK = "您的消息已收到，客服接入后会第一时间看到。"
BACK_TO_BOT = "人工客服已结束本次服务，接下来由智能客服继续为您服务。请问还有什么可以帮您？"
RESOLVED = "本次服务已结束，感谢您的耐心。请为客服的服务打分：回复1-5的数字（5分最满意），也可以再写几句意见。"
RATED = "感谢您的评价！如还有其他问题，可以随时问我。"
REQUEUED = "抱歉让您久等了，正在为您重新安排客服。"

# Sends one stored message to a customer on a channel that pushes (WeChat, voice).
Outbound = Callable[[Conversation, dict[str, Any]], Awaitable[None]]


class NotHolder(Exception):
    """The agent does not hold this conversation (someone else does, or nobody)."""


class Desk:
    def __init__(self, store: ConversationStore, broker: Bus, rasa: RasaClient, settings: HubSettings) -> None:
        self.store, self.broker, self._rasa, self.settings = store, broker, rasa, settings
        self._outbound: dict[str, Outbound] = {}

    def register_outbound(self, channel: str, send: Outbound) -> None:
        """How agent and system messages reach a customer on ``channel`` (web uses the sockets)."""
        self._outbound[channel] = send

    # -- publishing -------------------------------------------------------------------

    async def post(
        self, conversation: Conversation, author: str, items: list[Item], agent_name: str | None = None
    ) -> list[Message]:
        rows = await run_in_threadpool(self.store.add_many, conversation.id, author, items, agent_name)
        await self.publish(conversation, rows)
        return rows

    async def publish(self, conversation: Conversation, rows: list[Message]) -> None:
        send = self._outbound.get(conversation.channel)
        for row in rows:
            view = customer_view(row)
            if view is not None:
                self.broker.publish_customer(conversation.id, view)
                if send is not None and row.author in ("agent", "system"):
                    await send(conversation, view)
            if conversation.state != State.BOT or row.author in ("agent", "system"):
                self.broker.publish_console({"type": "message", "conversation_id": conversation.id, "message": message_view(row)})

    def publish_state(self, conversation: Conversation) -> None:
        frame = {"type": "conversation", "conversation_id": conversation.id, "state": conversation.state}
        if conversation.agent_name:
            frame["agent_name"] = conversation.agent_name
        self.broker.publish_console(frame)

    # -- the customer's side ----------------------------------------------------------

    async def hand_over(self, conversation: Conversation, request: HandoffRequest, actor: str = "bot") -> list[Message]:
        """Queue the conversation for an agent, or offer a call-back when nobody can take it."""
        online = await self.agents_online()
        if online == 0:
            return await self.offer(conversation, "callback", request.reason, NO_AGENT_ONLINE)
        account_no = await self._verified_account(conversation)
        conversation = await run_in_threadpool(self.store.enqueue, conversation.id, request, account_no, actor)
        transcript = await run_in_threadpool(self.store.transcript, conversation.id)
        await run_in_threadpool(self.store.set_summary, conversation.id, summarize(conversation, transcript))
        self.publish_state(conversation)
        rows = await self.tell_position(conversation, online)  # the bot already said it hands over
        await self.broadcast_queue()
        return rows

    async def offer(self, conversation: Conversation, kind: str, reason: Reason, text: str) -> list[Message]:
        """Ask the customer yes/no for a human or a call-back; the bot acts on the answer
        (its rules read the ``handoff_offer`` slot set here)."""
        events: list[dict[str, Any]] = [
            {"event": "slot", "name": "handoff_offer", "value": kind, "timestamp": utcnow().timestamp()},
            {"event": "slot", "name": "handoff_reason", "value": reason.value, "timestamp": utcnow().timestamp()},
        ]
        try:
            await self._rasa.add_events(conversation.rasa_sender, events)
        except BotUnavailable as exc:
            log.warning("could not record the %s offer for conversation %s: %s", kind, conversation.id, exc)
        return await self.post(conversation, "bot", [(text, {"buttons": YES_NO})])

    async def tell_position(self, conversation: Conversation, online: int | None = None, prefix: str = "") -> list[Message]:
        """A status message with the queue position and estimated wait."""
        place = await self.place_of(conversation.id, online)
        if place is None:
            return []
        position, eta = place
        custom = {"type": "status", "state": State.QUEUED.value, "position": position, "eta_s": eta}
        await run_in_threadpool(self.store.announced, conversation.id, position)
        return await self.post(conversation, "system", [(prefix + wait_words(position, eta), {"custom": custom})])

    async def place_of(self, conversation_id: int, online: int | None = None) -> tuple[int, int] | None:
        """(position, estimated wait in seconds) of a queued conversation; None when it is not queued."""
        place = next((w for w in await self.waiting() if w.conversation.id == conversation_id), None)
        if place is None:
            return None
        online = await self.agents_online() if online is None else online
        return place.position, eta_s(place.position, online, self.settings.handle_time_s)

    async def while_queued(self, conversation: Conversation) -> list[Message]:
        return await self.tell_position(conversation, prefix=QUEUED_ACK)

    async def rate(self, conversation: Conversation, score: int, comment: str | None) -> bool:
        if not await run_in_threadpool(self.store.rate, conversation.id, score, comment):
            return False
        await self.post(conversation, "system", [(RATED, None)])
        self.broker.publish_console({"type": "rating", "conversation_id": conversation.id, "score": score})
        return True

    # -- the agents' side -------------------------------------------------------------

    async def claim(self, conversation_id: int, username: str, display_name: str) -> bool:
        if not await run_in_threadpool(self.store.claim, conversation_id, username, display_name):
            return False
        conversation = await self._get(conversation_id)
        self.publish_state(conversation)
        custom = {"type": "status", "state": State.AGENT.value, "agent_name": display_name}
        await self.post(
            conversation, "system", [(f"已为您接通人工客服（{display_name}），请问有什么可以帮您？", {"custom": custom})]
        )
        await self.broadcast_queue()
        return True

    async def agent_says(self, conversation_id: int, username: str, display_name: str, text: str) -> Message:
        conversation = await self._held(conversation_id, username)
        (row,) = await self.post(conversation, "agent", [(text, None)], agent_name=display_name)
        return row

    async def hand_back(self, conversation_id: int, username: str) -> None:
        await self._held(conversation_id, username)
        conversation = await run_in_threadpool(
            self.store.move, conversation_id, State.BOT, f"agent:{username}", "handback", username
        )
        self.publish_state(conversation)
        await self.post(conversation, "bot", [(BACK_TO_BOT, {"custom": {"type": "status", "state": State.BOT.value}})])
        await self.broadcast_queue()

    async def resolve(self, conversation_id: int, username: str) -> None:
        await self._held(conversation_id, username)
        conversation = await run_in_threadpool(
            self.store.move, conversation_id, State.CLOSED, f"agent:{username}", "resolved", username
        )
        self.publish_state(conversation)
        await self.post(conversation, "system", [(RESOLVED, {"custom": {"type": "csat", "scale": 5}})])
        await self.broadcast_queue()

    # -- the queue --------------------------------------------------------------------

    async def agents_online(self) -> int:
        return await run_in_threadpool(self.store.agents_online, since(self.settings.agent_online_s))

    async def waiting(self) -> list[Waiting]:
        queued = await run_in_threadpool(self.store.queued)
        return ordered(queued, utcnow(), self.settings.sla_wait_s)

    async def queue_rows(self, username: str | None = None) -> dict[str, Any]:
        """The console's queue: waiting conversations in serving order, then those held."""
        waiting = await self.waiting()
        held = await run_in_threadpool(self.store.held)
        now = utcnow()
        rows = [_row(w.conversation, w, username, now) for w in waiting]
        rows += [_row(c, None, username, now) for c in sorted(held, key=lambda c: c.claimed_at or now)]
        return {"conversations": rows, "agents_online": await self.agents_online()}

    async def broadcast_queue(self) -> None:
        if self.broker.console_count:
            self.broker.publish_console({"type": "queue", **await self.queue_rows()})

    async def supervise(self) -> None:
        """One round of the desk's clock: claims nobody answered go back to the queue, and
        waiting customers hear a changed position (at most once a minute each)."""
        for conversation in await run_in_threadpool(self.store.stale_claims, since(self.settings.claim_timeout_s)):
            moved = await run_in_threadpool(
                self.store.move, conversation.id, State.QUEUED, "system", "claim_timeout"
            )
            self.publish_state(moved)
            await self.post(moved, "system", [(REQUEUED, {"custom": {"type": "status", "state": State.QUEUED.value}})])
        online = await self.agents_online()
        now = utcnow()
        for place in await self.waiting():
            conversation = place.conversation
            last = conversation.announced_at
            due = last is None or (now - as_utc(last)).total_seconds() >= self.settings.announce_every_s
            if due and conversation.announced_position != place.position:
                await self.tell_position(conversation, online)
        await self.broadcast_queue()

    async def _verified_account(self, conversation: Conversation) -> str | None:
        """The account the customer proved, read from the bot's tracker (for the agent's panel)."""
        account = (await self._rasa.slots(conversation.rasa_sender)).get("verified_account")
        return str(account) if account else None

    async def _get(self, conversation_id: int) -> Conversation:
        conversation = await run_in_threadpool(self.store.get, conversation_id)
        if conversation is None:
            raise LookupError(conversation_id)
        return conversation

    async def _held(self, conversation_id: int, username: str) -> Conversation:
        conversation = await self._get(conversation_id)
        if conversation.state != State.AGENT or conversation.agent_username != username:
            raise NotHolder(conversation.agent_name or "")
        return conversation


def _row(conversation: Conversation, place: Waiting | None, username: str | None, now: Any) -> dict[str, Any]:
    return {
        "id": conversation.id,
        "channel": conversation.channel,
        "state": conversation.state,
        "reason": conversation.handoff_reason,
        "reason_label": reason_label(conversation.handoff_reason),
        "priority": place.priority if place else conversation.priority,
        "waiting_s": place.waiting_s if place else waited_s(conversation, now),
        "position": place.position if place else None,
        "sla_breached": place.sla_breached if place else False,
        "summary": conversation.summary or "",
        "agent_name": conversation.agent_name,
        "agent_username": conversation.agent_username,
        "mine": bool(username) and conversation.agent_username == username,
    }

