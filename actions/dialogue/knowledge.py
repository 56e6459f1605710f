"""Answers from the policy documents (knowledge_base), always with their source.

The index is built by another service and may be missing (fresh clone, failed
build): the bot then says it has no answer and offers an agent, instead of failing.
The last document an answer came from is remembered (``kb_context``), so that a
follow-up such as 「那最贵那档一度多少」 is searched in the light of what came before.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dialogue.figures import SLOT as FIGURE_SLOT
from actions.dialogue.figures import figure_reply
from actions.kernel.channel import say
from actions.kernel.events import (
    answered_by,
    latest_intent,
    latest_text,
    slot_set_in_previous_turn,
)
from actions.parsers.domain import mentions_utility
from actions.parsers.questions import is_question
from knowledge_base.compose import cite, compose

log = logging.getLogger(__name__)

MAX_QUESTION = 200  # characters searched; the start of a long message says what it is about
NO_ANSWER = "这个问题我暂时没有找到确切的答案。"
OUT_OF_SCOPE = "抱歉，这个问题不在我的服务范围内。我可以帮您查询电费、用电量和停电信息，或者办理用电业务。"
# Button clicks carry no words: search with what the button stood for.
DEFAULT_QUESTIONS = {
    "query_tariff": "居民阶梯电价怎么收费",
    "how_to_pay": "电费有哪些缴费方式",
    "query_late_fee": "电费违约金怎么计算",
    "ask_energy_saving": "家庭节约用电有哪些办法",
    "ask_safety": "安全用电注意事项",
}
# A question that leans on the previous answer: 「那最贵那档呢」, 「那要多久」.
_ELLIPTICAL = re.compile(r"^\s*(那|那么|那如果|要是|如果|还有|这个|那个|这样|那样|那我|那要|那得|那就)")


@dataclass(frozen=True)
class DocumentAnswer:
    """What the customer reads: a few sentences and the document they come from."""

    text: str
    doc_id: str
    title: str


def load_searcher() -> Any | None:
    """The shared searcher, or None when the index (or the package) is unavailable."""
    try:
        from knowledge_base.search import get_searcher

        return get_searcher()
    except Exception as error:  # missing index, model or package: degrade, never fail the turn
        log.warning("knowledge base unavailable: %s", error)
        return None


def question_of(tracker: Tracker) -> str:
    """The customer's words to search with.

    A button click ("/query_tariff") carries no words: after a misunderstanding the
    words are those of the message the bot did not understand; otherwise the
    question the button stands for.
    """
    users = [i for i, event in enumerate(tracker.events) if event.get("event") == "user"]
    for position, index in enumerate(reversed(users)):
        text = (tracker.events[index].get("text") or "").strip()
        if text and not text.startswith("/"):
            if position == 0 or answered_by(tracker.events, index) == "action_handle_fallback":
                return text[:MAX_QUESTION]
            break
        if position == 1:
            break
    return DEFAULT_QUESTIONS.get(latest_intent(tracker) or "", "")


def search(question: str) -> Any | None:
    """The best passage for ``question``, or None when the index cannot answer it."""
    searcher = load_searcher()
    if searcher is None:
        return None
    try:
        response = searcher.search(question, k=3)
    except Exception:
        log.exception("knowledge base search failed")
        return None
    if not response.answerable or not response.results:
        return None
    return response.results[0]


def answer_from_documents(question: str, topic: str = "", context_title: str = "") -> DocumentAnswer | None:
    """The documents' answer to ``question``, or None when they hold none.

    The question is searched alone first. A follow-up (「那要多久」) that does not find the
    previous answer's document alone, or any question that finds nothing, is searched
    again with ``context_title`` (that document) or ``topic`` (the task being done) in
    front: the words of a title pull towards the sections that repeat them, so they are
    the second try, not the first.
    """
    question = question.strip()[:MAX_QUESTION]
    if not question:
        return None
    alone = search(question)
    follow_up = bool(context_title) and bool(_ELLIPTICAL.match(question))
    if alone is not None and not (follow_up and alone.title != context_title):
        return _composed(question, alone)
    for prefix in (context_title, topic):
        if prefix:
            result = search(f"{prefix} {question}")
            if result is not None:
                return _composed(question, result)
    return _composed(question, alone) if alone is not None else None


def _composed(question: str, result: Any) -> DocumentAnswer:
    composed = compose(question, result, load_searcher())
    return DocumentAnswer(f"{composed.text}\n{cite(composed)}", result.doc_id, result.title)


def reply_to_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, text: str, topic: str = ""
) -> list[EventType] | None:
    """Answer a question: a figure the tariffs determine (computed, with the rule's
    source), else the documents' answer; None when neither has one. The events remember
    what was answered, for a follow-up."""
    figure = figure_reply(tracker, text)
    if figure is not None:
        words, rule_question, asked = figure
        source = search(rule_question)
        say(dispatcher, tracker, words + (f"\n来源：《{source.title}》" if source is not None else ""))
        return [SlotSet(FIGURE_SLOT, asked), SlotSet("kb_context", source.doc_id if source is not None else None)]
    answer = answer_from_documents(text, topic, context_title(tracker))
    if answer is None:
        return None
    say(dispatcher, tracker, answer.text)
    return [SlotSet("kb_context", answer.doc_id)]


def context_title(tracker: Tracker) -> str:
    """The title of the document the previous answer came from, if any."""
    doc_id = tracker.get_slot("kb_context")
    if not doc_id:
        return ""
    searcher = load_searcher()
    if searcher is None:
        return ""
    return next((chunk.title for chunk in searcher.index.chunks if chunk.doc_id == doc_id), "")


def followup_answer(tracker: Tracker) -> DocumentAnswer | None:
    """The documents' answer when the latest message is a follow-up question to the
    previous answer (「那材料交齐了一般多久能通上电」 after the new-connection rules),
    whatever request NLU took it for; None when it is not one or the same document
    does not answer it."""
    text = latest_text(tracker).strip()
    previous_doc = slot_set_in_previous_turn(tracker, "kb_context")
    if not previous_doc or not is_question(text) or not (_ELLIPTICAL.match(text) or len(text) <= 14):
        return None
    answer = answer_from_documents(text, context_title=context_title(tracker))
    return answer if answer is not None and answer.doc_id == previous_doc else None


# Slots that show the conversation is already about the customer's supply or account.
_CONTEXT_SLOTS = ("kb_context", "service_task", "pending_action", "verified_account", "shown_period", "last_figure")


def off_topic_request(tracker: Tracker) -> bool:
    """A message that mentions nothing of electricity, in a conversation that has not been
    about it: 「京东618什么时候开始」 is no outage query, and no document answers it."""
    if mentions_utility(latest_text(tracker)) or tracker.active_loop_name:
        return False
    return not any(tracker.get_slot(slot) for slot in _CONTEXT_SLOTS)


def decline_off_topic(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The polite no an off-topic message gets, and the turn ends there."""
    say(dispatcher, tracker, OUT_OF_SCOPE)
    return [FollowupAction("action_listen")]
