"""Complaints: always a complaint work order, and a human agent (service_rules.yml)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff.human import CallbackPhoneSlot
from actions.handoff.offers import agents_on_duty, clock_words, hand_over
from actions.kernel.base import AskAction, SafeAction
from actions.kernel.channel import say
from actions.kernel.events import latest_text
from actions.kernel.facts import service_facts
from actions.requests.orders import create_service_order

MAX_DETAIL = 500  # characters kept in the order; a 5,000-character rant is cut, not refused
# "我要投诉" alone says nothing about what happened.
_BARE_COMPLAINT = re.compile(r"我?(要|想|想要)?(投诉|举报|反映)(一下)?(你们)?|服务太差了?|[\s，。！!？?,.]")
# "算了不投诉了" mentions 投诉 and may reach the form as a complaint: it withdraws it.
_WITHDRAWN = re.compile(r"^\s*(算了|不用了|不投诉|不想投诉|不要投诉|取消|没事了)")


class ValidateComplaintForm(CallbackPhoneSlot, FormValidationAction):
    def name(self) -> str:
        return "validate_complaint_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        if not tracker.get_slot("complaint_detail") and _WITHDRAWN.match(latest_text(tracker)):
            return []  # withdrawn: the form ends and action_submit_complaint files nothing
        if tracker.get_slot("verified_account"):  # reachable on the registered phone
            return [slot for slot in domain_slots if slot != "callback_phone"]
        return domain_slots

    def validate_complaint_detail(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        detail = " ".join(str(value or "").split())
        if _WITHDRAWN.match(detail) or len(_BARE_COMPLAINT.sub("", detail)) < 4:
            return {"complaint_detail": None}  # the form then asks what happened
        return {"complaint_detail": detail[:MAX_DETAIL]}


class ActionSubmitComplaint(SafeAction):
    action_name = "action_submit_complaint"

    def act(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        cleared: list[EventType] = [SlotSet("complaint_detail", None), SlotSet("callback_phone", None)]
        if not tracker.get_slot("complaint_detail"):
            say(dispatcher, tracker, "好的，这次就不登记投诉了。之后如果还需要，随时说“我要投诉”就可以。")
            return cleared
        facts = service_facts()
        order = create_service_order(
            tracker,
            "complain",
            {"description": tracker.get_slot("complaint_detail") or ""},
            account_no=tracker.get_slot("verified_account"),
            contact_phone=tracker.get_slot("callback_phone"),
        )
        say(
            dispatcher,
            tracker,
            f"您的投诉已登记，工单号{order.ticket_no}。我们会在{facts.complaint_first_contact_hours}小时内与您联系，"
            f"{facts.complaint_answer_working_days}个工作日内答复处理结果。",
        )
        if agents_on_duty():
            return cleared + hand_over(dispatcher, tracker, "complaint", "现在为您转接人工客服，您可以当面再说明情况，请稍候。")
        say(dispatcher, tracker, f"人工客服上班后（每天{clock_words(facts.agent_hours.start)}起）会优先处理您的投诉。")
        return cleared


class ActionAskComplaintDetail(AskAction):
    slot = "complaint_detail"
    first = "很抱歉给您带来不好的体验。请您具体说说遇到了什么问题，比如时间、地点和经过，我会如实记录。"
    again = "麻烦再具体说说发生了什么，比如哪天、在哪里、遇到了什么情况。"
