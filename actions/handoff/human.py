"""Asking for a human agent, and the call-back order taken outside agent hours."""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff.offers import clock_words, hand_over, leave_form, topic_intent
from actions.kernel.answers import reply_to
from actions.kernel.base import AskAction, SafeAction
from actions.kernel.channel import say
from actions.kernel.events import latest_intent
from actions.kernel.facts import service_facts
from actions.parsers.digits import find_mobile
from actions.requests.orders import create_service_order

BAD_PHONE = "这个号码不像手机号码。"


class CallbackPhoneSlot:
    """The ``callback_phone`` slot's extraction and validation, for every form that asks it.

    A mixin because rasa-sdk finds ``extract_<slot>`` / ``validate_<slot>`` by name on
    the form validation action itself.
    """

    def extract_callback_phone(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        """A mobile number typed or spoken while ``callback_phone`` is asked for."""
        return reply_to(tracker, "callback_phone", find_mobile)

    def validate_callback_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        phone = find_mobile(str(value or ""))
        if not phone:
            say(dispatcher, tracker, BAD_PHONE)
        return {"callback_phone": phone}


class ActionRequestHuman(SafeAction):
    """Hand over now (in agent hours) or offer a call-back; leaves any form that was running."""

    action_name = "action_request_human"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        accepted_offer = latest_intent(tracker) == "affirm" and tracker.get_slot("handoff_offer") == "human"
        reason = (tracker.get_slot("handoff_reason") if accepted_offer else None) or "requested"
        return leave_form(tracker) + hand_over(dispatcher, tracker, reason)


class ValidateCallbackForm(CallbackPhoneSlot, FormValidationAction):
    """The call-back number; a verified customer is called on the registered phone."""

    def name(self) -> str:
        return "validate_callback_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        return [] if tracker.get_slot("verified_account") else domain_slots


class ActionCreateCallback(SafeAction):
    action_name = "action_create_callback"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        phone = tracker.get_slot("callback_phone")
        order = create_service_order(
            tracker,
            "callback",
            {"reason": tracker.get_slot("handoff_reason") or "requested", "topic": topic_intent(tracker) or ""},
            account_no=tracker.get_slot("verified_account"),
            contact_phone=phone,
        )
        target = f"尾号{phone[-4:]}的手机" if phone else "您户号登记的手机"
        say(
            dispatcher,
            tracker,
            f"已为您登记回电，工单号{order.ticket_no}。人工客服上班后（每天{clock_words(service_facts().agent_hours.start)}起）"
            f"会尽快拨打{target}，请留意来电。",
        )
        return [SlotSet("callback_phone", None), SlotSet("handoff_reason", None)]


class ActionAskCallbackPhone(AskAction):
    slot = "callback_phone"
    first = "请留一个方便接听的手机号，我们会通过这个号码联系您。"
    again = "请重新输入11位手机号码。"
