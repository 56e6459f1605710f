"""What every answer about one account shares: identity first, then the verified account.

Each action here starts with :func:`require_identity` (dialogue contract), so a
customer who has not proved control of the account only ever meets the identity
form; once verified, the same action runs again and answers.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.dialogue.also_asked import AlsoAnswers
from actions.dialogue.knowledge import (
    decline_off_topic,
    off_topic_request,
    reply_to_question,
)
from actions.identity.gate import require_identity, verified_for
from actions.kernel.base import SafeAction
from actions.kernel.clock import today
from actions.kernel.events import intent_of, latest_text, user_messages
from actions.kernel.gateway import get_gateway
from actions.parsers.figures import gives_its_own_figures
from actions.parsers.periods import MonthSpan, parse_period
from backend_core.gateway.interfaces import CoreGateway

# Turns that answer the bot rather than ask something: a month may hide in them,
# but the question itself came earlier.
_ANSWER_INTENTS = ("inform", "affirm", "deny", "nlu_fallback")


def requested_period(tracker: Tracker) -> MonthSpan | None:
    """The months the customer asked about, in their own words, or None for "the latest".

    Looks at the customer's messages back to the one that asked the question (the
    month may come in the question or in a reply to the bot), reading NLU's
    ``period`` entity or, when NLU missed it, the text itself; then at the
    ``period`` slot, which carries a month over to a follow-up question.
    """
    for event in user_messages(tracker):
        parse = event.get("parse_data") or {}
        said = [e.get("value") for e in parse.get("entities") or [] if e.get("entity") == "period"]
        span = parse_period(str(said[-1]) if said else event.get("text"), today(), tracker.get_slot("shown_period"))
        if span:
            return span
        if intent_of(event) not in _ANSWER_INTENTS:
            break
    return parse_period(tracker.get_slot("period"), today())


def shown(period: str) -> list[EventType]:
    """Remember the month an answer was about: 「那前一个月呢」 counts from it."""
    return [SlotSet("shown_period", period)]


# The answer each account request gets (the rules of bot/data/core_account.yml).
ACCOUNT_ACTIONS = {
    "query_bill": "action_query_bill",
    "query_balance": "action_query_balance",
    "query_arrears": "action_query_arrears",
    "query_usage": "action_query_usage",
    "query_tier_status": "action_query_tier_status",
    "explain_high_bill": "action_explain_bill",
    "query_payment_history": "action_payment_history",
    "payment_not_received": "action_payment_not_received",
    "ask_tou_advice": "action_tou_advice",
    "bind_account": "action_bind_account",
}


# Guides whose reader may want their own figures next: after one, an account number
# given alone is checked and this answer follows (「缴费未到账」 guide, then 户号…).
ACCOUNT_GUIDES = {
    "a_payment_not_credited": "action_payment_not_received",
    "a_high_bill_selfcheck": "action_explain_bill",
    "a_prepaid_meter": "action_query_balance",
    "a_arrears_disconnection": "action_query_arrears",
    "a_late_payment_fee": "action_query_arrears",
    "a_residential_tiered_price": "action_query_tier_status",
    "a_tou_worth_it": "action_tou_advice",
    "a_bill_and_reading_cycle": "action_query_bill",
}


class AccountAction(AlsoAnswers, SafeAction, ABC):
    """An answer about the verified account; asks for identity first when needed."""

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        if off_topic_request(tracker):
            return decline_off_topic(dispatcher, tracker)
        if gives_its_own_figures(latest_text(tracker)):  # 「累计2700度，这个月100度，电费多少」: no account needed
            answered = reply_to_question(dispatcher, tracker, latest_text(tracker))
            if answered is not None:
                return answered
        account = verified_for(tracker)
        if account is None:  # verify first, then this action runs again
            return require_identity(tracker, self.action_name) or []
        return self.answer(dispatcher, tracker, account, get_gateway()) or []

    @abstractmethod
    def answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, account_no: str, gateway: CoreGateway
    ) -> list[EventType]:
        """Reply about ``account_no``; return events to apply."""
