"""Questions asked in the middle of a form: answered there, and the form goes on.

While the bot waits for a name, an ID number or the last 4 digits, customers ask
about the request itself (要带啥证件, 验表得花钱不, 为啥要户号). Such a message fills
nothing, so Rasa would reject the form and hand the turn to the general rules, which
may start another task. Instead the form's validation action answers the question
from the documents and sets ``kb_context``: a filled slot keeps the form running, and
Rasa asks again for what is still missing. A different request (停电了, 我要投诉, 转人工,
算了) is not a question about the form: it is left to the rules.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogue.knowledge import reply_to_question
from actions.kernel.channel import say
from actions.kernel.events import latest_intent, latest_text
from actions.parsers.questions import is_question

# Intents that ask about rules, prices or the bot: always answerable in the middle of a form.
QUESTION_INTENTS = frozenset({
    "ask_policy", "query_tariff", "query_late_fee", "how_to_pay", "ask_safety", "ask_energy_saving", "bot_identity",
})
SURE = 0.5  # below this, a question-shaped "other request" is more likely a question about this one
# Intents the rules always handle: leaving the form, a person, an emergency, a yes or no.
LEFT_TO_RULES = frozenset({
    "cancel", "request_human", "complain", "report_hazard", "report_outage", "deny", "affirm", "goodbye",
})
# Intents that ask the bot to do something else: the rules handle them, unless the
# question is about the form itself.
REQUEST_INTENTS = frozenset({
    "greet", "thank", "praise_or_suggest", "query_bill", "query_balance", "query_arrears", "query_usage", "explain_high_bill",
    "query_payment_history", "payment_not_received", "request_invoice", "query_tier_status", "ask_tou_advice",
    "query_planned_outage", "query_restore_time", "subscribe_outage_notice", "apply_new_connection",
    "apply_capacity_change", "apply_transfer", "apply_meter_check", "apply_tou", "apply_close_account",
    "apply_ev_charger", "query_ticket_status", "bind_account", "update_contact", "out_of_scope",
})
NO_ANSWER = "这个问题我一时没找到确切的说法，办完这件事后可以转人工客服为您详细解答。"


def is_digression(tracker: Tracker, own_intents: frozenset[str] = frozenset(), own_words: re.Pattern | None = None) -> bool:
    """Whether the latest message asks something instead of answering the form.

    ``own_intents`` are the intents of the task being collected and ``own_words`` the
    words of the form itself: a question worded like the request (「验表得花钱不」 while
    applying for a meter test) or about what the form asks (「尾号是说哪个手机」 while
    verifying identity) is about the form, whatever other request NLU took it for.
    """
    intent = latest_intent(tracker) or ""
    text = latest_text(tracker)
    if intent in QUESTION_INTENTS:
        return True
    if intent in LEFT_TO_RULES or not is_question(text):
        return False
    if intent in REQUEST_INTENTS and intent not in own_intents:
        # another request, unless the question is about the form, or NLU was unsure of it
        unsure = ((tracker.latest_message or {}).get("intent") or {}).get("confidence", 1.0) < SURE
        return unsure or bool(own_words and own_words.search(text))
    return True


def _filled(events: list[EventType], slots: list[str]) -> bool:
    return any(e.get("event") == "slot" and e.get("name") in slots and e.get("value") is not None for e in events)


class AnswersQuestions:
    """Mixin for a ``FormValidationAction``: answer a question that fills nothing.

    Its ``extract_<slot>`` methods must leave a question unfilled (``is_digression``).
    """

    def topic(self, tracker: Tracker) -> str:
        """Words that put a question in the context of this form (the task's name)."""
        return ""

    def own_intents(self, tracker: Tracker) -> frozenset[str]:
        return frozenset()

    own_words: re.Pattern | None = None

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        events: list[Any] = await super().run(dispatcher, tracker, domain)  # type: ignore[misc]
        asked = tracker.get_slot("requested_slot")
        if asked is None or dispatcher.messages or _filled(events, [asked, *self.domain_slots(domain)]):  # type: ignore[attr-defined]
            return events
        if not is_digression(tracker, self.own_intents(tracker), self.own_words):
            return events
        answered = await asyncio.to_thread(reply_to_question, dispatcher, tracker, latest_text(tracker), self.topic(tracker))
        if answered is None:
            say(dispatcher, tracker, NO_ANSWER)
            answered = [SlotSet("kb_context", None)]
        return events + answered
