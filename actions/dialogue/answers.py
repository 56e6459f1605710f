"""The actions that answer questions: policy and price questions, and out-of-scope ones
that the documents may still answer (the answering itself is dialogue.knowledge)."""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogue.also_asked import AlsoAnswers
from actions.dialogue.knowledge import (
    NO_ANSWER,
    OUT_OF_SCOPE,
    decline_off_topic,
    off_topic_request,
    question_of,
    reply_to_question,
)
from actions.handoff.offers import offer_human
from actions.identity.gate import verified_for
from actions.kernel.base import SafeAction
from actions.kernel.channel import say
from actions.kernel.events import latest_intent, latest_text
from actions.kernel.gateway import get_gateway
from actions.requests.catalog import task_explained_by
from actions.wording.fmt import money
from actions.wording.requests import offer_words


def own_late_fee(tracker: Tracker) -> str | None:
    """For a verified customer asking about late fees: what they owe today."""
    account = verified_for(tracker)
    if not account:
        return None
    arrears = get_gateway().get_arrears(account)
    if arrears.late_fee <= 0:
        return "您的户号目前没有违约金。"
    return f"截至今天，您的户号欠费{money(arrears.principal)}，违约金{money(arrears.late_fee)}。"


class ActionAnswerFromKb(AlsoAnswers, SafeAction):
    action_name = "action_answer_from_kb"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        question = question_of(tracker)
        if not question:
            say(dispatcher, tracker, "请问您想了解哪方面的规定？比如一户多人口、低保户免费电量、峰谷电价。")
            return []
        answered = reply_to_question(dispatcher, tracker, question)
        mine = own_late_fee(tracker) if latest_intent(tracker) == "query_late_fee" else None
        if answered is None:
            return offer_human(dispatcher, tracker, "no_answer", NO_ANSWER + (mine or ""))
        if mine:
            say(dispatcher, tracker, mine)
        task = task_explained_by(next((e["value"] for e in answered if e.get("name") == "kb_context"), None))
        if task is not None and tracker.active_loop_name is None:
            words, buttons = offer_words(task)
            say(dispatcher, tracker, words, buttons=buttons)
        return answered


class ActionOutOfScope(SafeAction):
    """What NLU calls out of scope is checked against the documents first.

    A real question in words the NLU has not learned ("墙上那个小闸刀老往下掉咋整")
    still gets its answer when the knowledge base is confident it has one; the
    knowledge base's topic classifier and score cut keep "燃气费在哪交" and small talk
    out, and those get the out-of-scope reply.
    """

    action_name = "action_out_of_scope"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if off_topic_request(tracker):
            return decline_off_topic(dispatcher, tracker)
        answered = reply_to_question(dispatcher, tracker, latest_text(tracker))
        if answered is None:
            say(dispatcher, tracker, OUT_OF_SCOPE)
            return []
        return answered
