"""The call flow of the voice line: what the caller hears after each thing they say or key.

A call is a conversation of the hub like any other (channel ``voice``, sender the
jambonz ``call_sid``): every customer turn goes through the Router, so the bot, the
queue, the console and the transcript work as for the web chat. What is the line's
own: a gather after every answer (speech and keys), asking again at most twice when
the recognizer was unsure (then an agent), a menu of keys as a fallback, numbers read
back digit by digit before the bot gets them, long answers read in pieces, and the
hand-over as jambonz's ``enqueue`` (or ``dial``) once the hub has queued the
conversation. Nothing is kept in memory between webhooks (hook.py).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from starlette.concurrency import run_in_threadpool

from integrations.channels.voice import verbs
from integrations.channels.voice.hearing import Heard, choose
from integrations.channels.voice.hook import MAX_TRIES, CallState, Step
from integrations.channels.voice.numbers import (
    NumberKind,
    asked_for,
    keyed,
    read_back,
    spoken,
)
from integrations.channels.voice.replies import go_on, picked, yes_or_no
from integrations.channels.voice.speech import HOTLINE, MORE, keys_for, piece_end, speakable
from integrations.channels.voice.verbs import Verb
from integrations.conversations.desk import Desk
from integrations.conversations.handoff import HandoffRequest, Reason
from integrations.conversations.queue import wait_words
from integrations.conversations.states import State
from integrations.models import Conversation, Message
from integrations.routing import Router
from integrations.schemas import IncomingMessage
from textnorm.voice import Button

log = logging.getLogger(__name__)

# The keys of the fallback menu, as the customer texts the bot understands.
MENU = {"1": "查电费", "2": "停电了", "3": "我要办理业务", "0": "转人工"}
MENU_WORDS = "查电费请按1，停电报修请按2，业务办理请按3，人工服务请按0。"
GREETING = f"您好，这里是{HOTLINE}供电服务热线。请直接说出您要办理的业务，也可以按键选择：" + MENU_WORDS
NOT_HEARD = "抱歉，我没有听清。"
SAY_AGAIN = NOT_HEARD + "请您再说一遍，也可以按键选择：" + MENU_WORDS
NO_SUCH_KEY = "抱歉，没有这个选项。请按键选择：" + MENU_WORDS
ANYTHING_ELSE = "请问还有什么可以帮您？可以直接说，也可以按键选择：" + MENU_WORDS
GOODBYE = "感谢您的来电，再见。"
GIVE_UP = "抱歉，我没能听清您的话，为您转接人工服务。"
ASK_NUMBER = "请说出或用按键输入{label}，输完请按井号键。"
WRONG_LENGTH = "抱歉，{label}是{lengths}数字。请重新输入，输完请按井号键。"
READ_BACK = "您输入的{label}是 {digits}，正确请按1，重新输入请按2。"
REENTER = "好的，请重新输入{label}，输完请按井号键。"
LINE_BUSY = "抱歉，客服线路正忙，正在为您排队，请稍候。"
CANNOT_CONNECT = f"抱歉，暂时无法为您接通人工客服，请您稍后再拨{HOTLINE}。"
SORRY = f"抱歉，系统暂时无法处理您的来电，请您稍后再拨{HOTLINE}。"
# jambonz's call statuses after which nobody is on the line any more.
ENDED = frozenset({"completed", "failed", "busy", "no-answer"})


def apology() -> list[Verb]:
    """What a caller hears when their call cannot be handled (a request we cannot read,
    an error of ours): an apology and the end of the call, never an error page."""
    return [verbs.say(SORRY), verbs.hangup()]


def masked(number: str | None) -> str:
    """A caller's number as logs may show it: 138****8000."""
    if not number:
        return "-"
    return number[:-8] + "****" + number[-4:] if len(number) > 8 else "****"


@dataclass(frozen=True)
class Call:
    sid: str  # jambonz's call_sid: the conversation's sender
    caller: str | None = None  # the caller's number (``from``), for the bot's call-back offer

    @property
    def metadata(self) -> dict[str, Any]:
        return {"from": self.caller} if self.caller else {}


@dataclass(frozen=True)
class Said:
    """What one gather brought back: keys, speech understood well enough, silence, or
    (all empty) speech nobody can be sure of."""

    keys: str | None = None
    heard: Heard | None = None
    silent: bool = False


class Calls:
    def __init__(self, router: Router, desk: Desk) -> None:
        self._router, self._desk, self._store, self._settings = router, desk, desk.store, desk.settings

    # -- jambonz's webhooks ------------------------------------------------------------

    def start(self) -> list[Verb]:
        return [self._listen(GREETING, CallState())]

    async def hooked(self, call: Call, state: CallState, payload: Mapping[str, Any]) -> list[Verb]:
        """One of our hooks: a gather's, enqueue's while waiting or after, dial's after."""
        if state.step == Step.WAIT:
            return await self._waiting(call)
        if state.step in (Step.QUEUE, Step.DIAL):
            return await self._left_agents(call, state, payload)
        said = await self._said(call, payload)
        if state.step == Step.CONFIRM:
            return await self._confirm(call, state, said)
        if state.step == Step.NUMBER:
            return await self._number(call, state, said)
        return await self._talk(call, state, said)

    async def _left_agents(self, call: Call, state: CallState, payload: Mapping[str, Any]) -> list[Verb]:
        """The caller's time with the agents is over: served, or never connected."""
        if state.step == Step.DIAL:
            if payload.get("dial_call_status") == "completed":
                return _goodbye()
            conversation = await run_in_threadpool(self._store.find, "voice", call.sid)
            if conversation is not None and conversation.state == State.QUEUED:  # the agents' line was busy: wait in line
                return [verbs.say(LINE_BUSY), *self._to_agents(conversation, queue_only=True)]
            return [verbs.say(CANNOT_CONNECT), verbs.hangup()]
        result = payload.get("queue_result")
        if result == "bridged":
            return _goodbye()
        if result == "hangup":
            return [verbs.hangup()]
        return [verbs.say(CANNOT_CONNECT), verbs.hangup()]

    async def _waiting(self, call: Call) -> list[Verb]:
        """While the caller waits in jambonz's queue: their place in the hub's queue (the
        one the console serves, all channels together), then a pause before the next."""
        conversation = await run_in_threadpool(self._store.find, "voice", call.sid)
        place = None if conversation is None else await self._desk.place_of(conversation.id)
        hold = verbs.pause(self._settings.announce_every_s)
        return [hold] if place is None else [verbs.say(speakable(wait_words(*place))), hold]

    async def ended(self, call: Call, status: str | None) -> list[Verb]:
        """Call status: once the caller is gone, their conversation is closed."""
        if status in ENDED:
            conversation = await run_in_threadpool(self._store.find, "voice", call.sid)
            closed = None if conversation is None else await run_in_threadpool(self._store.hang_up, conversation.id)
            if closed is not None:
                log.info("voice call %s ended (%s): conversation %s closed", call.sid, status, closed.id)
                self._desk.publish_state(closed)
                await self._desk.broadcast_queue()
        # jambonz ignores what a status webhook answers; the contract still wants a verb
        return [verbs.tag({"call_status": status or "unknown"})]

    # -- the steps of a call -------------------------------------------------------------

    async def _talk(self, call: Call, state: CallState, said: Said) -> list[Verb]:
        """A free question, a key of the menu, or one of the choices just offered."""
        offered = await self._offered(call, state)
        if said.silent:
            return self._ask_again(state, _choices_words(offered) or ANYTHING_ELSE) or _goodbye()
        if said.keys is not None:
            if said.keys == "*" and state.more:
                return await self._read_on(call, state)
            if said.keys.isdigit() and 1 <= int(said.keys) <= len(offered):
                return await self._turn(call, offered[int(said.keys) - 1][1])
            if said.keys in MENU:
                return await self._turn(call, MENU[said.keys])
            return self._ask_again(state, NO_SUCH_KEY) or await self._give_up(call)
        if said.heard is None:
            words = NOT_HEARD + _choices_words(offered) if offered else SAY_AGAIN
            return self._ask_again(state, words) or await self._give_up(call)
        if state.more and go_on(said.heard.text):
            return await self._read_on(call, state)
        choice = picked(said.heard.text, [title for title, _ in offered])
        return await self._turn(call, said.heard.text if choice is None else offered[choice][1])

    async def _number(self, call: Call, state: CallState, said: Said) -> list[Verb]:
        """The bot asked for a number: keys ended with #, or digits said."""
        kind = _kind(state)
        if said.silent:
            return self._ask_again(state, ASK_NUMBER.format(label=kind.label)) or _goodbye()
        if said.keys is not None:
            digits = keyed(said.keys)
        elif said.heard is None:
            return self._ask_again(state, NOT_HEARD + ASK_NUMBER.format(label=kind.label)) or await self._give_up(call)
        else:
            digits = spoken(said.heard.text, kind)
            if not digits:  # 我不知道户号, 怎么查户号: a question for the bot, not a number
                return await self._turn(call, said.heard.text)
        if len(digits) not in kind.lengths:
            wrong = WRONG_LENGTH.format(label=kind.label, lengths=kind.length_words)
            return self._ask_again(state, wrong) or await self._give_up(call)
        confirm = CallState(Step.CONFIRM, kind=kind, number=digits)
        return [self._listen(READ_BACK.format(label=kind.label, digits=read_back(digits)), confirm)]

    async def _confirm(self, call: Call, state: CallState, said: Said) -> list[Verb]:
        """The number was read back: 1 (or 对) gives it to the bot, 2 (or 不对) asks again."""
        kind = _kind(state)
        if said.keys is not None:
            right = {"1": True, "2": False}.get(said.keys)
        else:
            right = yes_or_no(said.heard.text) if said.heard is not None else None
        if right:
            return await self._turn(call, state.number)
        if right is False:
            return [self._listen(REENTER.format(label=kind.label), CallState(Step.NUMBER, kind=kind))]
        again = NOT_HEARD + READ_BACK.format(label=kind.label, digits=read_back(state.number))
        return self._ask_again(state, again) or (_goodbye() if said.silent else await self._give_up(call))

    # -- turns and answers ---------------------------------------------------------------

    async def _turn(self, call: Call, text: str) -> list[Verb]:
        """One customer turn through the Router (the bot, or the queue), and its answer."""
        after = await self._last_message_id(call)
        await self._router.handle(IncomingMessage(channel="voice", sender=call.sid, text=text, metadata=call.metadata))
        return await self._answer(call, after)

    async def _give_up(self, call: Call) -> list[Verb]:
        """Asked twice without understanding: an agent takes over (or, with nobody online,
        the desk offers a call-back, which the caller answers by voice or key)."""
        log.info("voice call %s: not understood after %d tries, handing over", call.sid, MAX_TRIES)
        conversation = await run_in_threadpool(self._store.open, "voice", call.sid)
        after = await self._last_message_id(call)
        await self._desk.post(conversation, "bot", [(GIVE_UP, None)])
        await self._desk.hand_over(conversation, HandoffRequest(reason=Reason.FALLBACK))
        return await self._answer(call, after)

    async def _answer(self, call: Call, after: int, start: int = 0) -> list[Verb]:
        """Speak what the hub stored after message ``after`` (from character ``start`` of
        it), then listen for what comes next: a number, a choice, or a new question."""
        conversation = await run_in_threadpool(self._store.find, "voice", call.sid)
        if conversation is None:
            return apology()
        rows = await self._rows_after(conversation, after)
        if conversation.state in (State.QUEUED, State.AGENT):
            return self._to_agents(conversation, rows)
        text, offered = _spoken(rows)
        kind = asked_for(next((row.text for row in reversed(rows) if row.text), ""))
        if kind is not None and not offered:
            return [self._listen(text + ASK_NUMBER.format(label=kind.label), CallState(Step.NUMBER, kind=kind))]
        state = CallState(after=after)
        if offered or not text:
            return [self._listen(text + keys_for(offered) if offered else ANYTHING_ELSE, state)]
        end = piece_end(text, start)
        if end < len(text):
            return [self._listen(text[start:end] + MORE, replace(state, more=end))]
        return [self._listen(text[start:], state)]

    async def _read_on(self, call: Call, state: CallState) -> list[Verb]:
        """The next piece of the answer being read (``more`` comes with ``after``)."""
        assert state.after is not None
        return await self._answer(call, state.after, state.more)

    def _to_agents(
        self, conversation: Conversation, rows: Sequence[Message] = (), queue_only: bool = False
    ) -> list[Verb]:
        """The caller goes to the agents, with what the hub said and the conversation's
        context: jambonz keeps the ``tag`` with the call, ``dial`` also sends it to the
        agent's phone as SIP headers (``enqueue`` has no field for it)."""
        said = "".join(speakable(row.text) for row in rows if row.text)
        reason = conversation.handoff_reason or ""
        context = {"conversation_id": conversation.id, "handoff_reason": reason, "summary": conversation.summary or ""}
        out = [verbs.say(said)] if said else []
        out.append(verbs.tag(context))
        if self._settings.voice_agent_sip_uri and not queue_only:
            headers = {"X-Conversation-Id": str(conversation.id), "X-Handoff-Reason": reason}
            out.append(verbs.dial(self._settings.voice_agent_sip_uri, headers, CallState(Step.DIAL).url()))
        else:
            queue, priority = self._settings.voice_queue, conversation.priority
            out.append(verbs.enqueue(queue, priority, CallState(Step.QUEUE).url(), CallState(Step.WAIT).url()))
        return out

    # -- helpers -------------------------------------------------------------------------

    async def _said(self, call: Call, payload: Mapping[str, Any]) -> Said:
        reason = payload.get("reason")
        if reason == "dtmfDetected" and isinstance(payload.get("digits"), str):
            return Said(keys=payload["digits"])
        if reason == "timeout":
            return Said(silent=True)
        if reason == "speechDetected":
            # in a thread: pinyin for every alternative, and jieba's dictionary on first use
            heard = await run_in_threadpool(choose, (payload.get("speech") or {}).get("alternatives") or [])
            if heard is not None and heard.score >= self._settings.voice_min_confidence:
                return Said(heard=heard)
            log.info("voice call %s: unsure what was said (score %s)", call.sid, heard and round(heard.score, 2))
        return Said()

    def _listen(self, prompt: str, state: CallState) -> Verb:
        recognizer = verbs.recognizer(self._settings.voice_asr_vendor, self._settings.voice_language)
        digits = max(state.kind.lengths) if state.step == Step.NUMBER and state.kind else None
        return verbs.gather(prompt, state.url(), recognizer, digits)

    def _ask_again(self, state: CallState, prompt: str) -> list[Verb] | None:
        """The same question once more, or None when it was asked again twice already."""
        if state.tries >= MAX_TRIES:
            return None
        return [self._listen(prompt, replace(state, tries=state.tries + 1))]

    async def _offered(self, call: Call, state: CallState) -> list[Button]:
        """The choices (buttons) of the answer the caller is replying to."""
        if state.after is None:
            return []
        conversation = await run_in_threadpool(self._store.find, "voice", call.sid)
        if conversation is None:
            return []
        return _spoken(await self._rows_after(conversation, state.after))[1]

    async def _rows_after(self, conversation: Conversation, after: int) -> list[Message]:
        rows = await run_in_threadpool(self._store.messages_after, conversation.id, after)
        return [row for row in rows if row.author != "customer"]

    async def _last_message_id(self, call: Call) -> int:
        conversation = await run_in_threadpool(self._store.find, "voice", call.sid)
        if conversation is None:
            return 0
        latest = await run_in_threadpool(self._store.recent, conversation.id, 1)
        return latest[-1].id if latest else 0


def _spoken(rows: list[Message]) -> tuple[str, list[Button]]:
    """The messages as one speakable text, and the choices the last of them offers."""
    text = "".join(speakable(row.text, _buttons(row)) for row in rows if row.text)
    offered = next((buttons for row in reversed(rows) if (buttons := _buttons(row))), [])
    return text, offered


def _buttons(row: Message) -> list[Button]:
    buttons = (row.payload or {}).get("buttons") or []
    return [
        (b["title"], b["payload"]) for b in buttons
        if isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str)
    ]


def _choices_words(offered: list[Button]) -> str:
    """The choices again, for a caller who did not answer them: 您可以说“需要”、“不用了”…"""
    return speakable("", offered) + keys_for(offered) if offered else ""


def _kind(state: CallState) -> NumberKind:
    assert state.kind is not None  # CallState.parse gives number and confirm steps a kind
    return state.kind


def _goodbye() -> list[Verb]:
    return [verbs.say(GOODBYE), verbs.hangup()]
