"""The 1-3 sentence summary an agent reads before the transcript.

Written by the hub from what it holds (no model): who the customer is, what they want,
why the bot handed over and what the bot already did (orders it created, its last
answer), so that the agent does not make the customer repeat themselves.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from integrations.conversations.handoff import reason_label
from integrations.models import Conversation, Message

INTENTS_FILE = Path(__file__).resolve().parents[1] / "data" / "intents.yml"  # copy of ../shared/spec/intents.yml
CHANNEL_WORDS = {"web": "网页", "wechat": "微信", "voice": "电话"}
TICKET = re.compile(r"GD\d{12}")
_HANDING_OVER = re.compile(r"转人工|转接|人工客服")  # the bot's hand-over words say nothing new
QUOTE_CHARS = 40


@lru_cache
def intent_labels() -> dict[str, str]:
    """intent name → its Chinese description in the intent catalogue."""
    with open(INTENTS_FILE, encoding="utf-8") as fh:
        intents = yaml.safe_load(fh)["intents"]
    return {name: str(spec.get("zh", name)) for name, spec in intents.items()}


def intent_label(intent: str | None) -> str | None:
    return intent_labels().get(intent, intent) if intent else None


def summarize(conversation: Conversation, transcript: list[Message]) -> str:
    """Who, what they want, what the bot did: at most three short sentences."""
    context = conversation.handoff_context or {}
    slots = context.get("slots") or {}
    account = slots.get("verified_account")
    who = f"{CHANNEL_WORDS.get(conversation.channel, conversation.channel)}客户" + (
        f"，已验证户号{account}" if account else "，尚未验证户号"
    )
    wants = intent_label(context.get("intent"))
    last_ask = next((m.text for m in reversed(transcript) if m.author == "customer" and m.text), "")
    first = f"{who}。" + (f"想办理：{wants}；" if wants else "") + f"转人工原因：{reason_label(conversation.handoff_reason)}。"
    sentences = [first]
    if last_ask:
        sentences.append(f"客户最后说：「{_clip(last_ask)}」。")
    tickets = sorted({t for m in transcript if m.author == "bot" for t in TICKET.findall(m.text)})
    last_answer = next(
        (m.text for m in reversed(transcript) if m.author == "bot" and m.text and not _HANDING_OVER.search(m.text)), ""
    )
    if tickets:
        sentences.append(f"机器人已生成工单{'、'.join(tickets)}。")
    elif last_answer:
        sentences.append(f"机器人最后答复：「{_clip(last_answer)}」。")
    return "".join(sentences)


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"
