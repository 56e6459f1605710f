"""Routes each customer turn: to the bot, to the human queue, or to the agent who holds it."""

from __future__ import annotations

import logging
import re
from typing import Any

from starlette.concurrency import run_in_threadpool

from integrations.conversations.desk import BOT_LOOPING, Desk
from integrations.conversations.handoff import Reason, handoff_request
from integrations.conversations.states import State
from integrations.core.config import HubSettings
from integrations.models import Conversation, Message
from integrations.rasa_client import BotUnavailable, RasaClient
from integrations.schemas import IncomingMessage, OutgoingMessage
from integrations.store import Item
from integrations.text import clean

log = logging.getLogger(__name__)

PICTURE_RECEIVED = "收到您的图片，已保存在本次对话中。图片需要人工客服查看，如需转人工请回复“转人工”，也可以直接用文字描述问题。"
PLACE_CHOICES = "收到您的位置：{label}。请问您想查询什么？"
EMPTY_PROMPT = "您好，请问有什么可以帮您？可以直接说“查电费”“停电了”或“转人工”。"
BOT_UNAVAILABLE = "抱歉，系统暂时繁忙，请稍后再试；紧急情况请拨打95598。"
# A rating after a resolved conversation: "5", "5分", "五星", "★★★★★", "4 服务很好".
_SCORE = re.compile(r"^\s*(?:([1-5])(?![0-9.])|([一二三四五])|(★{1,5}))\s*(?:分|星)?\s*[，,。.!！\s]*(.*)$", re.S)
_CN_DIGITS = "一二三四五"
# The bot answering the same thing this many turns in a row is going nowhere (the hub sees
# what the bot cannot: its own repetition across turns).
LOOP_TURNS = 3


def parse_score(text: str) -> tuple[int, str] | None:
    """(score, comment) when ``text`` is a 1-5 rating, else None."""
    match = _SCORE.match(text)
    if not match:
        return None
    digit, chinese, stars, rest = match.groups()
    score = int(digit) if digit else (_CN_DIGITS.index(chinese) + 1 if chinese else len(stars))
    return score, rest.strip()


class Router:
    def __init__(self, desk: Desk, rasa: RasaClient, settings: HubSettings) -> None:
        self._desk = desk
        self._store = desk.store
        self._rasa = rasa
        self._settings = settings

    async def handle(self, message: IncomingMessage) -> list[OutgoingMessage]:
        text = clean(message.text, self._settings.max_message_chars)
        payload = {"metadata": message.metadata} | ({"attachment": message.attachment} if message.attachment else {})
        conversation, row = await run_in_threadpool(self._store.receive, message.channel, message.sender, text, payload)
        await self._desk.publish(conversation, [row])
        if conversation.csat_pending and (rating := parse_score(text)):
            await self._desk.rate(conversation, *rating)
            return self._out(message.sender, await self._after_customer(conversation))
        if conversation.state == State.CLOSED:
            conversation = await run_in_threadpool(self._store.reopen, conversation.id)
        if conversation.state == State.QUEUED:
            return self._out(message.sender, await self._desk.while_queued(conversation))
        if conversation.state == State.AGENT:
            return []  # the agent reads it in the console
        if message.attachment and (reply := await self._about_attachment(conversation, message.attachment)):
            return self._out(message.sender, await self._desk.post(conversation, "bot", [reply]))
        if not text:
            return self._out(message.sender, await self._desk.post(conversation, "bot", [(EMPTY_PROMPT, None)]))
        return await self._to_bot(conversation, row, message)

    async def _about_attachment(self, conversation: Conversation, attachment: dict[str, Any]) -> Item | None:
        """The bot cannot look at a picture, and a place alone does not say what the
        customer wants: the hub answers those itself. A place sent while the bot is asking
        for an address goes to the bot as that address (None here)."""
        if attachment.get("type") == "image":
            return PICTURE_RECEIVED, {"buttons": [{"title": "转人工", "payload": "转人工"}]}
        if await self._bot_asks_address(conversation):
            return None
        label = str(attachment.get("label") or "您发送的位置")
        return PLACE_CHOICES.format(label=label), {"buttons": [
            {"title": "查这里的停电信息", "payload": f"{label}最近有没有停电"},
            {"title": "找附近的营业厅", "payload": f"{label}附近的营业厅在哪里"},
        ]}

    async def _bot_asks_address(self, conversation: Conversation) -> bool:
        return (await self._rasa.slots(conversation.rasa_sender)).get("requested_slot") == "service_address"

    async def _to_bot(self, conversation: Conversation, row: Message, message: IncomingMessage) -> list[OutgoingMessage]:
        # Only what the hub vouches for reaches the bot: never a customer's own metadata.
        metadata: dict[str, Any] = {"channel": message.style or message.channel}
        if message.bound_account:
            metadata["bound_account"] = message.bound_account
        intent = None
        try:
            replies, intent = await self._rasa.send(conversation.rasa_sender, row.text[: self._settings.max_nlu_chars], metadata)
        except BotUnavailable as exc:
            log.warning("bot unavailable for conversation %s: %s", conversation.id, exc)
            replies = [{"text": BOT_UNAVAILABLE}]
        rows, repeats = await run_in_threadpool(
            self._store.add_bot_turn, conversation.id, [_item(r) for r in replies], row.id, intent
        )
        await self._desk.publish(conversation, rows)
        account = next(filter(None, (bound_by_bot(r.get("custom")) for r in replies)), None) or message.bound_account
        if account and account != conversation.account_no:  # the customer's history across channels
            await run_in_threadpool(self._store.file_under, conversation.id, account)
        out = self._out(message.sender, rows, replies)
        requests = [r for r in map(handoff_request, replies) if r is not None]
        if requests:
            out += self._out(message.sender, await self._desk.hand_over(conversation, requests[0]))
        elif repeats >= LOOP_TURNS and any(r.get("text") for r in replies):
            out += self._out(message.sender, await self._desk.offer(conversation, "human", Reason.FALLBACK, BOT_LOOPING))
        return out

    async def _after_customer(self, conversation: Conversation) -> list[Message]:
        """The messages stored after the customer's latest one (the thanks for a rating)."""
        rows = await run_in_threadpool(self._store.recent, conversation.id)
        tail: list[Message] = []
        for row in reversed(rows):
            if row.author == "customer":
                break
            tail.insert(0, row)
        return tail

    @staticmethod
    def _out(
        recipient: str, rows: list[Message], replies: list[dict[str, Any]] | None = None
    ) -> list[OutgoingMessage]:
        """Rasa's REST channel shape: the bot's own replies as Rasa gave them (with the
        hand-over request), or stored hub messages."""
        if replies is not None:
            return [
                OutgoingMessage(recipient_id=recipient, text=r.get("text"), buttons=r.get("buttons"),
                                image=r.get("image"), custom=r.get("custom"))
                for r in replies
            ]
        return [
            OutgoingMessage(recipient_id=recipient, text=row.text or None, buttons=(row.payload or {}).get("buttons"),
                            custom=(row.payload or {}).get("custom"))
            for row in rows
        ]


def _item(reply: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    payload = {k: reply[k] for k in ("buttons", "image", "custom") if reply.get(k)}
    return str(reply.get("text") or ""), payload or None


def bound_by_bot(custom: Any) -> str | None:
    """The account a reply's ``custom`` says the bot just bound (actions/account/binding.py)."""
    bound = custom.get("bind_account") if isinstance(custom, dict) else None
    account = str(bound.get("account_no") or "") if isinstance(bound, dict) else ""
    return account if account.isdigit() else None
