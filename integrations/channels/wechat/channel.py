"""The WeChat channel: a delivery in, the bot's or the hub's answer out, within WeChat's
five seconds or through the customer-service message API after them.

WeChat waits 5 s for the HTTP answer and then retries the same message. The hub gives
the turn a budget (``wechat_reply_budget_s``, about 4 s): when the replies are ready in
time they go back in the HTTP answer (a passive reply; one message, the rest pushed);
when not, WeChat gets "success" at once and the replies follow as customer-service
messages. Agent replies, queue notices and the rating request reach a follower the
same way, through :meth:`WeChatChannel.push`, which the desk calls for every message
that is not part of a turn being answered.
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import ContextVar
from typing import Any

from starlette.concurrency import run_in_threadpool
from wechatpy.messages import BaseMessage

from integrations.channels.wechat import render
from integrations.channels.wechat.api import WeChatApi
from integrations.channels.wechat.inbound import NOT_BOUND, UNBOUND, Delivery, read
from integrations.channels.wechat.ledger import CHANNEL, WechatLedger
from integrations.conversations.desk import Desk
from integrations.core.config import HubSettings
from integrations.models import Conversation
from integrations.rasa_client import BotUnavailable, RasaClient
from integrations.ratelimit import SLOW_DOWN, Limiter
from integrations.routing import BOT_UNAVAILABLE, Router, bound_by_bot
from integrations.schemas import IncomingMessage, OutgoingMessage

log = logging.getLogger(__name__)
# The follower whose turn this task is answering: what the desk publishes for them
# meanwhile goes back in the turn's own reply, not through the API a second time.
_answering: ContextVar[str | None] = ContextVar("wechat_answering", default=None)


class WeChatChannel:
    def __init__(
        self, settings: HubSettings, router: Router, desk: Desk, ledger: WechatLedger, api: WeChatApi,
        rasa: RasaClient, limiter: Limiter,
    ) -> None:
        self._settings, self._router, self._desk, self._ledger = settings, router, desk, ledger
        self._api, self._rasa, self._limiter = api, rasa, limiter
        self._late: set[asyncio.Task[Any]] = set()
        desk.register_outbound(CHANNEL, self.push)

    async def receive(self, message: BaseMessage) -> str | None:
        """The passive reply to one delivery, or None (WeChat then gets "success")."""
        delivery = read(message)
        turn = asyncio.create_task(self._answer_once(delivery))  # the budget counts from arrival
        try:
            parts = await asyncio.wait_for(asyncio.shield(turn), self._settings.wechat_reply_budget_s)
        except TimeoutError:
            log.info("wechat: %s took longer than %.1f s; replying through the API", delivery.key,
                     self._settings.wechat_reply_budget_s)
            self._later(self._push_when_done(delivery.openid, turn))
            return None
        pieces = render.merged(parts)
        if len(pieces) > 1:
            self._later(self._push_all(delivery.openid, pieces[1:]))
        return pieces[0] if pieces else None

    async def push(self, conversation: Conversation, view: dict[str, Any]) -> None:
        """Send one desk message (an agent's reply, a notice) to the follower."""
        if _answering.get() == conversation.external_id:
            return
        await self._push_all(conversation.external_id, render.split(render.as_text(view.get("text"), view.get("buttons"))))

    async def drain(self) -> None:
        """Wait for replies still going out (shutdown, tests)."""
        while self._late:
            await asyncio.gather(*list(self._late), return_exceptions=True)

    # -- one delivery -------------------------------------------------------------------

    async def _answer_once(self, delivery: Delivery) -> list[str]:
        if not await run_in_threadpool(self._ledger.first_delivery, delivery.key):
            log.info("wechat: %s delivered again; answered once already", delivery.key)
            return []
        return await self._answer(delivery)

    async def _answer(self, delivery: Delivery) -> list[str]:
        _answering.set(delivery.openid)
        if delivery.unfollow:
            await run_in_threadpool(self._ledger.unbind, delivery.openid)
            return []
        if delivery.unbind:
            return [await self._unbind(delivery.openid)]
        if delivery.answer:
            return [delivery.answer]
        if delivery.text is None:
            return []
        if await self._limiter.allow(f"{CHANNEL}:{delivery.openid}"):
            return [SLOW_DOWN]
        text = await self._choice(delivery.openid, delivery.text)
        bound = await run_in_threadpool(self._ledger.bound_account, delivery.openid)
        replies = await self._router.handle(IncomingMessage(
            channel=CHANNEL, sender=delivery.openid, text=text, bound_account=bound, attachment=delivery.attachment,
        ))
        await self._remember(delivery.openid, replies)
        return render.texts(replies)

    async def _choice(self, openid: str, text: str) -> str:
        """A bare number answers the numbered choices of the hub's or bot's last message
        (looked up only for a bare number: other messages cost no query here)."""
        number = render.choice_number(text)
        if not number:
            return text
        conversation = await run_in_threadpool(self._desk.store.find, CHANNEL, openid)
        if conversation is None:
            return text
        recent = await run_in_threadpool(self._desk.store.recent, conversation.id, 5)
        last = next((m for m in reversed(recent) if m.author != "customer"), None)
        return render.chosen(number, (last.payload or {}).get("buttons") if last else None) or text

    async def _remember(self, openid: str, replies: list[OutgoingMessage]) -> None:
        """A binding the bot confirmed holds for this follower's later conversations."""
        for account in filter(None, (bound_by_bot(reply.custom) for reply in replies)):
            await run_in_threadpool(self._ledger.bind, openid, account)

    async def _unbind(self, openid: str) -> str:
        if not await run_in_threadpool(self._ledger.unbind, openid):
            return NOT_BOUND
        conversation = await run_in_threadpool(self._desk.store.find, CHANNEL, openid)
        if conversation is not None:
            try:  # this session's verification goes with the binding
                await self._rasa.add_events(conversation.rasa_sender, [
                    {"event": "slot", "name": "verified_account", "value": None},
                ])
            except BotUnavailable as exc:
                log.warning("wechat: could not clear the verified account of conversation %s: %s", conversation.id, exc)
        return UNBOUND

    # -- pushing through the customer-service message API --------------------------------

    def _later(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self._late.add(task)
        task.add_done_callback(self._late.discard)

    async def _push_when_done(self, openid: str, turn: asyncio.Task[list[str]]) -> None:
        try:
            parts = await turn
        except Exception:
            log.exception("wechat: a late turn failed")
            parts = [BOT_UNAVAILABLE]
        await self._push_all(openid, render.merged(parts))

    async def _push_all(self, openid: str, texts: list[str]) -> None:
        for text in texts:
            refused = await run_in_threadpool(
                self._ledger.may_push, openid, self._settings.wechat_push_window_h, self._settings.wechat_push_limit
            )
            if refused:
                log.warning("wechat: a message to follower …%s was not sent: %s", openid[-4:], refused)
                return
            code = await run_in_threadpool(self._api.send_text, openid, text)
            await run_in_threadpool(self._ledger.record_push, openid, "custom", code)
