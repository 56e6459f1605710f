"""Routes each customer turn to the bot or, after a hand-over, to the human queue."""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool

from integrations.core.config import HubSettings
from integrations.rasa_client import BotUnavailable, RasaClient
from integrations.schemas import IncomingMessage, OutgoingMessage
from integrations.store import ConversationStore
from integrations.text import clean

log = logging.getLogger(__name__)

EMPTY_PROMPT = "您好，请问有什么可以帮您？可以直接说“查电费”“停电了”或“转人工”。"
BOT_UNAVAILABLE = "抱歉，系统暂时繁忙，请稍后再试；紧急情况请拨打95598。"
# Said while the conversation waits for an agent: what is true now (the agent console
# is not built yet), not a promise that someone will answer here.
QUEUED = "已记下您转人工的需求，人工客服会尽快与您联系；紧急情况请直接拨打95598。"


class Router:
    def __init__(self, store: ConversationStore, rasa: RasaClient, settings: HubSettings) -> None:
        self._store = store
        self._rasa = rasa
        self._settings = settings

    async def handle(self, message: IncomingMessage) -> list[OutgoingMessage]:
        text = clean(message.text, self._settings.max_message_chars)
        conversation = await run_in_threadpool(
            self._store.receive, message.channel, message.sender, text, {"metadata": message.metadata} or None
        )
        if conversation.state in ("queued", "agent"):
            replies = [QUEUED] if conversation.state == "queued" else []
            return await self._record(conversation.id, message.sender, [{"text": t} for t in replies])
        if not text:
            return await self._record(conversation.id, message.sender, [{"text": EMPTY_PROMPT}])
        metadata = {**message.metadata, "channel": message.channel}
        try:
            replies = await self._rasa.send(conversation.rasa_sender, text[: self._settings.max_nlu_chars], metadata)
        except BotUnavailable as exc:
            log.warning("bot unavailable for conversation %s: %s", conversation.id, exc)
            replies = [{"text": BOT_UNAVAILABLE}]
        for reply in replies:
            handoff = (reply.get("custom") or {}).get("handoff")
            if isinstance(handoff, dict):
                await run_in_threadpool(
                    self._store.hand_over, conversation.id, str(handoff.get("reason", "requested")), handoff
                )
        return await self._record(conversation.id, message.sender, replies)

    async def _record(self, conversation_id: int, recipient: str, replies: list[dict[str, Any]]) -> list[OutgoingMessage]:
        """Store the replies as the bot's turns and return them in the REST channel shape."""
        out = [
            OutgoingMessage(
                recipient_id=recipient,
                text=reply.get("text"),
                buttons=reply.get("buttons"),
                image=reply.get("image"),
                custom=reply.get("custom"),
            )
            for reply in replies
        ]
        items = [
            (item.text or "", item.model_dump(exclude={"recipient_id", "text"}, exclude_none=True) or None)
            for item in out
        ]
        if items:
            await run_in_threadpool(self._store.add_many, conversation_id, "bot", items)
        return out
